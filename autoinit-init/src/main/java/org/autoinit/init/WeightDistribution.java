package org.autoinit.init;

import java.util.random.RandomGenerator;

import org.autoinit.nn.Fans;
import org.autoinit.nn.init.Distribution;
import org.autoinit.nn.init.FanMode;
import org.autoinit.nn.init.Orthogonal;
import org.autoinit.nn.init.VarianceScaling;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.random.TruncatedNormal;
import org.autoinit.init.rules.WeightedStats;

/** Zero-mean weight distributions with an exact per-entry variance. */
public enum WeightDistribution {
    /**
     * N(0, sigma_p^2) cut at +-2 sigma_p with sigma_p = sigma / 0.87962566103423978, so the variance is sigma^2 (Keras);
     * drawn by inversion ({@link TruncatedNormal}: vectorized, split over the cores, same bits for any thread count).
     */
    TRUNCATED_NORMAL,
    /**
     * The law of {@link #TRUNCATED_NORMAL} drawn as versions before it was drawn by inversion: N(0, 1) draws with
     * |z| > 2 rejected, one sequential {@code nextGaussian} stream per tensor, about 4x the CPU per value and not split
     * over the cores. For the same seed it gives those versions' weights bit for bit (tests and reports tied to one
     * weight draw of theirs use it).
     */
    TRUNCATED_NORMAL_REJECTION,
    /** N(0, sigma^2). */
    NORMAL,
    /** U(-sigma sqrt 3, sigma sqrt 3). */
    UNIFORM,
    /**
     * A (semi-)orthogonal matrix over {@code [dim 0, rest]} times a gain: the shorter side is orthonormal, so
     * entries have mean square {@code gain^2 / max(rows, cols)}; the gain is {@code sigma sqrt(max(rows, cols))}.
     * When fan_in >= fan_out every output unit's weight vector then has squared norm exactly
     * {@code fan_in sigma^2}; otherwise (rows of the fan_in side cannot all be orthonormal) the norms vary but
     * average to that value, which is what the output variance needs. Rank-1 tensors fall back to NORMAL.
     */
    ORTHOGONAL;

    /** Fills {@code t} with zero-mean entries of variance {@code variance}. */
    public void fill(Tensor t, double variance, RandomGenerator rng) {
        if (!(variance > 0) || !Double.isFinite(variance)) {
            throw new IllegalArgumentException(this + ": weight variance must be finite and > 0, got " + variance);
        }
        Fans unit = new Fans(1, 1);
        switch (this) {
            case TRUNCATED_NORMAL -> truncatedNormal(t, variance, rng);
            case TRUNCATED_NORMAL_REJECTION -> truncatedNormalByRejection(t, variance, rng);
            case NORMAL -> normal(t, Math.sqrt(variance), rng);
            case UNIFORM -> new VarianceScaling(variance, FanMode.FAN_IN, Distribution.UNIFORM).initialize(t, unit, rng);
            case ORTHOGONAL -> {
                if (t.rank() < 2) {
                    NORMAL.fill(t, variance, rng);
                    return;
                }
                int rows = t.dim(0);
                int cols = t.numel() / rows;
                new Orthogonal(Math.sqrt(variance * Math.max(rows, cols))).initialize(t, unit, rng);
            }
        }
    }

    /**
     * {@code std * rng.nextGaussian()}, one sequential stream per tensor: the draws {@link DrawAhead} makes ahead of the
     * propagation (the baselines' normal, {@code Initializers.heNormal()} and the like, is a parallel counter stream).
     */
    private static void normal(Tensor t, double std, RandomGenerator rng) {
        int n = t.numel();
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.floatData();
            for (int i = 0; i < n; i++) {
                a[i] = (float) (std * rng.nextGaussian());
            }
        } else {
            double[] a = t.doubleData();
            for (int i = 0; i < n; i++) {
                a[i] = std * rng.nextGaussian();
            }
        }
    }

    /** Std of N(0, 1) cut at +-2. */
    static final double TRUNC2_STD = 0.87962566103423978;

    /**
     * {@link TruncatedNormal}'s stream for key {@code rng.nextLong()} times {@code sqrt(variance) / TRUNC2_STD}: exact
     * truncation by inversion, entry i a function of the key and i only, so the fill is split over the cores and
     * vectorized (it is most of AutoInit's time on a large model) with the same bits for any thread count.
     */
    private static void truncatedNormal(Tensor t, double variance, RandomGenerator rng) {
        truncatedNormalPending(t, variance, rng).fill(0, t.numel());
    }

    /**
     * The truncated-normal fill of {@code t} (the values {@link #fill} writes for the same {@code rng}), not yet
     * written: each range {@code [from, to)} is written when asked, so a pass over the weights can write and read
     * them in one go. Takes one long from {@code rng} now.
     */
    static WeightedStats.PendingFill truncatedNormalPending(Tensor t, double variance, RandomGenerator rng) {
        if (!(variance > 0) || !Double.isFinite(variance)) {
            throw new IllegalArgumentException(TRUNCATED_NORMAL + ": weight variance must be finite and > 0, got " + variance);
        }
        long key = rng.nextLong();
        double k = Math.sqrt(variance) / TRUNC2_STD;
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.floatData();
            float kf = (float) k;
            return (from, to) -> {
                if (to - from >= 1 << 16) {
                    Parallel.forRange(to - from, 1 << 15, (lo, hi) -> TruncatedNormal.fill(a, from + lo, from + hi, key, kf));
                } else {
                    TruncatedNormal.fill(a, from, to, key, kf);
                }
            };
        }
        double[] a = t.doubleData();
        return (from, to) -> TruncatedNormal.fill(a, from, to, key, k);
    }

    /** N(0, 1) draws with |z| > 2 rejected, times {@code sqrt(variance) / TRUNC2_STD}, in a tight loop on the raw array. */
    private static void truncatedNormalByRejection(Tensor t, double variance, RandomGenerator rng) {
        double k = Math.sqrt(variance) / TRUNC2_STD;
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.floatData();
            for (int i = 0; i < a.length; i++) {
                double z = rng.nextGaussian();
                while (Math.abs(z) > 2.0) {
                    z = rng.nextGaussian();
                }
                a[i] = (float) (z * k);
            }
        } else {
            double[] a = t.doubleData();
            for (int i = 0; i < a.length; i++) {
                double z = rng.nextGaussian();
                while (Math.abs(z) > 2.0) {
                    z = rng.nextGaussian();
                }
                a[i] = z * k;
            }
        }
    }

    /** Lower-case name with dashes, e.g. "truncated-normal". */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
