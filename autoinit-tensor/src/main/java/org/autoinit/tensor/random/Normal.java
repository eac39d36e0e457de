package org.autoinit.tensor.random;

import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.SamplerSimd;
import org.autoinit.tensor.simd.Simd;

/**
 * Standard normals by inversion, {@code z = sqrt(2) erfinv(x)} with x uniform on (-1, 1): like {@link TruncatedNormal}
 * (same SplitMix64 counter stream and bit layout, so entry i depends only on the key and i: split over the cores,
 * vectorized, the same bits for any thread count and with or without the Vector API), without the cut at 2.
 *
 * <p>The top 24 bits {@code b} of each 32-bit half-word give the odd integer {@code v = b | 1} and
 * {@code x = v 2^-23} (2^23 equally likely values, symmetric, |x| <= 1 - 2^-23, so |z| <= 5.29: the normal loses
 * its mass beyond 5.29, 1.2e-7 of it, which takes 6e-6 off the variance). {@code erfinv(x) = x P(w)} with
 * {@code w = -ln(1 - x^2)}, Giles's single-precision polynomials (M. Giles, "Approximating the erfinv function", GPU
 * Computing Gems 2011): in {@code w - 2.5} for w < 5, else in {@code sqrt(w) - 3}; ln as in {@link TruncatedNormal}.
 * Relative error of z below 1e-6 against a double erfinv (tested).
 */
public final class Normal {
    /** 2^-23: x from the odd integer v. */
    public static final float X_SCALE = 0x1p-23f;
    /** Giles's tail coefficients (w >= 5) times sqrt 2, highest power first. */
    public static final float D8 = -2.8314572e-4f, D7 = 1.4276565e-4f, D6 = 1.9082595e-3f, D5 = -5.1950123e-3f, D4 = 8.11689e-3f,
            D3 = -1.0779788e-2f, D2 = 1.33485785e-2f, D1 = 1.416581f, D0 = 4.0064344f;
    /** Entries per parallel task (each a few microseconds). */
    private static final int GRAIN = 1 << 15;

    private Normal() {}

    /** {@code a[i] = scale * z_i} for i in {@code [0, a.length)}, split over the cores. */
    public static void fill(float[] a, long key, float scale) {
        Parallel.forRange(a.length, GRAIN, (lo, hi) -> fill(a, lo, hi, key, scale));
    }

    /** {@code a[i] = scale * (double) z_i} for i in {@code [0, a.length)}, split over the cores. */
    public static void fill(double[] a, long key, double scale) {
        Parallel.forRange(a.length, GRAIN, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                a[i] = scale * standard(key, i);
            }
        });
    }

    /** {@code a[i] = scale * z_i} for i in {@code [from, to)} (on the calling thread). */
    public static void fill(float[] a, int from, int to, long key, float scale) {
        if (from < 0 || to > a.length || from > to) {
            throw new IndexOutOfBoundsException("Normal.fill: range [" + from + ", " + to + ") of an array of " + a.length);
        }
        int i = from;
        if (Simd.enabled() && to - from >= 64) {
            if ((i & 1) != 0) { // vectors start on a word boundary
                a[i] = standard(key, i) * scale;
                i++;
            }
            i = SamplerSimd.normal(a, i, to, key, scale);
        }
        for (; i < to; i++) {
            a[i] = standard(key, i) * scale;
        }
    }

    /** Entry i of stream {@code key}: a standard normal. */
    public static float standard(long key, long i) {
        return fromBits(TruncatedNormal.bits(key, i));
    }

    /** The normal for 32 uniform bits (see the class comment). */
    static float fromBits(int bits) {
        float x = (float) ((bits >> 8) | 1) * X_SCALE;
        float w = -TruncatedNormal.log((1f - x) * (1f + x));
        if (w < 5f) {
            float t = w - 2.5f;
            float p = TruncatedNormal.C8;
            p = TruncatedNormal.C7 + p * t;
            p = TruncatedNormal.C6 + p * t;
            p = TruncatedNormal.C5 + p * t;
            p = TruncatedNormal.C4 + p * t;
            p = TruncatedNormal.C3 + p * t;
            p = TruncatedNormal.C2 + p * t;
            p = TruncatedNormal.C1 + p * t;
            p = TruncatedNormal.C0 + p * t;
            return p * x;
        }
        float t = (float) Math.sqrt(w) - 3f;
        float p = D8;
        p = D7 + p * t;
        p = D6 + p * t;
        p = D5 + p * t;
        p = D4 + p * t;
        p = D3 + p * t;
        p = D2 + p * t;
        p = D1 + p * t;
        p = D0 + p * t;
        return p * x;
    }
}
