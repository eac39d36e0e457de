package org.autoinit.init;

import java.util.random.RandomGenerator;

import org.autoinit.nn.Fans;
import org.autoinit.nn.init.Distribution;
import org.autoinit.nn.init.FanMode;
import org.autoinit.nn.init.Orthogonal;
import org.autoinit.nn.init.VarianceScaling;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/** Zero-mean weight distributions with an exact per-entry variance. */
public enum WeightDistribution {
    /** N(0, sigma_p^2) cut at +-2 sigma_p with sigma_p = sigma / 0.87962566103423978, so the variance is sigma^2 (Keras). */
    TRUNCATED_NORMAL,
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
            case NORMAL -> new VarianceScaling(variance, FanMode.FAN_IN, Distribution.NORMAL).initialize(t, unit, rng);
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

    /** Std of N(0, 1) cut at +-2. */
    static final double TRUNC2_STD = 0.87962566103423978;

    /**
     * N(0, 1) draws with |z| > 2 rejected, times {@code sqrt(variance) / TRUNC2_STD}: the same values as the
     * classic schemes' truncated normal for the same stream, in a tight loop on the raw array (it is most of
     * AutoInit's time on a large model).
     */
    private static void truncatedNormal(Tensor t, double variance, RandomGenerator rng) {
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
