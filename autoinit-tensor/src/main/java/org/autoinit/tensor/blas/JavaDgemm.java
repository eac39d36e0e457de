package org.autoinit.tensor.blas;

import java.util.Arrays;

/**
 * Float64 twin of {@link JavaSgemm} (same layout, strides and per-element summation order; see there). NC is
 * halved so the packed B panel and the accumulators take the same bytes as in float32.
 */
final class JavaDgemm {
    static final int KC = 256;
    static final int NC = 256;
    private static final int MR = 4;
    /** Below this many columns (and with more rows) the transposed problem gives the inner loop more work. */
    private static final int SWAP_BELOW = 16;

    /** Per-thread packing buffers and accumulators, allocated once per thread. */
    private static final class Work {
        final double[] bp = new double[KC * NC];
        final double[] ap = new double[KC * MR];
        final double[] c0 = new double[NC], c1 = new double[NC], c2 = new double[NC], c3 = new double[NC];
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private JavaDgemm() {}

    static void gemm(int m, int n, int k, double[] a, int aOff, int ars, int acs, double[] b, int bOff, int brs, int bcs,
                     double beta, double[] c, int cOff, int crs, int ccs) {
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
                    c[at] = beta == 0.0 ? 0.0 : beta * c[at];
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
    private static void packB(double[] bp, double[] b, int off, int brs, int bcs, int kb, int nb) {
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

    private static void load(double[] acc, double[] c, int at, int ccs, int nb, double beta, boolean first) {
        if (first && beta == 0.0) {
            Arrays.fill(acc, 0, nb, 0.0);
        } else if (ccs == 1) {
            if (first && beta != 1.0) {
                for (int j = 0; j < nb; j++) acc[j] = beta * c[at + j];
            } else {
                System.arraycopy(c, at, acc, 0, nb);
            }
        } else {
            double s = first ? beta : 1.0;
            for (int j = 0; j < nb; j++) acc[j] = s * c[at + j * ccs];
        }
    }

    private static void store(double[] acc, double[] c, int at, int ccs, int nb) {
        if (ccs == 1) {
            System.arraycopy(acc, 0, c, at, nb);
        } else {
            for (int j = 0; j < nb; j++) c[at + j * ccs] = acc[j];
        }
    }

    /** Four rows of C += their packed A values (ap[p*4 + r]) times the packed B panel, two k-steps per pass. */
    private static void kernel4(double[] ap, double[] bp, int kb, int nb, double[] c0, double[] c1, double[] c2, double[] c3) {
        int p = 0;
        for (; p + 1 < kb; p += 2) {
            int ao = p * MR;
            double a00 = ap[ao], a10 = ap[ao + 1], a20 = ap[ao + 2], a30 = ap[ao + 3];
            double a01 = ap[ao + 4], a11 = ap[ao + 5], a21 = ap[ao + 6], a31 = ap[ao + 7];
            int b0 = p * nb, b1 = b0 + nb;
            for (int j = 0; j < nb; j++) {
                double x = bp[b0 + j], y = bp[b1 + j];
                c0[j] += a00 * x + a01 * y;
                c1[j] += a10 * x + a11 * y;
                c2[j] += a20 * x + a21 * y;
                c3[j] += a30 * x + a31 * y;
            }
        }
        if (p < kb) {
            int ao = p * MR;
            double a0 = ap[ao], a1 = ap[ao + 1], a2 = ap[ao + 2], a3 = ap[ao + 3];
            int b0 = p * nb;
            for (int j = 0; j < nb; j++) {
                double x = bp[b0 + j];
                c0[j] += a0 * x;
                c1[j] += a1 * x;
                c2[j] += a2 * x;
                c3[j] += a3 * x;
            }
        }
    }

    /** One row of C; the same arithmetic per element as {@link #kernel4}. */
    private static void kernel1(double[] ap, double[] bp, int kb, int nb, double[] c0) {
        int p = 0;
        for (; p + 1 < kb; p += 2) {
            double a0 = ap[p], a1 = ap[p + 1];
            int b0 = p * nb, b1 = b0 + nb;
            for (int j = 0; j < nb; j++) c0[j] += a0 * bp[b0 + j] + a1 * bp[b1 + j];
        }
        if (p < kb) {
            double a0 = ap[p];
            int b0 = p * nb;
            for (int j = 0; j < nb; j++) c0[j] += a0 * bp[b0 + j];
        }
    }
}
