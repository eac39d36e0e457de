package org.autoinit.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 loops on the JDK Vector API for the training hot spots C2 does not vectorize by itself: masks
 * (ReLU backward), transcendental activations (GELU) and sums (norm statistics; lane-parallel, so the
 * summation order differs from a sequential loop). Call only when {@link Simd#enabled()}. Every method works
 * on {@code [lo, hi)} or {@code [off, off + len)} and finishes the tail with scalar code of the same formula.
 *
 * <p>Results must not depend on whether C2 has compiled a loop yet (same seed, same bits): lane sums are
 * added in lane order ({@link #addLanes}), never with {@code reduceLanes(ADD)}, whose order the interpreter
 * and the C2 intrinsic choose differently; and exp is {@link #exp(FloatVector)} built from add/mul/fma,
 * never {@code lanewise(EXP)}, which is SVML once compiled and {@code Math.exp} before.
 */
public final class FloatSimd {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[L]);
    /** Abramowitz &amp; Stegun 7.1.26 (as PyTorch's vectorized erf): |error| <= 1.5e-7. */
    static final float P = 0.3275911f, A1 = 0.254829592f, A2 = -0.284496736f, A3 = 1.421413741f,
            A4 = -1.453152027f, A5 = 1.061405429f;
    static final float INV_SQRT2 = 0.70710678118654752f, INV_SQRT_2PI = 0.39894228040143268f;

    private FloatSimd() {}

    /** Floats per vector. */
    public static int lanes() {
        return L;
    }

    /** {@code d = g * (x > 0 ? 1 : 0)} (keeps {@code g * 0} signs and NaNs, as the double path). */
    public static void reluBackward(float[] x, float[] g, float[] d, int lo, int hi) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        int i = lo;
        for (int end = lo + (hi - lo) / L * L; i < end; i += L) {
            VectorMask<Float> pos = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(S, g, i).mul(zero.blend(one, pos)).intoArray(d, i);
        }
        for (; i < hi; i++) d[i] = g[i] * (x[i] > 0f ? 1f : 0f);
    }

    /** Sum of {@code a[off, off+len)}, lane-parallel. */
    public static float sum(float[] a, int off, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = off, end = off + len / L * L;
        for (; i < end; i += L) acc = acc.add(FloatVector.fromArray(S, a, i));
        float s = addLanes(acc);
        for (; i < off + len; i++) s += a[i];
        return s;
    }

    /** {@code sum (a[i] - mean)^2} over {@code a[off, off+len)}, lane-parallel. */
    public static float sumSquaredDeviations(float[] a, int off, int len, float mean) {
        FloatVector acc = FloatVector.zero(S), m = FloatVector.broadcast(S, mean);
        int i = off, end = off + len / L * L;
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, a, i).sub(m);
            acc = v.fma(v, acc);
        }
        float s = addLanes(acc);
        for (; i < off + len; i++) s += (a[i] - mean) * (a[i] - mean);
        return s;
    }

    /** {@code sum a[ao + i] * b[bo + i]} for i < len, lane-parallel. */
    public static float dot(float[] a, int ao, float[] b, int bo, int len) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0, end = len / L * L;
        for (; i < end; i += L) acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        float s = addLanes(acc);
        for (; i < len; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    /**
     * {@code sums[0] += sum a[ao + i]} and {@code sums[1] += sum a[ao + i] * b[bo + i]} for i < len in one pass over a:
     * the same lane sums, bit for bit, as {@link #sum} and {@link #dot} (batch norm backward's two statistics of dY).
     */
    public static void sumAndDot(float[] a, int ao, float[] b, int bo, int len, double[] sums) {
        FloatVector acc = FloatVector.zero(S), accDot = FloatVector.zero(S);
        int i = 0, end = len / L * L;
        for (; i < end; i += L) {
            FloatVector v = FloatVector.fromArray(S, a, ao + i);
            acc = acc.add(v);
            accDot = v.fma(FloatVector.fromArray(S, b, bo + i), accDot);
        }
        float s = addLanes(acc), d = addLanes(accDot);
        for (; i < len; i++) {
            s += a[ao + i];
            d += a[ao + i] * b[bo + i];
        }
        sums[0] += s;
        sums[1] += d;
    }

    /**
     * Row softmax in place: {@code a[i] = exp(scale a[i] - max) / sum}, max and sum over the row (a row whose
     * scaled maximum is -inf becomes zeros).
     */
    public static void softmaxRow(float[] a, int off, int len, float scale) {
        softmaxRows(a, off, 1, len, scale);
    }

    /** {@link #softmaxRow} on each of {@code rows} consecutive rows of {@code len} from {@code a[off]}. */
    public static void softmaxRows(float[] a, int off, int rows, int len, float scale) {
        FloatPasses.softmaxRows(a, off, rows, len, scale);
    }

    /** Softmax backward in place on the upstream {@code g}: {@code g = p (g - sum(g p))} over a row. */
    public static void softmaxBackwardRow(float[] p, int po, float[] g, int go, int len) {
        float dot = dot(g, go, p, po, len);
        int i = 0, end = len / L * L;
        for (; i < end; i += L) {
            FloatVector.fromArray(S, g, go + i).sub(dot).mul(FloatVector.fromArray(S, p, po + i)).intoArray(g, go + i);
        }
        for (; i < len; i++) g[go + i] = p[po + i] * (g[go + i] - dot);
    }

    /**
     * Exact-form GELU {@code y = x/2 (1 + erf(x / sqrt 2))}, erf as PyTorch's vectorized CPU kernel computes it.
     * {@code y} must be a different array from {@code x}: it holds erf's exp between two passes ({@link FloatPasses}).
     */
    public static void geluForward(float[] x, float[] y, int lo, int hi) {
        if (y == x) {
            throw new IllegalArgumentException("geluForward: the output array must not be the input");
        }
        int end = lo + (hi - lo) / L * L;
        FloatPasses.geluForward(x, y, lo, end);
        for (int i = end; i < hi; i++) y[i] = 0.5f * x[i] * (1f + erf(x[i] * INV_SQRT2));
    }

    /**
     * GELU backward {@code d = g (Phi(x) + x phi(x))}, Phi with the same erf, {@code phi(x) = exp(-x^2/2) / sqrt(2 pi)}.
     * {@code d} must be a different array from {@code x} and {@code g}: it holds intermediate passes ({@link FloatPasses}).
     */
    public static void geluBackward(float[] x, float[] g, float[] d, int lo, int hi) {
        if (d == x || d == g) {
            throw new IllegalArgumentException("geluBackward: the output array must not be the input or the upstream gradient");
        }
        int end = lo + (hi - lo) / L * L;
        FloatPasses.geluBackward(x, g, d, lo, end);
        for (int i = end; i < hi; i++) {
            float v = x[i];
            float cdf = 0.5f * (1f + erf(v * INV_SQRT2)), pdf = exp(v * v * -0.5f) * INV_SQRT_2PI;
            d[i] = g[i] * Math.fma(v, pdf, cdf);
        }
    }

    /** The same erf, scalar (tails). */
    static float erf(float x) {
        float ax = Math.abs(x), t = 1f / Math.fma(P, ax, 1f);
        float r = Math.fma(Math.fma(Math.fma(Math.fma(A5, t, A4), t, A3), t, A2), t, A1);
        float y = 1f - r * t * exp(-(ax * ax));
        return x < 0f ? -y : y;
    }

    /** Sum of the lanes in lane order: the same bits interpreted and compiled. */
    static float addLanes(FloatVector v) {
        // Through the thread's buffer: toArray allocated ~80K small arrays (~6 MB) per ResNet-20 training step (batch
        // norm's per-sample channel sums), most of what a step allocated once activations were recycled (JFR).
        float[] lanes = LANES.get();
        v.intoArray(lanes, 0);
        float s = lanes[0];
        for (int i = 1; i < lanes.length; i++) s += lanes[i];
        return s;
    }

    // exp as Cephes expf (|rel. error| ~ 2 ulp): x = n ln2 + r, |r| <= ln2/2, exp(r) by a degree-7 polynomial,
    // times 2^n built from the exponent bits. Below -87 it returns 0 (the true value is < 1.7e-38), above 88
    // +inf (true overflow is at 88.72); every caller passes x <= 0.
    private static final float EXP_LO = -87f, EXP_HI = 88f, LOG2E = 1.44269504088896341f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23: adding and subtracting it rounds to the nearest integer
    private static final int ROUND_BITS = Float.floatToRawIntBits(ROUND); // 0x4B400000; bits(ROUND + n) = ROUND_BITS + n
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float E1 = 1.9875691500e-4f, E2 = 1.3981999507e-3f, E3 = 8.3334519073e-3f, E4 = 4.1665795894e-2f,
            E5 = 1.6666665459e-1f, E6 = 5.0000001201e-1f;

    /** exp on a vector, lane by lane the same bits as {@link #exp(float)}. */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = xc.mul(LOG2E).add(ROUND); // = ROUND + n exactly (|n| <= 127, ulp 1 in that binade)
        FloatVector n = t.sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
        FloatVector p = r.fma(E1, E2).fma(r, FloatVector.broadcast(S, E3)).fma(r, FloatVector.broadcast(S, E4))
                .fma(r, FloatVector.broadcast(S, E5)).fma(r, FloatVector.broadcast(S, E6));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // (int) n + 127 read off t's low mantissa bits: JDK 17's C2 has no F2I vector cast, so convert(F2I) runs
        // the Java fallback (boxed arrays, ~25% of a transformer step); this is one integer subtract.
        IntVector bits = t.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23);
        y = y.mul(bits.reinterpretAsFloats());
        y = y.blend(0f, x.compare(VectorOperators.LT, EXP_LO));
        return y.blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, EXP_HI));
    }

    /** The same exp, scalar (tails). */
    static float exp(float x) {
        if (x < EXP_LO) return 0f;
        if (x > EXP_HI) return Float.POSITIVE_INFINITY;
        float n = (x * LOG2E + ROUND) - ROUND; // NaN stays NaN through the polynomial
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(E1, r, E2), r, E3), r, E4), r, E5), r, E6);
        float y = Math.fma(p, r * r, r) + 1f;
        return y * Float.intBitsToFloat(((int) n + 127) << 23);
    }
}
