package org.autoinit.nn.init;

import java.util.random.RandomGenerator;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.random.Normal;
import org.autoinit.tensor.random.TruncatedNormal;
import org.autoinit.tensor.random.Uniform;

/** Fills tensors from zero-mean distributions, straight into the backing arrays. */
final class Sampling {
    /** Standard deviation of N(0,1) truncated to [-2, 2]. */
    static final double TRUNC2_STD = 0.87962566103423978;

    private Sampling() {}

    /**
     * Zero-mean {@code dist} with standard deviation {@code std}, from one key {@code rng.nextLong()}: {@link Normal},
     * {@link Uniform} and {@link TruncatedNormal} counter streams (vectorized and split over the cores, same bits for
     * any thread count).
     */
    static void fill(Tensor t, Distribution dist, double std, RandomGenerator rng) {
        switch (dist) {
            case TRUNCATED_NORMAL -> truncatedNormal(t, std / TRUNC2_STD, rng);
            case NORMAL -> {
                long key = rng.nextLong();
                if (t.dtype() == DType.FLOAT32) {
                    Normal.fill(t.floatData(), key, (float) std);
                } else {
                    Normal.fill(t.doubleData(), key, std);
                }
            }
            case UNIFORM -> centred(t, 0, std * Math.sqrt(3.0), rng);
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

    /** U(lo, hi) (endpoints never drawn). */
    static void uniform(Tensor t, double lo, double hi, RandomGenerator rng) {
        centred(t, (lo + hi) / 2, (hi - lo) / 2, rng);
    }

    /** {@code centre + half u}, u uniform on (-1, 1) ({@link Uniform}). */
    private static void centred(Tensor t, double centre, double half, RandomGenerator rng) {
        long key = rng.nextLong();
        if (t.dtype() == DType.FLOAT32) {
            Uniform.fill(t.floatData(), key, (float) centre, (float) half);
        } else {
            Uniform.fill(t.doubleData(), key, centre, half);
        }
    }
}
