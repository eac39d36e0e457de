package org.autoinit.nn.init;

import java.util.random.RandomGenerator;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/** Fills tensors from zero-mean distributions, straight into the backing arrays. */
final class Sampling {
    /** Standard deviation of N(0,1) truncated to [-2, 2]. */
    static final double TRUNC2_STD = 0.87962566103423978;

    private Sampling() {}

    static void fill(Tensor t, Distribution dist, double std, RandomGenerator rng) {
        int n = t.numel();
        boolean f32 = t.dtype() == DType.FLOAT32;
        float[] fa = f32 ? t.floatData() : null;
        double[] da = f32 ? null : t.doubleData();
        for (int i = 0; i < n; i++) {
            double v = switch (dist) {
                case NORMAL -> std * rng.nextGaussian();
                case UNIFORM -> std * Math.sqrt(3.0) * (2 * rng.nextDouble() - 1);
                case TRUNCATED_NORMAL -> truncated(rng) * (std / TRUNC2_STD);
            };
            if (f32) {
                fa[i] = (float) v;
            } else {
                da[i] = v;
            }
        }
    }

    /** A standard normal conditioned on |z| <= 2 (rejection; accepts 95.4% of draws). */
    static double truncated(RandomGenerator rng) {
        while (true) {
            double z = rng.nextGaussian();
            if (Math.abs(z) <= 2.0) {
                return z;
            }
        }
    }

    /** U(lo, hi). */
    static void uniform(Tensor t, double lo, double hi, RandomGenerator rng) {
        for (int i = 0; i < t.numel(); i++) {
            t.setFlat(i, lo + (hi - lo) * rng.nextDouble());
        }
    }
}
