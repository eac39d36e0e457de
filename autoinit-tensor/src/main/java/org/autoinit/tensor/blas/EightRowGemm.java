package org.autoinit.tensor.blas;

import static org.autoinit.tensor.blas.VectorSgemm.L;
import static org.autoinit.tensor.blas.VectorSgemm.NR;
import static org.autoinit.tensor.blas.VectorSgemm.S;

import jdk.incubator.vector.FloatVector;

/**
 * {@link PackedGemm#gemmShiftedRows} with 8-row A panels (an 8 x 2-vector micro-kernel, 16 accumulators) for row
 * counts that 6-row panels pad: 16, 32 and 64 rows cost 18, 36 and 66 rows of FMAs on 6-row panels (ResNet-20's
 * convolutions, forward, dX and dW, lose 12.5% / 12.5% / 3% of their products to it), none on 8-row panels.
 * Same k slices ({@link VectorSgemm#kBlock}) and, for every element, the same FMA chain in k order with the
 * slices added in order, so the bits equal the 6-row product's.
 *
 * <p>Packed A: the slice starting at k index pc at {@code pc * paddedRows(m)}, panel q (rows {@code 8q ..}) at
 * {@code + q*8*kc}, element (row 8q + r, k index pc + p) at {@code + p*8 + r}, rows past m zero.
 */
public final class EightRowGemm {
    /** Rows per A panel. */
    public static final int MR = 8;

    /** Fills the 8-row panels of A's rows [0, m), k range [p0, p0 + kc), at {@code ap[off..]} (layout above). */
    @FunctionalInterface
    public interface APack {
        void pack(int m, int p0, int kc, float[] ap, int off);
    }

    private static final class Work {
        final float[] tile = new float[MR * NR];
        final float[] tail = new float[VectorSgemm.KC * NR];
        final int[] ramp = new int[VectorSgemm.KC];

        Work() {
            for (int p = 0; p < ramp.length; p++) ramp[p] = p * NR;
        }
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    private EightRowGemm() {}

    /** True when 8-row panels pad {@code m} rows less than the 6-row kernel's (16, 32, 64, ... rows). */
    public static boolean better(int m) {
        return PackedGemm.available() && paddedRows(m) < VectorSgemm.paddedRows(m);
    }

    /** Rows padded to whole 8-row panels. */
    public static int paddedRows(int m) {
        return (m + MR - 1) / MR * MR;
    }

    /** All of A (m x k) packed once by {@code a}, one call per k slice. */
    public static float[] prepackA(int m, int k, APack a) {
        return prepackA(m, k, a, new float[paddedRows(m) * k]);
    }

    /** {@link #prepackA(int, int, APack)} into {@code ap} (at least {@code paddedRows(m) * k} long, every entry written; reusable). */
    public static float[] prepackA(int m, int k, APack a, float[] ap) {
        int mPad = paddedRows(m), kBlock = VectorSgemm.kBlock(k);
        for (int pc = 0; pc < k; pc += kBlock) a.pack(m, pc, Math.min(kBlock, k - pc), ap, pc * mPad);
        return ap;
    }

    /** A packer for a strided A: element (i, p) at {@code a[off + i*rs + p*cs]}. */
    public static APack stridedA(float[] a, int off, int rs, int cs) {
        return (m, p0, kc, ap, apOff) -> {
            for (int i0 = 0; i0 < m; i0 += MR) {
                int base = apOff + i0 * kc;
                for (int i = 0; i < MR; i++) {
                    int src = off + (i0 + i) * rs + p0 * cs;
                    boolean real = i0 + i < m;
                    for (int p = 0; p < kc; p++) ap[base + p * MR + i] = real ? a[src + p * cs] : 0f;
                }
            }
        };
    }

    /**
     * {@code C = A B}, A from {@link #prepackA}, B(p, j) = {@code src[base + rowStart[p] + j]} read in place for the
     * whole NR-wide column panels (every run must lie inside src up to column n); a last partial panel is copied.
     */
    public static void gemmShiftedRows(int m, int n, int k, float[] ap, float[] src, int base, int[] rowStart,
                                       float[] c, int cOff, int crs) {
        gemmShiftedRows(m, 0, m, n, k, ap, src, base, rowStart, c, cOff, crs);
    }

    /**
     * Rows [rowFrom, rowTo) of {@link #gemmShiftedRows(int, int, int, float[], float[], int, int[], float[], int, int)}
     * ({@code rowFrom} a multiple of {@link #MR}): lets threads split the row panels of one column panel. Every element
     * gets the same FMA chains as in the whole product, so the bits do not depend on the split.
     */
    public static void gemmShiftedRows(int m, int rowFrom, int rowTo, int n, int k, float[] ap, float[] src, int base,
                                       int[] rowStart, float[] c, int cOff, int crs) {
        if (rowFrom % MR != 0 || rowFrom < 0 || rowTo > m) {
            throw new IllegalArgumentException("gemmShiftedRows: rows [" + rowFrom + ", " + rowTo + ") of " + m
                    + " must start at a multiple of " + MR);
        }
        if (rowTo <= rowFrom || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = rowFrom; i < rowTo; i++) java.util.Arrays.fill(c, cOff + i * crs, cOff + i * crs + n, 0f);
            return;
        }
        Work w = WORK.get();
        int kBlock = VectorSgemm.kBlock(k), mPad = paddedRows(m), full = n / NR * NR;
        for (int pc = 0; pc < k; pc += kBlock) {
            int kc = Math.min(kBlock, k - pc);
            boolean add = pc > 0;
            for (int jr = 0; jr < full; jr += NR) {
                panelColumn(rowFrom, rowTo, kc, ap, pc * mPad, src, base + jr, L, rowStart, pc, add, c, cOff + jr, crs, NR, w.tile);
            }
            if (full < n) {
                int nr = n - full;
                float[] t = w.tail;
                for (int p = 0; p < kc; p++) {
                    int s = base + rowStart[pc + p] + full, d = p * NR;
                    for (int j = 0; j < NR; j++) t[d + j] = j < nr ? src[s + j] : 0f;
                }
                panelColumn(rowFrom, rowTo, kc, ap, pc * mPad, t, 0, L, w.ramp, 0, add, c, cOff + full, crs, nr, w.tile);
            }
        }
    }

    /**
     * One column panel of {@code C = A B} made of two runs: B(p, j) = {@code src[first + rowStart[p] + j]} for j < L and
     * {@code src[second + rowStart[p] + j - L]} for L <= j < NR, {@code nr} valid columns (for nr <= L the second run
     * is not used). A from {@link #prepackA}. Lets a panel straddle two kernel rows of a channel-last patch matrix whose
     * rows are an odd number of vectors long (16 channels x 3 taps), with no copy.
     */
    public static void gemmTwoRunPanel(int m, int nr, int k, float[] ap, float[] src, int first, int second, int[] rowStart,
                                       float[] c, int cOff, int crs) {
        gemmTwoRunPanel(m, 0, m, nr, k, ap, src, first, second, rowStart, c, cOff, crs);
    }

    /** Rows [rowFrom, rowTo) ({@code rowFrom} a multiple of {@link #MR}) of the two-run panel above; same bits. */
    public static void gemmTwoRunPanel(int m, int rowFrom, int rowTo, int nr, int k, float[] ap, float[] src, int first,
                                       int second, int[] rowStart, float[] c, int cOff, int crs) {
        if (rowFrom % MR != 0 || rowFrom < 0 || rowTo > m) {
            throw new IllegalArgumentException("gemmTwoRunPanel: rows [" + rowFrom + ", " + rowTo + ") of " + m
                    + " must start at a multiple of " + MR);
        }
        if (rowTo <= rowFrom || nr == 0) {
            return;
        }
        if (k == 0) {
            for (int i = rowFrom; i < rowTo; i++) java.util.Arrays.fill(c, cOff + i * crs, cOff + i * crs + nr, 0f);
            return;
        }
        Work w = WORK.get();
        int kBlock = VectorSgemm.kBlock(k), mPad = paddedRows(m), d1 = nr <= L ? 0 : second - first;
        for (int pc = 0; pc < k; pc += kBlock) {
            panelColumn(rowFrom, rowTo, Math.min(kBlock, k - pc), ap, pc * mPad, src, first, d1, rowStart, pc, pc > 0, c, cOff,
                    crs, nr, w.tile);
        }
    }

    /** Row panels of rows [from, m) against one column panel ({@code nr <= NR} valid columns). */
    private static void panelColumn(int from, int m, int kc, float[] ap, int aOff, float[] src, int bo, int d1, int[] rowStart, int p0,
                                    boolean add, float[] c, int co, int crs, int nr, float[] t) {
        for (int ir = from; ir < m; ir += MR) {
            int mr = Math.min(MR, m - ir), ao = aOff + ir * kc, cr = co + ir * crs;
            if (mr == MR && nr == NR) {
                kernel(kc, ap, ao, src, bo, d1, rowStart, p0, add, c, cr, crs);
                continue;
            }
            kernel(kc, ap, ao, src, bo, d1, rowStart, p0, false, t, 0, NR);
            for (int i = 0; i < mr; i++) {
                int r = cr + i * crs;
                for (int j = 0; j < nr; j++) c[r + j] = add ? c[r + j] + t[i * NR + j] : t[i * NR + j];
            }
        }
    }

    /**
     * {@code C[8 x NR] = Apanel B} ({@code +=} when {@code add}), B row p the vectors at {@code src[bo + rowStart[p0 + p]]}
     * and {@code src[bo + d1 + rowStart[p0 + p]]} (d1 = L: one contiguous run).
     * Everything stays in this method (a vector passed to a call C2 does not inline gets boxed).
     */
    private static void kernel(int kc, float[] ap, int ao, float[] src, int bo, int d1, int[] rowStart, int p0, boolean add,
                               float[] c, int co, int crs) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int bi = bo + rowStart[p0 + p];
            FloatVector b0 = FloatVector.fromArray(S, src, bi);
            FloatVector b1 = FloatVector.fromArray(S, src, bi + d1);
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
            x = FloatVector.broadcast(S, ap[ai + 6]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, ap[ai + 7]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        int r1 = co + crs, r2 = r1 + crs, r3 = r2 + crs, r4 = r3 + crs, r5 = r4 + crs, r6 = r5 + crs, r7 = r6 + crs;
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
            c60 = c60.add(FloatVector.fromArray(S, c, r6));
            c61 = c61.add(FloatVector.fromArray(S, c, r6 + L));
            c70 = c70.add(FloatVector.fromArray(S, c, r7));
            c71 = c71.add(FloatVector.fromArray(S, c, r7 + L));
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
        c60.intoArray(c, r6);
        c61.intoArray(c, r6 + L);
        c70.intoArray(c, r7);
        c71.intoArray(c, r7 + L);
    }
}
