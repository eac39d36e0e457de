package org.autoinit.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Micro-kernel of a product whose left operand's rows are runs of one array at arbitrary starts (convolution
 * patches: row = kernel tap, run = the tap's shifted view of the padded image) and whose right operand is
 * packed in one-vector-wide panels ({@code b[bo + p*lanes() + j]}): {@link #ROWS} rows times one vector of
 * columns per call, the A values broadcast straight from their runs, so the patches are never copied.
 * Only call when {@link Simd#enabled()}.
 */
public final class RowRunKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows per call (12 accumulators of one vector). */
    public static final int ROWS = 12;

    private RowRunKernel() {}

    /** Columns per call, the width of a B panel. */
    public static int lanes() {
        return L;
    }

    /**
     * {@code c[co + r*crs + j] += sum_{p < kc} a[rows[r] + p] * b[bo + p*L + j]} for r < 12, j < L: each sum an
     * FMA chain in p order, added to c at the end. Everything stays in this method (a vector passed to a call
     * that C2 does not inline is boxed).
     */
    public static void accumulate(int kc, float[] a, int[] rows, float[] b, int bo, float[] c, int co, int crs) {
        int a0 = rows[0], a1 = rows[1], a2 = rows[2], a3 = rows[3], a4 = rows[4], a5 = rows[5];
        int a6 = rows[6], a7 = rows[7], a8 = rows[8], a9 = rows[9], a10 = rows[10], a11 = rows[11];
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S), c3 = FloatVector.zero(S);
        FloatVector c4 = FloatVector.zero(S), c5 = FloatVector.zero(S), c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
        FloatVector c8 = FloatVector.zero(S), c9 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector v = FloatVector.fromArray(S, b, bo + p * L);
            c0 = FloatVector.broadcast(S, a[a0 + p]).fma(v, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(v, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(v, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(v, c3);
            c4 = FloatVector.broadcast(S, a[a4 + p]).fma(v, c4);
            c5 = FloatVector.broadcast(S, a[a5 + p]).fma(v, c5);
            c6 = FloatVector.broadcast(S, a[a6 + p]).fma(v, c6);
            c7 = FloatVector.broadcast(S, a[a7 + p]).fma(v, c7);
            c8 = FloatVector.broadcast(S, a[a8 + p]).fma(v, c8);
            c9 = FloatVector.broadcast(S, a[a9 + p]).fma(v, c9);
            c10 = FloatVector.broadcast(S, a[a10 + p]).fma(v, c10);
            c11 = FloatVector.broadcast(S, a[a11 + p]).fma(v, c11);
        }
        int r = co;
        c0.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        r += crs;
        c1.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        r += crs;
        c2.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        r += crs;
        c3.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        r += crs;
        c4.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        r += crs;
        c5.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        r += crs;
        c6.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        r += crs;
        c7.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        r += crs;
        c8.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        r += crs;
        c9.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        r += crs;
        c10.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
        r += crs;
        c11.add(FloatVector.fromArray(S, c, r)).intoArray(c, r);
    }
}
