package org.autoinit.tensor.blas;

import static org.autoinit.tensor.blas.VectorSgemm.L;
import static org.autoinit.tensor.blas.VectorSgemm.NR;
import static org.autoinit.tensor.blas.VectorSgemm.S;

import jdk.incubator.vector.FloatVector;

/**
 * {@link VectorSgemm}'s micro-kernel for a last column panel of at most one vector ({@code nr <= L}): the first
 * vector of each B panel row only, so a partial panel costs 6 FMAs per k instead of the full tile's 12 (All-CNN-C's
 * stride-2 layer at 8 x 8: n = 72 = 2 panels + 8 columns, a third of the product was padding). Writes
 * {@code t[r*NR + j]} for the 6 rows and j < L (never adds: partial tiles are added into C by the caller); every
 * element is the same FMA chain in k order as in the full kernel, so the bits do not change.
 */
final class HalfPanel {
    private HalfPanel() {}

    /** A(r, p) at {@code a[ao + p*as + r]} (a packed panel with as = MR, or a column-major A read in place). */
    static void kernel(int kc, float[] a, int ao, int as, float[] bp, int bo, float[] t) {
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S), c4 = FloatVector.zero(S), c5 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b = FloatVector.fromArray(S, bp, bo + p * NR);
            int ai = ao + p * as;
            c0 = FloatVector.broadcast(S, a[ai]).fma(b, c0);
            c1 = FloatVector.broadcast(S, a[ai + 1]).fma(b, c1);
            c2 = FloatVector.broadcast(S, a[ai + 2]).fma(b, c2);
            c3 = FloatVector.broadcast(S, a[ai + 3]).fma(b, c3);
            c4 = FloatVector.broadcast(S, a[ai + 4]).fma(b, c4);
            c5 = FloatVector.broadcast(S, a[ai + 5]).fma(b, c5);
        }
        c0.intoArray(t, 0);
        c1.intoArray(t, NR);
        c2.intoArray(t, 2 * NR);
        c3.intoArray(t, 3 * NR);
        c4.intoArray(t, 4 * NR);
        c5.intoArray(t, 5 * NR);
    }

    /** A read in place from six rows {@code lda} apart ({@code a[ao + r*lda + p]}). */
    static void rows(int kc, float[] a, int ao, int lda, float[] bp, int bo, float[] t) {
        int a1 = ao + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S);
        FloatVector c3 = FloatVector.zero(S), c4 = FloatVector.zero(S), c5 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector b = FloatVector.fromArray(S, bp, bo + p * NR);
            c0 = FloatVector.broadcast(S, a[ao + p]).fma(b, c0);
            c1 = FloatVector.broadcast(S, a[a1 + p]).fma(b, c1);
            c2 = FloatVector.broadcast(S, a[a2 + p]).fma(b, c2);
            c3 = FloatVector.broadcast(S, a[a3 + p]).fma(b, c3);
            c4 = FloatVector.broadcast(S, a[a4 + p]).fma(b, c4);
            c5 = FloatVector.broadcast(S, a[a5 + p]).fma(b, c5);
        }
        c0.intoArray(t, 0);
        c1.intoArray(t, NR);
        c2.intoArray(t, 2 * NR);
        c3.intoArray(t, 3 * NR);
        c4.intoArray(t, 4 * NR);
        c5.intoArray(t, 5 * NR);
    }
}
