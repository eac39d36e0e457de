package org.autoinit.tensor.simd;

import static org.autoinit.tensor.simd.FloatSimd.A1;
import static org.autoinit.tensor.simd.FloatSimd.A2;
import static org.autoinit.tensor.simd.FloatSimd.A3;
import static org.autoinit.tensor.simd.FloatSimd.A4;
import static org.autoinit.tensor.simd.FloatSimd.A5;
import static org.autoinit.tensor.simd.FloatSimd.INV_SQRT2;
import static org.autoinit.tensor.simd.FloatSimd.INV_SQRT_2PI;
import static org.autoinit.tensor.simd.FloatSimd.P;
import static org.autoinit.tensor.simd.FloatSimd.exp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The transcendental float32 loops of {@link FloatSimd} (GELU, softmax) cut into passes with at most one exp
 * each, every pass its own C2 compilation unit.
 *
 * <p>Why: C2 turns a Vector API loop into plain vector instructions only while its compilation unit stays small.
 * erf's and exp's bodies in one unit, or two passes inlined into one caller, exceed the inlining budget once the
 * program has run other Vector API code (a training step has; a fresh JVM running one kernel has not): C2 then
 * inlines late, loses the exact vector types, and every vector operation allocates its result. GELU ran ~3x
 * slower that way (JFR: {@code lanewiseTemplate}, {@code intoArray} and {@code blendTemplate} frames, ~15% of a
 * transformer training step). A call through a {@link MethodHandle} read from a non-final field is never inlined,
 * so each pass here is compiled on its own whatever calls it; such a call costs a few nanoseconds.
 *
 * <p>Every pass works on whole vectors of {@code [lo, hi)}; callers finish the tails with the scalar formulas.
 * The operations and their order are those of the one-loop forms, so the results are the same bits.
 */
final class FloatPasses {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    // Deliberately not final: a final MethodHandle is a constant to C2, which would inline the pass again.
    private static MethodHandle erfExp = pass("erfExp", float[].class, float[].class, int.class, int.class);
    private static MethodHandle geluFromErfExp = pass("geluFromErfExp", float[].class, float[].class, int.class, int.class);
    private static MethodHandle cdfFromErfExp = pass("cdfFromErfExp", float[].class, float[].class, int.class, int.class);
    private static MethodHandle geluGradFromCdf = pass("geluGradFromCdf", float[].class, float[].class, float[].class, int.class, int.class);
    private static MethodHandle expRows = pass("expRows", float[].class, int.class, int.class, int.class, float.class, float[].class, float[].class);

    private FloatPasses() {}

    private static MethodHandle pass(String name, Class<?>... params) {
        try {
            return MethodHandles.lookup().findStatic(FloatPasses.class, name, MethodType.methodType(void.class, params));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("FloatPasses: no pass " + name, e);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(t);
    }

    /** Elements per block: the passes over a block reread what the previous pass wrote from L1. */
    private static final int BLOCK = 2048;

    /** {@code y = x/2 (1 + erf(x / sqrt 2))} on whole vectors of {@code [lo, hi)}; {@code y} must not be {@code x}. */
    static void geluForward(float[] x, float[] y, int lo, int hi) {
        try {
            for (int b = lo; b < hi; b += BLOCK) {
                int e = Math.min(hi, b + BLOCK);
                erfExp.invokeExact(x, y, b, e);
                geluFromErfExp.invokeExact(x, y, b, e);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code d = g (Phi(x) + x phi(x))} on whole vectors of {@code [lo, hi)}; {@code d} must be neither {@code x} nor {@code g}. */
    static void geluBackward(float[] x, float[] g, float[] d, int lo, int hi) {
        try {
            for (int b = lo; b < hi; b += BLOCK) {
                int e = Math.min(hi, b + BLOCK);
                erfExp.invokeExact(x, d, b, e);
                cdfFromErfExp.invokeExact(x, d, b, e);
                geluGradFromCdf.invokeExact(x, g, d, b, e);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Softmax of {@code rows} rows of {@code len} at {@code a[off..]}, in place: {@code a = exp(scale a - max) / sum}
     * per row (a row whose scaled maximum is -inf becomes zeros).
     */
    static void softmaxRows(float[] a, int off, int rows, int len, float scale) {
        float[] max = new float[rows], sum = new float[rows];
        int end = len / L * L;
        for (int r = 0; r < rows; r++) {
            int o = off + r * len, i;
            FloatVector mx = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (i = 0; i < end; i += L) mx = mx.max(FloatVector.fromArray(S, a, o + i).mul(scale));
            float m = mx.reduceLanes(VectorOperators.MAX);
            for (; i < len; i++) m = Math.max(m, a[o + i] * scale);
            max[r] = m;
        }
        try {
            expRows.invokeExact(a, off, rows, len, scale, max, sum);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        for (int r = 0; r < rows; r++) {
            int o = off + r * len, i;
            if (max[r] == Float.NEGATIVE_INFINITY) {
                java.util.Arrays.fill(a, o, o + len, 0f);
                continue;
            }
            float inv = 1f / sum[r];
            for (i = 0; i < end; i += L) FloatVector.fromArray(S, a, o + i).mul(inv).intoArray(a, o + i);
            for (; i < len; i++) a[o + i] *= inv;
        }
    }

    /** {@code e = exp(-(x / sqrt 2)^2)}, the exp inside erf(x / sqrt 2). */
    private static void erfExp(float[] x, float[] e, int lo, int hi) {
        for (int i = lo; i < hi; i += L) {
            FloatVector ax = FloatVector.fromArray(S, x, i).mul(INV_SQRT2).abs();
            exp(ax.mul(ax).neg()).intoArray(e, i);
        }
    }

    /** {@code y = x/2 (1 + erf(x / sqrt 2))}, y holding erf's exp on entry. */
    private static void geluFromErfExp(float[] x, float[] y, int lo, int hi) {
        for (int i = lo; i < hi; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(0.5f).mul(erf(v.mul(INV_SQRT2), FloatVector.fromArray(S, y, i)).add(1f)).intoArray(y, i);
        }
    }

    /** {@code d = Phi(x) = (1 + erf(x / sqrt 2)) / 2}, d holding erf's exp on entry. */
    private static void cdfFromErfExp(float[] x, float[] d, int lo, int hi) {
        for (int i = lo; i < hi; i += L) {
            erf(FloatVector.fromArray(S, x, i).mul(INV_SQRT2), FloatVector.fromArray(S, d, i)).add(1f).mul(0.5f).intoArray(d, i);
        }
    }

    /** {@code d = g (x phi(x) + d)}, d holding Phi(x) on entry. */
    private static void geluGradFromCdf(float[] x, float[] g, float[] d, int lo, int hi) {
        for (int i = lo; i < hi; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector pdf = exp(v.mul(v).mul(-0.5f)).mul(INV_SQRT_2PI);
            FloatVector.fromArray(S, g, i).mul(v.fma(pdf, FloatVector.fromArray(S, d, i))).intoArray(d, i);
        }
    }

    /** {@code a = exp(scale a - max[r])} per row, {@code sum[r]} = the row's sum (lanes in lane order, then the tail). */
    private static void expRows(float[] a, int off, int rows, int len, float scale, float[] max, float[] sum) {
        int end = len / L * L;
        float[] lanes = new float[L];
        for (int r = 0; r < rows; r++) {
            float m = max[r];
            if (m == Float.NEGATIVE_INFINITY) continue;
            int o = off + r * len, i;
            FloatVector acc = FloatVector.zero(S);
            for (i = 0; i < end; i += L) {
                FloatVector e = exp(FloatVector.fromArray(S, a, o + i).mul(scale).sub(m));
                e.intoArray(a, o + i);
                acc = acc.add(e);
            }
            acc.intoArray(lanes, 0);
            float s = lanes[0];
            for (int j = 1; j < L; j++) s += lanes[j];
            for (; i < len; i++) {
                a[o + i] = FloatSimd.exp(a[o + i] * scale - m);
                s += a[o + i];
            }
            sum[r] = s;
        }
    }

    /** erf(xs) from {@code e = exp(-xs^2)}: {@code sign(xs) (1 - poly(t) t e)}, {@code t = 1 / (1 + P |xs|)}. */
    private static FloatVector erf(FloatVector xs, FloatVector e) {
        FloatVector ax = xs.abs();
        FloatVector t = FloatVector.broadcast(S, 1f).div(ax.fma(P, 1f));
        FloatVector r = t.fma(A5, A4).fma(t, FloatVector.broadcast(S, A3)).fma(t, FloatVector.broadcast(S, A2))
                .fma(t, FloatVector.broadcast(S, A1));
        FloatVector y = FloatVector.broadcast(S, 1f).sub(r.mul(t).mul(e));
        return y.blend(y.neg(), xs.compare(VectorOperators.LT, 0f));
    }
}
