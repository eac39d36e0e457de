package org.autoinit.tensor.blas;

import java.util.Arrays;

/**
 * Blocked pure-Java float32 GEMM on strided operands: {@code C = A B + beta C} (m x k times k x n), with
 * element (i, p) of A at {@code a[aOff + i*ars + p*acs]}, B likewise with (brs, bcs), C with (crs, ccs).
 * Strides express transposes, so one kernel serves every layout and every sub-block a thread split needs.
 *
 * <p>For each KC-deep slice of k and NC-wide panel of columns, the B panel is packed contiguously (it stays
 * in L2); rows of C are then handled four at a time: their A values are packed and the four C rows are
 * accumulated in private arrays (they stay in L1) by an inner loop over the panel's columns that C2
 * auto-vectorizes. Private accumulators rather than C itself because C2 vectorizes reliably only when the
 * rows are distinct arrays. k is consumed in pairs, halving the accumulator loads and stores per product.
 *
 * <p>Every element is computed as {@code acc = beta*c} (0 if beta is 0, so NaN in C is ignored as in BLAS),
 * then {@code acc += a[p]b[p] + a[p+1]b[p+1]} for p = 0, 2, 4, ... in order, whatever the blocking, row
 * grouping, orientation or thread split: results are bit-identical however the product is divided up.
 */
final class JavaSgemm {
    static final int KC = 256;
    static final int NC = 512;
    private static final int MR = 4;
    /** Below this many columns (and with more rows) the transposed problem gives the inner loop more work. */
    private static final int SWAP_BELOW = 16;

    /** Per-thread packing buffers and accumulators, allocated once per thread. */
    private static final class Work {
        final float[] bp = new float[KC * NC];
        final float[] ap = new float[KC * MR];
        final float[] c0 = new float[NC], c1 = new float[NC], c2 = new float[NC], c3 = new float[NC];
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private JavaSgemm() {}

    static void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                     float beta, float[] c, int cOff, int crs, int ccs) {
        if (m == 0 || n == 0) {
            return;
        }
        if (n < SWAP_BELOW && m > n) {
            // C^T = B^T A^T: same products summed in the same order, so the same bits.
            gemm(n, m, k, b, bOff, bcs, brs, a, aOff, acs, ars, beta, c, cOff, ccs, crs);
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    int at = cOff + i * crs + j * ccs;
                    c[at] = beta == 0f ? 0f : beta * c[at];
                }
            }
            return;
        }
        Work w = WORK.get();
        for (int pc = 0; pc < k; pc += KC) {
            int kb = Math.min(KC, k - pc);
            boolean first = pc == 0;
            for (int jc = 0; jc < n; jc += NC) {
                int nb = Math.min(NC, n - jc);
                packB(w.bp, b, bOff + pc * brs + jc * bcs, brs, bcs, kb, nb);
                int i = 0;
                for (; i + MR <= m; i += MR) {
                    int aAt = aOff + i * ars + pc * acs;
                    for (int r = 0; r < MR; r++) {
                        for (int p = 0; p < kb; p++) w.ap[p * MR + r] = a[aAt + r * ars + p * acs];
                    }
                    int cAt = cOff + i * crs + jc * ccs;
                    load(w.c0, c, cAt, ccs, nb, beta, first);
                    load(w.c1, c, cAt + crs, ccs, nb, beta, first);
                    load(w.c2, c, cAt + 2 * crs, ccs, nb, beta, first);
                    load(w.c3, c, cAt + 3 * crs, ccs, nb, beta, first);
                    kernel4(w.ap, w.bp, kb, nb, w.c0, w.c1, w.c2, w.c3);
                    store(w.c0, c, cAt, ccs, nb);
                    store(w.c1, c, cAt + crs, ccs, nb);
                    store(w.c2, c, cAt + 2 * crs, ccs, nb);
                    store(w.c3, c, cAt + 3 * crs, ccs, nb);
                }
                for (; i < m; i++) {
                    int aAt = aOff + i * ars + pc * acs;
                    for (int p = 0; p < kb; p++) w.ap[p] = a[aAt + p * acs];
                    int cAt = cOff + i * crs + jc * ccs;
                    load(w.c0, c, cAt, ccs, nb, beta, first);
                    kernel1(w.ap, w.bp, kb, nb, w.c0);
                    store(w.c0, c, cAt, ccs, nb);
                }
            }
        }
    }

    /** Copies the kb x nb block of B starting at {@code off} into {@code bp}, row-major and contiguous. */
    private static void packB(float[] bp, float[] b, int off, int brs, int bcs, int kb, int nb) {
        if (bcs == 1) {
            for (int p = 0; p < kb; p++) System.arraycopy(b, off + p * brs, bp, p * nb, nb);
        } else {
            // Transposed storage: read along B's contiguous direction.
            for (int j = 0; j < nb; j++) {
                int at = off + j * bcs;
                for (int p = 0; p < kb; p++) bp[p * nb + j] = b[at + p * brs];
            }
        }
    }

    private static void load(float[] acc, float[] c, int at, int ccs, int nb, float beta, boolean first) {
        if (first && beta == 0f) {
            Arrays.fill(acc, 0, nb, 0f);
        } else if (ccs == 1) {
            if (first && beta != 1f) {
                for (int j = 0; j < nb; j++) acc[j] = beta * c[at + j];
            } else {
                System.arraycopy(c, at, acc, 0, nb);
            }
        } else {
            float s = first ? beta : 1f;
            for (int j = 0; j < nb; j++) acc[j] = s * c[at + j * ccs];
        }
    }

    private static void store(float[] acc, float[] c, int at, int ccs, int nb) {
        if (ccs == 1) {
            System.arraycopy(acc, 0, c, at, nb);
        } else {
            for (int j = 0; j < nb; j++) c[at + j * ccs] = acc[j];
        }
    }

    /** Four rows of C += their packed A values (ap[p*4 + r]) times the packed B panel, two k-steps per pass. */
    private static void kernel4(float[] ap, float[] bp, int kb, int nb, float[] c0, float[] c1, float[] c2, float[] c3) {
        int p = 0;
        for (; p + 1 < kb; p += 2) {
            int ao = p * MR;
            float a00 = ap[ao], a10 = ap[ao + 1], a20 = ap[ao + 2], a30 = ap[ao + 3];
            float a01 = ap[ao + 4], a11 = ap[ao + 5], a21 = ap[ao + 6], a31 = ap[ao + 7];
            int b0 = p * nb, b1 = b0 + nb;
            for (int j = 0; j < nb; j++) {
                float x = bp[b0 + j], y = bp[b1 + j];
                c0[j] += a00 * x + a01 * y;
                c1[j] += a10 * x + a11 * y;
                c2[j] += a20 * x + a21 * y;
                c3[j] += a30 * x + a31 * y;
            }
        }
        if (p < kb) {
            int ao = p * MR;
            float a0 = ap[ao], a1 = ap[ao + 1], a2 = ap[ao + 2], a3 = ap[ao + 3];
            int b0 = p * nb;
            for (int j = 0; j < nb; j++) {
                float x = bp[b0 + j];
                c0[j] += a0 * x;
                c1[j] += a1 * x;
                c2[j] += a2 * x;
                c3[j] += a3 * x;
            }
        }
    }

    /** One row of C; the same arithmetic per element as {@link #kernel4}. */
    private static void kernel1(float[] ap, float[] bp, int kb, int nb, float[] c0) {
        int p = 0;
        for (; p + 1 < kb; p += 2) {
            float a0 = ap[p], a1 = ap[p + 1];
            int b0 = p * nb, b1 = b0 + nb;
            for (int j = 0; j < nb; j++) c0[j] += a0 * bp[b0 + j] + a1 * bp[b1 + j];
        }
        if (p < kb) {
            float a0 = ap[p];
            int b0 = p * nb;
            for (int j = 0; j < nb; j++) c0[j] += a0 * bp[b0 + j];
        }
    }
}
