package org.autoinit.tensor.random;

import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.Simd;
import org.autoinit.tensor.simd.TruncatedNormalSimd;

/**
 * Standard normals truncated to (-2, 2) by inversion, {@code z = sqrt(2) erfinv(x)} with x uniform on
 * (-erf(sqrt 2), erf(sqrt 2)): exact truncation without rejection, so entry i of a stream depends only on the
 * stream's key and i. That makes a fill splittable over the cores and vectorizable, and its bits the same for
 * any thread count, chunking, and with or without the Vector API.
 *
 * <p>Uniform bits: SplitMix64, word j of stream {@code key} = {@code mix64(key + (j + 1) * 0x9e3779b97f4a7c15)}
 * (the words {@code new SplittableRandom(key).nextLong()} returns, in order); entry {@code 2j} takes the low 32
 * bits of word j, entry {@code 2j + 1} the high 32. Of those, the top 24 bits {@code b} give the odd integer
 * {@code v = b | 1} in (-2^23, 2^23) (2^23 equally likely values, symmetric), and {@code x = v erf(sqrt 2) 2^-23}.
 * The inverse: {@code erfinv(x) = x P(-ln(1 - x^2) - 2.5)}, Giles's single-precision polynomial (M. Giles,
 * "Approximating the erfinv function", GPU Computing Gems 2011), whose branch for {@code -ln(1 - x^2) < 5}
 * covers all of |x| <= erf(sqrt 2) (there {@code -ln(1 - x^2) <= 2.42}); ln from its exponent and the
 * FreeBSD/musl {@code logf} polynomial. Only float adds, multiplies, one divide and integer bit operations, so
 * the scalar code here and {@link TruncatedNormalSimd} agree bit for bit. Relative error of z: below 1e-6
 * (tested against a double erfinv); resolution of x: 2.3e-7.
 */
public final class TruncatedNormal {
    /** erf(sqrt 2) 2^-23: x from the odd integer v. */
    public static final float X_SCALE = 1.137852354173233e-07f;
    /** Giles's coefficients times sqrt 2 (so the polynomial gives z, not erfinv), highest power first. */
    public static final float C8 = 3.974260231650376e-08f, C7 = 4.854626601430346e-07f, C6 = -4.982822670838546e-06f,
            C5 = -6.210528108118145e-06f, C4 = 0.0003091200308293104f, C3 = -0.0017730349409126153f,
            C2 = -0.0059081340345650745f, C1 = 0.34880266115696f, C0 = 2.123313550296587f;
    /** logf (FreeBSD e_logf.c): ln 2 split in two, and the polynomial of {@code ln(1 + f)} in {@code s = f / (2 + f)}. */
    public static final float LN2_HI = 6.9313812256e-01f, LN2_LO = 9.0580006145e-06f, LG1 = 0.66666662693f,
            LG2 = 0.40000972152f, LG3 = 0.28498786688f, LG4 = 0.24279078841f;
    /** Bits of sqrt(1/2) rounded: subtracting them puts the mantissa of a float in [sqrt(1/2), sqrt 2). */
    public static final int SQRT_HALF_BITS = 0x3f3504f3;
    /** SplitMix64's increment and mixing constants. */
    public static final long GOLDEN = 0x9e3779b97f4a7c15L, MIX1 = 0xbf58476d1ce4e5b9L, MIX2 = 0x94d049bb133111ebL;
    /** Entries per parallel task (each a few microseconds). */
    private static final int GRAIN = 1 << 15;

    private TruncatedNormal() {}

    /** {@code a[i] = scale * z_i} for i in {@code [0, a.length)}, split over the cores. */
    public static void fill(float[] a, long key, float scale) {
        Parallel.forRange(a.length, GRAIN, (lo, hi) -> fill(a, lo, hi, key, scale));
    }

    /** {@code a[i] = scale * (double) z_i} for i in {@code [0, a.length)}, split over the cores. */
    public static void fill(double[] a, long key, double scale) {
        Parallel.forRange(a.length, GRAIN, (lo, hi) -> fill(a, lo, hi, key, scale));
    }

    /** {@code a[i] = scale * (double) z_i} for i in {@code [from, to)} (on the calling thread; float64 weights are few and small). */
    public static void fill(double[] a, int from, int to, long key, double scale) {
        if (from < 0 || to > a.length || from > to) {
            throw new IndexOutOfBoundsException("TruncatedNormal.fill: range [" + from + ", " + to + ") of an array of " + a.length);
        }
        for (int i = from; i < to; i++) {
            a[i] = scale * standard(key, i);
        }
    }

    /** {@code a[i] = scale * z_i} for i in {@code [from, to)} (on the calling thread). */
    public static void fill(float[] a, int from, int to, long key, float scale) {
        if (from < 0 || to > a.length || from > to) {
            throw new IndexOutOfBoundsException("TruncatedNormal.fill: range [" + from + ", " + to + ") of an array of " + a.length);
        }
        int i = from;
        if (Simd.enabled() && to - from >= 64) {
            if ((i & 1) != 0) { // vectors start on a word boundary
                a[i] = standard(key, i) * scale;
                i++;
            }
            i = TruncatedNormalSimd.fill(a, i, to, key, scale);
        }
        for (; i < to; i++) {
            a[i] = standard(key, i) * scale;
        }
    }

    /** Entry i of stream {@code key}: a standard normal truncated to (-2, 2). */
    public static float standard(long key, long i) {
        return fromBits(bits(key, i));
    }

    /** The 32 uniform bits of entry i of stream {@code key} (half of SplitMix64 word i / 2, low half first). */
    static int bits(long key, long i) {
        long w = mix64(key + ((i >>> 1) + 1) * GOLDEN);
        return (i & 1) == 0 ? (int) w : (int) (w >>> 32);
    }

    /** SplitMix64's output function (as {@link java.util.SplittableRandom}). */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * MIX1;
        z = (z ^ (z >>> 27)) * MIX2;
        return z ^ (z >>> 31);
    }

    /** The truncated normal for 32 uniform bits (see the class comment). */
    static float fromBits(int bits) {
        float x = (float) ((bits >> 8) | 1) * X_SCALE;
        float y = (1f - x) * (1f + x);
        float t = -log(y) - 2.5f;
        float p = C8;
        p = C7 + p * t;
        p = C6 + p * t;
        p = C5 + p * t;
        p = C4 + p * t;
        p = C3 + p * t;
        p = C2 + p * t;
        p = C1 + p * t;
        p = C0 + p * t;
        return p * x;
    }

    /**
     * ln y for a positive normal float y (FreeBSD {@code logf}: y = 2^k m, m in [sqrt(1/2), sqrt 2)), float adds,
     * multiplies and one divide in a fixed order, so that the vector loops reproduce it bit for bit.
     */
    static float log(float y) {
        int ix = Float.floatToRawIntBits(y) - SQRT_HALF_BITS;
        float dk = (float) (ix >> 23);
        float f = Float.intBitsToFloat((ix & 0x007fffff) + SQRT_HALF_BITS) - 1f;
        float s = f / (2f + f);
        float z = s * s;
        float ww = z * z;
        float r = z * (LG1 + ww * LG3) + ww * (LG2 + ww * LG4);
        float hfsq = 0.5f * f * f;
        return s * (hfsq + r) + dk * LN2_LO - hfsq + f + dk * LN2_HI;
    }
}
