package org.autoinit.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row loops of layer norm and of the Linear bias on the Vector API, for the loops C2 does not vectorize by itself: a row at an offset
 * ({@code x[off + i]}) combined with a per-feature array ({@code gamma[i]}). Different offsets into arrays that
 * might be the same array are a possible loop-carried dependence to C2's auto-vectorizer, so those loops ran
 * scalar (~1 ns per element, about 8% of a transformer training step). The same float operations in the same
 * order as the scalar loops (no fused multiply-add): the same bits. Call only when {@link Simd#enabled()}.
 */
public final class FloatRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FloatRows() {}

    /**
     * {@code y[off + i] = (x[off + i] - mean) * rstd * gamma[i] + beta[i]}, i < len; a null gamma is 1 (no multiply),
     * a null beta adds {@code 0f} after a gamma (so -0 becomes +0, as the scalar loops) and nothing without one.
     */
    public static void normalize(float[] x, float[] y, int off, int len, float mean, float rstd, float[] gamma, float[] beta) {
        int end = len / L * L, i = 0;
        if (gamma == null && beta == null) {
            for (; i < end; i += L) FloatVector.fromArray(S, x, off + i).sub(mean).mul(rstd).intoArray(y, off + i);
            for (; i < len; i++) y[off + i] = (x[off + i] - mean) * rstd;
        } else if (gamma == null) {
            for (; i < end; i += L) {
                FloatVector.fromArray(S, x, off + i).sub(mean).mul(rstd).add(FloatVector.fromArray(S, beta, i)).intoArray(y, off + i);
            }
            for (; i < len; i++) y[off + i] = (x[off + i] - mean) * rstd + beta[i];
        } else if (beta == null) {
            for (; i < end; i += L) {
                FloatVector.fromArray(S, x, off + i).sub(mean).mul(rstd).mul(FloatVector.fromArray(S, gamma, i)).add(0f).intoArray(y, off + i);
            }
            for (; i < len; i++) y[off + i] = (x[off + i] - mean) * rstd * gamma[i] + 0f;
        } else {
            for (; i < end; i += L) {
                FloatVector.fromArray(S, x, off + i).sub(mean).mul(rstd).mul(FloatVector.fromArray(S, gamma, i))
                        .add(FloatVector.fromArray(S, beta, i)).intoArray(y, off + i);
            }
            for (; i < len; i++) y[off + i] = (x[off + i] - mean) * rstd * gamma[i] + beta[i];
        }
    }

    /** {@code pg[i] += g[off + i] * ((x[off + i] - mean) * rstd)} and {@code pb[i] += g[off + i]}, i < len. */
    public static void accumulateAffineGrads(float[] g, float[] x, int off, int len, float mean, float rstd, float[] pg, float[] pb) {
        int end = len / L * L, i = 0;
        for (; i < end; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, off + i);
            FloatVector.fromArray(S, pg, i).add(gv.mul(FloatVector.fromArray(S, x, off + i).sub(mean).mul(rstd))).intoArray(pg, i);
            FloatVector.fromArray(S, pb, i).add(gv).intoArray(pb, i);
        }
        for (; i < len; i++) {
            float gv = g[off + i];
            pg[i] += gv * ((x[off + i] - mean) * rstd);
            pb[i] += gv;
        }
    }

    /** {@code out[i] = g[off + i] * gamma[i]}, i < len. */
    public static void scale(float[] g, int off, float[] gamma, float[] out, int len) {
        int end = len / L * L, i = 0;
        for (; i < end; i += L) FloatVector.fromArray(S, g, off + i).mul(FloatVector.fromArray(S, gamma, i)).intoArray(out, i);
        for (; i < len; i++) out[i] = g[off + i] * gamma[i];
    }

    /** {@code d[off + i] = a * u[i] + b * x[off + i] + c}, i < len. */
    public static void combine(float a, float[] u, float b, float[] x, float c, float[] d, int off, int len) {
        int end = len / L * L, i = 0;
        for (; i < end; i += L) {
            FloatVector.fromArray(S, u, i).mul(a).add(FloatVector.fromArray(S, x, off + i).mul(b)).add(c).intoArray(d, off + i);
        }
        for (; i < len; i++) d[off + i] = a * u[i] + b * x[off + i] + c;
    }
    /** {@code y[off + i] += b[i]}, i < len (a bias added to one row). */
    public static void addRow(float[] y, int off, float[] b, int len) {
        int end = len / L * L, i = 0;
        for (; i < end; i += L) FloatVector.fromArray(S, y, off + i).add(FloatVector.fromArray(S, b, i)).intoArray(y, off + i);
        for (; i < len; i++) y[off + i] += b[i];
    }
}
