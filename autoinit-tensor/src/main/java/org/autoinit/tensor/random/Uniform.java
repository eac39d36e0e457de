package org.autoinit.tensor.random;

import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.SamplerSimd;
import org.autoinit.tensor.simd.Simd;

/**
 * Uniforms on (-1, 1) from the same SplitMix64 counter stream and bit layout as {@link TruncatedNormal} (entry i
 * depends only on the key and i: split over the cores, vectorized, the same bits for any thread count and with or
 * without the Vector API): the top 24 bits {@code b} of each 32-bit half-word give the odd integer {@code v = b | 1}
 * and {@code u = v 2^-23}, 2^23 equally likely values symmetric about 0, variance {@code (1 - 2^-46) / 3}.
 * A fill writes {@code centre + half u} in float (for U(lo, hi): centre (lo + hi) / 2, half (hi - lo) / 2).
 */
public final class Uniform {
    /** Entries per parallel task. */
    private static final int GRAIN = 1 << 16;

    private Uniform() {}

    /** {@code a[i] = centre + half * u_i} for i in {@code [0, a.length)}, split over the cores. */
    public static void fill(float[] a, long key, float centre, float half) {
        Parallel.forRange(a.length, GRAIN, (lo, hi) -> fill(a, lo, hi, key, centre, half));
    }

    /** {@code a[i] = centre + half * (double) u_i} for i in {@code [0, a.length)}, split over the cores. */
    public static void fill(double[] a, long key, double centre, double half) {
        Parallel.forRange(a.length, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                a[i] = centre + half * standard(key, i);
            }
        });
    }

    /** {@code a[i] = centre + half * u_i} for i in {@code [from, to)} (on the calling thread). */
    public static void fill(float[] a, int from, int to, long key, float centre, float half) {
        if (from < 0 || to > a.length || from > to) {
            throw new IndexOutOfBoundsException("Uniform.fill: range [" + from + ", " + to + ") of an array of " + a.length);
        }
        int i = from;
        if (Simd.enabled() && to - from >= 64) {
            if ((i & 1) != 0) { // vectors start on a word boundary
                a[i] = centre + half * standard(key, i);
                i++;
            }
            i = SamplerSimd.uniform(a, i, to, key, centre, half);
        }
        for (; i < to; i++) {
            a[i] = centre + half * standard(key, i);
        }
    }

    /** Entry i of stream {@code key}: uniform on (-1, 1). */
    public static float standard(long key, long i) {
        return (float) ((TruncatedNormal.bits(key, i) >> 8) | 1) * Normal.X_SCALE;
    }
}
