package org.autoinit.nn.init;

import java.util.random.RandomGenerator;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.random.TruncatedNormal;

/** Fills tensors from zero-mean distributions, straight into the backing arrays. */
final class Sampling {
    /** Standard deviation of N(0,1) truncated to [-2, 2]. */
    static final double TRUNC2_STD = 0.87962566103423978;

    private Sampling() {}

    static void fill(Tensor t, Distribution dist, double std, RandomGenerator rng) {
        if (dist == Distribution.TRUNCATED_NORMAL) {
            truncatedNormal(t, std / TRUNC2_STD, rng);
            return;
        }
        int n = t.numel();
        boolean f32 = t.dtype() == DType.FLOAT32;
        float[] fa = f32 ? t.floatData() : null;
        double[] da = f32 ? null : t.doubleData();
        for (int i = 0; i < n; i++) {
            double v = switch (dist) {
                case NORMAL -> std * rng.nextGaussian();
                case UNIFORM -> std * Math.sqrt(3.0) * (2 * rng.nextDouble() - 1);
                case TRUNCATED_NORMAL -> throw new AssertionError("drawn by truncatedNormal");
            };
            if (f32) {
                fa[i] = (float) v;
            } else {
                da[i] = v;
            }
        }
    }

    /**
     * {@code k z} with z a standard normal cut at +-2: {@link TruncatedNormal}'s stream for key {@code rng.nextLong()}
     * (exact truncation by inversion, vectorized and split over the cores, same bits for any thread count).
     */
    static void truncatedNormal(Tensor t, double k, RandomGenerator rng) {
        long key = rng.nextLong();
        if (t.dtype() == DType.FLOAT32) {
            TruncatedNormal.fill(t.floatData(), key, (float) k);
        } else {
            TruncatedNormal.fill(t.doubleData(), key, k);
        }
    }

    /** U(lo, hi). */
    static void uniform(Tensor t, double lo, double hi, RandomGenerator rng) {
        for (int i = 0; i < t.numel(); i++) {
            t.setFlat(i, lo + (hi - lo) * rng.nextDouble());
        }
    }
}
