package org.autoinit.tensor.blas;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 GEMM on the JDK Vector API: {@code C = A B + beta C} (m x k times k x n) on strided operands, element
 * (i, p) of A at {@code a[aOff + i*ars + p*acs]}, B likewise with (brs, bcs), C row-major with row stride crs.
 * Strides express transposes, so one routine serves every layout, and it works on the Java arrays in place
 * (no copies in and out of native memory, unlike jblas, whose JNI layer copies whole arrays on every call).
 *
 * <p>GotoBLAS blocking: for each KC-deep slice of k and NC-wide block of columns, B is packed into
 * NR-wide column panels (one panel fits L1); for each MC-tall block of rows, A is packed into MR-tall row
 * panels (the block fits L2); a register-tiled MR x NR micro-kernel ({@code 6 x 2 vectors}: 12 accumulators,
 * one FMA per accumulator per k) then runs over every (row panel, column panel) pair. Edges are zero-padded
 * in the packs; partial tiles go through a small private tile. Operands can also come from {@link
 * PackedGemm.APack}/{@link PackedGemm.BPack} packers (implicit matrices such as convolution patches, packed
 * straight from the image), and A can be packed once for several products ({@link #prepackA}).
 *
 * <p>Deterministic: element (i, j) is {@code beta*c} (0 when beta is 0: C is not read, as BLAS) plus the
 * KC-slices summed in order, each slice an FMA chain in k order; so the result does not depend on how the
 * rows or columns are split between threads.
 */
final class VectorSgemm {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;
    static final int KC = 384;
    static final int MC = 144;
    static final int NC = 1024;

    /** Per-thread packing buffers. */
    private static final class Work {
        final float[] ap = new float[MC * KC];
        final float[] bp = new float[KC * NC];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private VectorSgemm() {}

    /** True when the preferred vector shape is wide enough (AVX2 or better) for this kernel to beat native BLAS. */
    static boolean worthwhile() {
        return L >= 8;
    }

    static void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                     float beta, float[] c, int cOff, int crs) {
        if (n < NR && m > n && k > 0) {
            // C^T = B^T A^T: narrow outputs (classifier heads) would waste most of each NR-wide panel.
            gemmT(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, beta, c, cOff, crs);
            return;
        }
        if (acs == 1 && k > 0) {
            gemmRowsA(m, n, k, a, aOff, ars, new StridedB(b, bOff, brs, bcs), beta, c, cOff, crs);
            return;
        }
        if (ars == 1 && k > 0) {
            gemmInPlaceA(m, n, k, a, aOff, 1, acs, new StridedB(b, bOff, brs, bcs), beta, c, cOff, crs);
            return;
        }
        gemm(m, n, k, new StridedA(a, aOff, ars, acs), new StridedB(b, bOff, brs, bcs), beta, c, cOff, crs);
    }

    /**
     * {@code C = A B + beta C} for a row-major A (element (i, p) at {@code a[aOff + i*lda + p]}) read in place: the
     * kernel broadcasts straight from A's rows, so A is not packed (packing costs about as much as the product
     * when n is small). Only a last partial panel of fewer than MR rows is packed, zero-padded.
     */
    static void gemmRowsA(int m, int n, int k, float[] a, int aOff, int lda, PackedGemm.BPack b, float beta,
                          float[] c, int cOff, int crs) {
        gemmInPlaceA(m, n, k, a, aOff, lda, 1, b, beta, c, cOff, crs);
    }

    /**
     * {@link #gemmRowsA} for A row-major ({@code acs == 1}) or column-major ({@code ars == 1}, e.g. the transposed
     * activations of a weight gradient X^T G): the kernel reads A's six rows of a panel in place either way, so A is
     * not packed. Only a last partial panel of fewer than MR rows is packed, zero-padded.
     */
    private static void gemmInPlaceA(int m, int n, int k, float[] a, int aOff, int ars, int acs, PackedGemm.BPack b, float beta,
                                     float[] c, int cOff, int crs) {
        if (m == 0 || n == 0) {
            return;
        }
        Work w = WORK.get();
        int kBlock = kBlock(k), mBlock = split(m, MC, MR), full = m / MR * MR;
        float[] t = w.tile, ap = w.ap, bp = w.bp;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kBlock) {
                int kc = Math.min(kBlock, k - pc);
                b.pack(pc, kc, jc, nc, bp);
                float bt = startSlice(pc, m, nc, beta, c, cOff + jc, crs);
                boolean add = bt != 0f;
                if (full < m) {
                    packA(m - full, kc, a, aOff + full * ars + pc * acs, ars, acs, ap, 0);
                }
                for (int ic = 0; ic < m; ic += mBlock) {
                    int ie = Math.min(m, ic + mBlock);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr), bo = jr * kc;
                        for (int ir = ic; ir < ie; ir += MR) {
                            int co = cOff + ir * crs + jc + jr, mr = Math.min(MR, m - ir), ao = aOff + ir * ars + pc * acs;
                            boolean direct = mr == MR && nr == NR;
                            float[] out = direct ? c : t;
                            int oo = direct ? co : 0, ors = direct ? crs : NR;
                            boolean acc = direct && add;
                            boolean half = nr <= L;
                            if (mr < MR) {
                                if (half) {
                                    HalfPanel.kernel(kc, ap, 0, MR, bp, bo, t);
                                } else {
                                    kernel(kc, ap, 0, MR, bp, bo, false, t, 0, NR);
                                }
                            } else if (acs == 1) {
                                if (half) {
                                    HalfPanel.rows(kc, a, ao, ars, bp, bo, t);
                                } else {
                                    kernelRows(kc, a, ao, ars, bp, bo, acc, out, oo, ors);
                                }
                            } else if (half) {
                                HalfPanel.kernel(kc, a, ao, acs, bp, bo, t);
                            } else {
                                kernel(kc, a, ao, acs, bp, bo, acc, out, oo, ors);
                            }
                            if (direct) {
                                continue;
                            }
                            for (int i = 0; i < mr; i++) {
                                int r = co + i * crs;
                                for (int j = 0; j < nr; j++) c[r + j] = add ? c[r + j] + t[i * NR + j] : t[i * NR + j];
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code C = A B + beta C} with A and B supplied by packers (implicit operands, e.g. convolution patches). */
    static void gemm(int m, int n, int k, PackedGemm.APack a, PackedGemm.BPack b, float beta, float[] c, int cOff, int crs) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(m, n, beta, c, cOff, crs);
            return;
        }
        Work w = WORK.get();
        int kBlock = kBlock(k), mBlock = split(m, MC, MR);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kBlock) {
                int kc = Math.min(kBlock, k - pc);
                b.pack(pc, kc, jc, nc, w.bp);
                float bt = startSlice(pc, m, nc, beta, c, cOff + jc, crs);
                for (int ic = 0; ic < m; ic += mBlock) {
                    int mc = Math.min(mBlock, m - ic);
                    a.pack(ic, mc, pc, kc, w.ap, 0);
                    macro(mc, nc, kc, w.ap, 0, w.bp, 0, w.tile, bt, c, cOff + ic * crs + jc, crs);
                }
            }
        }
    }

    /** Rows of A padded to whole MR panels. */
    static int paddedRows(int m) {
        return (m + MR - 1) / MR * MR;
    }

    /** The k slicing every product uses (equal slices of at most KC). */
    static int kBlock(int k) {
        return split(k, KC, 1);
    }

    /**
     * All of A (m x k) packed once, for {@link #gemmPrepacked}: the slice starting at k index pc (slices of
     * {@link #kBlock}) at offset {@code pc * paddedRows(m)}, laid out as {@link PackedGemm.APack} describes.
     */
    static float[] prepackA(int m, int k, PackedGemm.APack a) {
        return prepackA(m, k, a, new float[paddedRows(m) * k]);
    }

    /** {@link #prepackA(int, int, PackedGemm.APack)} into {@code ap} (at least {@code paddedRows(m) * k} long; every entry is written). */
    static float[] prepackA(int m, int k, PackedGemm.APack a, float[] ap) {
        int mPad = paddedRows(m), kBlock = kBlock(k);
        for (int pc = 0; pc < k; pc += kBlock) {
            a.pack(0, m, pc, Math.min(kBlock, k - pc), ap, pc * mPad);
        }
        return ap;
    }

    /** {@code C = A B + beta C} with A from {@link #prepackA} (all m rows in one block, so keep m moderate). */
    static void gemmPrepacked(int m, int n, int k, float[] ap, PackedGemm.BPack b, float beta, float[] c, int cOff, int crs) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(m, n, beta, c, cOff, crs);
            return;
        }
        Work w = WORK.get();
        int kBlock = kBlock(k), mPad = paddedRows(m);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kBlock) {
                int kc = Math.min(kBlock, k - pc);
                b.pack(pc, kc, jc, nc, w.bp);
                float bt = startSlice(pc, m, nc, beta, c, cOff + jc, crs);
                macro(m, nc, kc, ap, pc * mPad, w.bp, 0, w.tile, bt, c, cOff + jc, crs);
            }
        }
    }

    /**
     * {@code C = A B}, A from {@link #prepackA}, B(p, j) = {@code src[base + rowStart[p] + j]} read in place by the
     * micro-kernel (no packing) for the whole NR-wide column panels; the last partial panel goes through the packer.
     * For every p the run must lie inside src up to column n. Same sums in the same order as {@link #gemmPrepacked}.
     */
    static void gemmShiftedRows(int m, int n, int k, float[] ap, float[] src, int base, int[] rowStart, float[] c, int cOff, int crs) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(m, n, 0f, c, cOff, crs);
            return;
        }
        int kBlock = kBlock(k), mPad = paddedRows(m), full = n / NR * NR;
        if (full > 0) {
            float[] t = WORK.get().tile;
            for (int pc = 0; pc < k; pc += kBlock) {
                int kc = Math.min(kBlock, k - pc);
                boolean add = pc > 0;
                for (int jr = 0; jr < full; jr += NR) {
                    for (int ir = 0; ir < m; ir += MR) {
                        int mr = Math.min(MR, m - ir), ao = pc * mPad + ir * kc, co = cOff + ir * crs + jr;
                        if (mr == MR) {
                            kernelShifted(kc, ap, ao, src, base + jr, rowStart, pc, add, c, co, crs);
                        } else {
                            kernelShifted(kc, ap, ao, src, base + jr, rowStart, pc, false, t, 0, NR);
                            for (int i = 0; i < mr; i++) {
                                int r = co + i * crs;
                                for (int j = 0; j < NR; j++) c[r + j] = add ? c[r + j] + t[i * NR + j] : t[i * NR + j];
                            }
                        }
                    }
                }
            }
        }
        if (full < n) {
            PackedGemm.BPack b = (p0, kc, j0, nc, bp) -> packShiftedRows(src, base + full, rowStart, n - full, p0, kc, j0, nc, bp);
            gemmPrepacked(m, n - full, k, ap, b, 0f, c, cOff + full, crs);
        }
    }

    /** {@code C = A B}, A from {@link #prepackA}, B packed for all columns in one k slice ({@code k <= KC}). */
    static void gemmPacked(int m, int n, int k, float[] ap, float[] bp, int bOff, float[] c, int cOff, int crs) {
        if (k > KC) {
            throw new IllegalArgumentException("gemmPacked: k = " + k + " exceeds one packed slice (" + KC + ")");
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(m, n, 0f, c, cOff, crs);
            return;
        }
        Work w = WORK.get();
        macro(m, n, k, ap, 0, bp, bOff, w.tile, 0f, c, cOff, crs);
    }

    /** Before the first k slice applies beta (scaling C when it is neither 0 nor 1); returns the kernel's beta (0 or 1). */
    private static float startSlice(int pc, int m, int nc, float beta, float[] c, int cOff, int crs) {
        if (pc > 0) {
            return 1f;
        }
        if (beta != 0f && beta != 1f) {
            scale(m, nc, beta, c, cOff, crs);
        }
        return beta == 0f ? 0f : 1f;
    }

    /** Block size for {@code d} items: at most {@code max}, equal blocks, a multiple of {@code unit}. */
    private static int split(int d, int max, int unit) {
        int blocks = (d + max - 1) / max;
        int size = (d + blocks - 1) / blocks;
        return Math.min(max, (size + unit - 1) / unit * unit);
    }

    /** {@code C = A B + beta C} computed as the transposed product into a private buffer, then copied back. */
    private static void gemmT(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                              float beta, float[] c, int cOff, int crs) {
        float[] ct = new float[n * m];
        if (beta != 0f) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) ct[j * m + i] = c[cOff + i * crs + j];
            }
        }
        gemm(n, m, k, b, bOff, bcs, brs, a, aOff, acs, ars, beta, ct, 0, m);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) c[cOff + i * crs + j] = ct[j * m + i];
        }
    }

    /** {@code C[m x n] *= beta} (0 writes zeros: C is not read, as BLAS). */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int crs) {
        for (int i = 0; i < m; i++) {
            int r = cOff + i * crs;
            for (int j = 0; j < n; j++) c[r + j] = beta == 0f ? 0f : beta * c[r + j];
        }
    }

    /** Runs the micro-kernel over all panel pairs of a packed (mc x kc) A block and (kc x nc) B block; beta is 0 or 1. */
    private static void macro(int mc, int nc, int kc, float[] ap, int apOff, float[] bp, int bpOff, float[] t, float beta,
                              float[] c, int cOff, int crs) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int bo = bpOff + jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ao = apOff + ir * kc;
                int co = cOff + ir * crs + jr;
                if (mr == MR && nr == NR) {
                    kernel(kc, ap, ao, MR, bp, bo, beta != 0f, c, co, crs);
                } else {
                    if (nr <= L) {
                        HalfPanel.kernel(kc, ap, ao, MR, bp, bo, t);
                    } else {
                        kernel(kc, ap, ao, MR, bp, bo, false, t, 0, NR);
                    }
                    for (int i = 0; i < mr; i++) {
                        int r = co + i * crs;
                        for (int j = 0; j < nr; j++) c[r + j] = beta == 0f ? t[i * NR + j] : c[r + j] + t[i * NR + j];
                    }
                }
            }
        }
    }

    /** A with strides: element (i, p) at {@code a[off + i*rs + p*cs]}. */
    private record StridedA(float[] a, int off, int rs, int cs) implements PackedGemm.APack {
        @Override
        public void pack(int i0, int mc, int p0, int kc, float[] ap, int apOff) {
            packA(mc, kc, a, off + i0 * rs + p0 * cs, rs, cs, ap, apOff);
        }
    }

    /** B with strides: element (p, j) at {@code b[off + p*rs + j*cs]}. */
    private record StridedB(float[] b, int off, int rs, int cs) implements PackedGemm.BPack {
        @Override
        public void pack(int p0, int kc, int j0, int nc, float[] bp) {
            packB(kc, nc, b, off + p0 * rs + j0 * cs, rs, cs, bp);
        }
    }

    /**
     * B block (kc x nc, strides brs/bcs) into NR-wide panels: panel q holds {@code bp[q*NR*kc + p*NR + j]} =
     * B(p, q*NR + j), zero beyond nc. Row-major B is read row by row (long contiguous runs, few pages).
     */
    static void packB(int kc, int nc, float[] b, int bOff, int brs, int bcs, float[] bp) {
        int full = nc / NR * NR;
        if (bcs == 1) {
            for (int p = 0; p < kc; p++) {
                int src = bOff + p * brs, dst = p * NR;
                for (int j0 = 0; j0 < full; j0 += NR, dst += NR * kc) {
                    FloatVector.fromArray(S, b, src + j0).intoArray(bp, dst);
                    FloatVector.fromArray(S, b, src + j0 + L).intoArray(bp, dst + L);
                }
                if (full < nc) {
                    int nr = nc - full;
                    for (int j = 0; j < nr; j++) bp[dst + j] = b[src + full + j];
                    for (int j = nr; j < NR; j++) bp[dst + j] = 0f;
                }
            }
            return;
        }
        for (int j0 = 0; j0 < nc; j0 += NR) {
            int nr = Math.min(NR, nc - j0), base = j0 * kc;
            for (int j = 0; j < nr; j++) {
                int src = bOff + (j0 + j) * bcs;
                for (int p = 0; p < kc; p++) bp[base + p * NR + j] = b[src + p * brs];
            }
            for (int j = nr; j < NR; j++) {
                for (int p = 0; p < kc; p++) bp[base + p * NR + j] = 0f;
            }
        }
    }

    /**
     * A block (mc x kc, strides ars/acs) into MR-tall panels: panel q holds {@code ap[q*MR*kc + p*MR + i]} =
     * A(q*MR + i, p), zero beyond mc.
     */
    static void packA(int mc, int kc, float[] a, int aOff, int ars, int acs, float[] ap, int apOff) {
        for (int i0 = 0; i0 < mc; i0 += MR) {
            int mr = Math.min(MR, mc - i0), base = apOff + i0 * kc;
            if (mr == MR) {
                int s0 = aOff + i0 * ars, s1 = s0 + ars, s2 = s1 + ars, s3 = s2 + ars, s4 = s3 + ars, s5 = s4 + ars;
                for (int p = 0, q = 0; p < kc; p++, q += acs) {
                    int d = base + p * MR;
                    ap[d] = a[s0 + q];
                    ap[d + 1] = a[s1 + q];
                    ap[d + 2] = a[s2 + q];
                    ap[d + 3] = a[s3 + q];
                    ap[d + 4] = a[s4 + q];
                    ap[d + 5] = a[s5 + q];
                }
            } else {
                for (int i = 0; i < MR; i++) {
                    int src = aOff + (i0 + i) * ars;
                    for (int p = 0; p < kc; p++) ap[base + p * MR + i] = i < mr ? a[src + p * acs] : 0f;
                }
            }
        }
    }

    /** B(p, j) = src[base + rowStart[p] + j] for j < cols, else 0; see {@link PackedGemm#shiftedRowsB}. */
    static void packShiftedRows(float[] src, int base, int[] rowStart, int cols, int p0, int kc, int j0, int nc, float[] bp) {
        int valid = Math.max(0, Math.min(nc, cols - j0));
        int fullPanels = valid / NR;
        for (int p = 0; p < kc; p++) {
            int s0 = base + rowStart[p0 + p] + j0, d0 = p * NR;
            for (int q = 0; q < fullPanels; q++) {
                int s = s0 + q * NR, d = d0 + q * NR * kc;
                FloatVector.fromArray(S, src, s).intoArray(bp, d);
                FloatVector.fromArray(S, src, s + L).intoArray(bp, d + L);
            }
            for (int j = fullPanels * NR; j < nc; j += NR) {
                int d = d0 + j * kc, end = Math.min(NR, valid - j);
                for (int jj = 0; jj < NR; jj++) bp[d + jj] = jj < end ? src[s0 + j + jj] : 0f;
            }
        }
    }

    /** For each column j, the end of the run of consecutive {@code colRel} values containing it. */
    static int[] runEnds(int[] colRel) {
        int n = colRel.length;
        int[] end = new int[n];
        for (int j = n - 1; j >= 0; j--) {
            end[j] = j + 1 < n && colRel[j + 1] == colRel[j] + 1 ? end[j + 1] : j + 1;
        }
        return end;
    }

    /** B(p, j) = src[rowBase[p] + colRel[j]]; see {@link PackedGemm#gatheredB}. */
    static void packGathered(float[] src, int[] rowBase, int[] colRel, int[] runEnd, int p0, int kc, int j0, int nc, float[] bp) {
        for (int q = 0; q * NR < nc; q++) {
            int c0 = j0 + q * NR, c1 = Math.min(j0 + nc, c0 + NR), base = q * NR * kc;
            boolean oneRun = c1 - c0 == NR && runEnd[c0] >= c1;
            // Two runs of a vector each (e.g. 16 channels of two taps with 16-float vectors): two vector copies.
            boolean twoRuns = !oneRun && c1 - c0 == NR && runEnd[c0] >= c0 + L && runEnd[c0 + L] >= c1;
            for (int p = 0; p < kc; p++) {
                int s = rowBase[p0 + p], d = base + p * NR;
                if (oneRun) {
                    int at = s + colRel[c0];
                    FloatVector.fromArray(S, src, at).intoArray(bp, d);
                    FloatVector.fromArray(S, src, at + L).intoArray(bp, d + L);
                    continue;
                }
                if (twoRuns) {
                    FloatVector.fromArray(S, src, s + colRel[c0]).intoArray(bp, d);
                    FloatVector.fromArray(S, src, s + colRel[c0 + L]).intoArray(bp, d + L);
                    continue;
                }
                int j = c0;
                while (j < c1) {
                    int e = Math.min(runEnd[j], c1), at = s + colRel[j], o = d + j - c0;
                    for (int t = 0; t < e - j; t++) bp[o + t] = src[at + t];
                    j = e;
                }
                for (int t = c1 - c0; t < NR; t++) bp[d + t] = 0f;
            }
        }
    }

    /**
     * {@code C[6 x NR] = Apanel Bpanel}, or {@code C += Apanel Bpanel} when {@code add}; A(r, p) at {@code ap[ao + p*as + r]}
     * ({@code as} = MR for a packed panel, the column stride for a column-major A read in place). Everything stays in
     * this method: a vector passed to a call that C2 does not inline gets boxed, which costs 10x.
     */
    private static void kernel(int kc, float[] ap, int ao, int as, float[] bp, int bo, boolean add, float[] c, int co, int crs) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            int ai = ao + p * as;
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int r1 = co + crs, r2 = r1 + crs, r3 = r2 + crs, r4 = r3 + crs, r5 = r4 + crs;
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c10 = c10.add(FloatVector.fromArray(S, c, r1));
            c11 = c11.add(FloatVector.fromArray(S, c, r1 + L));
            c20 = c20.add(FloatVector.fromArray(S, c, r2));
            c21 = c21.add(FloatVector.fromArray(S, c, r2 + L));
            c30 = c30.add(FloatVector.fromArray(S, c, r3));
            c31 = c31.add(FloatVector.fromArray(S, c, r3 + L));
            c40 = c40.add(FloatVector.fromArray(S, c, r4));
            c41 = c41.add(FloatVector.fromArray(S, c, r4 + L));
            c50 = c50.add(FloatVector.fromArray(S, c, r5));
            c51 = c51.add(FloatVector.fromArray(S, c, r5 + L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + L);
    }

    /** {@link #kernel} with B row p read in place at {@code src[bo + rowStart[p0 + p]]} (two vectors). */
    private static void kernelShifted(int kc, float[] ap, int ao, float[] src, int bo, int[] rowStart, int p0, boolean add,
                                      float[] c, int co, int crs) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bo + rowStart[p0 + p];
            FloatVector b0 = FloatVector.fromArray(S, src, bi);
            FloatVector b1 = FloatVector.fromArray(S, src, bi + L);
            int ai = ao + p * MR;
            FloatVector x = FloatVector.broadcast(S, ap[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int r1 = co + crs, r2 = r1 + crs, r3 = r2 + crs, r4 = r3 + crs, r5 = r4 + crs;
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c10 = c10.add(FloatVector.fromArray(S, c, r1));
            c11 = c11.add(FloatVector.fromArray(S, c, r1 + L));
            c20 = c20.add(FloatVector.fromArray(S, c, r2));
            c21 = c21.add(FloatVector.fromArray(S, c, r2 + L));
            c30 = c30.add(FloatVector.fromArray(S, c, r3));
            c31 = c31.add(FloatVector.fromArray(S, c, r3 + L));
            c40 = c40.add(FloatVector.fromArray(S, c, r4));
            c41 = c41.add(FloatVector.fromArray(S, c, r4 + L));
            c50 = c50.add(FloatVector.fromArray(S, c, r5));
            c51 = c51.add(FloatVector.fromArray(S, c, r5 + L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + L);
    }

    /** {@link #kernel} with A read in place from six rows {@code lda} apart ({@code a[ao + r*lda + p]}). */
    private static void kernelRows(int kc, float[] a, int ao, int lda, float[] bp, int bo, boolean add, float[] c, int co, int crs) {
        int a1 = ao + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
            FloatVector x = FloatVector.broadcast(S, a[ao + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int r1 = co + crs, r2 = r1 + crs, r3 = r2 + crs, r4 = r3 + crs, r5 = r4 + crs;
        if (add) {
            c00 = c00.add(FloatVector.fromArray(S, c, co));
            c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            c10 = c10.add(FloatVector.fromArray(S, c, r1));
            c11 = c11.add(FloatVector.fromArray(S, c, r1 + L));
            c20 = c20.add(FloatVector.fromArray(S, c, r2));
            c21 = c21.add(FloatVector.fromArray(S, c, r2 + L));
            c30 = c30.add(FloatVector.fromArray(S, c, r3));
            c31 = c31.add(FloatVector.fromArray(S, c, r3 + L));
            c40 = c40.add(FloatVector.fromArray(S, c, r4));
            c41 = c41.add(FloatVector.fromArray(S, c, r4 + L));
            c50 = c50.add(FloatVector.fromArray(S, c, r5));
            c51 = c51.add(FloatVector.fromArray(S, c, r5 + L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, r1);
        c11.intoArray(c, r1 + L);
        c20.intoArray(c, r2);
        c21.intoArray(c, r2 + L);
        c30.intoArray(c, r3);
        c31.intoArray(c, r3 + L);
        c40.intoArray(c, r4);
        c41.intoArray(c, r4 + L);
        c50.intoArray(c, r5);
        c51.intoArray(c, r5 + L);
    }
}
