package org.autoinit.tensor.ops;

import java.util.Arrays;

import org.autoinit.tensor.blas.EightRowGemm;
import org.autoinit.tensor.blas.PackedGemm;
import org.autoinit.tensor.parallel.Parallel;

/**
 * float32 weight gradient of a groups-1 convolution from a channel-last copy of the padded input, the patches
 * read in place: {@code dW'[o, (i, j, c)] = sum_q dY[o, q] xt[rowBase[q] + (i*dilH*Wp + j)*C + c]} over the
 * output positions q = (n, oh, ow), with {@code xt[n][r][s][c]} the zero-padded input and
 * {@code rowBase[q] = n*|xt_n| + (oh*sh*Wp + ow*sw)*C}. With dilW = 1 the columns (j, c) of one kernel row i are
 * one contiguous run of {@code kw*C} floats at every q, so each kernel row is the in-place product
 * {@link PackedGemm#gemmShiftedRows} (B row q = that run): no patch matrix is packed, unlike the gathered
 * product it replaces (its packing was ~15% of ResNet-20's 32/64-channel dW). dY is packed once for all columns.
 *
 * <p>Threads split the columns (with 8-row panels: (column panel, row panel) items); every element is one FMA chain per
 * k slice, slices added in order, so the bits do not depend on the thread count (and equal the gathered product's, which slices the same way).
 */
final class ChannelLastWeightGrad {
    private ChannelLastWeightGrad() {}

    /** Most output channels: with more, each in-place B panel is re-read too often and packing it once wins. */
    private static final int MAX_OUTPUTS = 64;

    /**
     * True for at most 64 output channels, no column dilation and kernel rows of whole B panels ({@code kw*C} a
     * multiple of {@link PackedGemm#nr()}: C = 32 or 64 with 3x3). A partial panel per row would go through the
     * packer: with 16 channels (48 columns per row) this was 1.7x slower than {@link ConvWeightGrad}; with 96/192
     * outputs (All-CNN-C) the packed product was ~3% faster per step (both measured, CPU time).
     */
    static boolean applies(ConvGeometry g, int outChannels) {
        return outChannels <= MAX_OUTPUTS && g.dilW() == 1 && (g.kw() * g.c() % PackedGemm.nr() == 0 || twoRuns(g, outChannels));
    }

    /**
     * True when kernel rows are an odd number of vectors long ({@code kw*C}: 16 channels x 3 taps = 1.5 panels) and the
     * outputs suit {@link EightRowGemm}: panels then straddle two kernel rows ({@link EightRowGemm#gemmTwoRunPanel}),
     * still read in place, and only the last is half used. Taken before {@link ConvWeightGrad} for 16 outputs.
     */
    static boolean twoRuns(ConvGeometry g, int outChannels) {
        int run = g.kw() * g.c(), lanes = PackedGemm.nr() / 2;
        return outChannels <= MAX_OUTPUTS && g.dilW() == 1 && EightRowGemm.better(outChannels) && run % lanes == 0
                && run % PackedGemm.nr() != 0;
    }

    /** dW ([O, C*kh*kw] row-major) of {@code x [N, C, H, W]} and {@code gy [N, O, H', W']}. */
    static float[] compute(float[] x, int n, float[] gy, int o, ConvGeometry g) {
        int c = g.c(), kh = g.kh(), kw = g.kw(), k = c * kh * kw, p = g.outPlane(), run = kw * c;
        int hp = g.h() + g.padTop() + g.padBottom(), wp = g.w() + g.padLeft() + g.padRight(), xs = hp * wp * c;
        // channelLast zeroes each sample's padding, so a reused buffer is fine.
        float[] xt = FloatScratch.get(FloatScratch.CONV_CHANNEL_LAST, n * xs);
        Parallel.forRange(n, 1, (lo, hi) -> {
            for (int s = lo; s < hi; s++) channelLast(x, s * c * g.inPlane(), g, xt, s * xs, wp);
        });
        int reduce = n * p;
        // The calling thread's buffer, every entry below written (a fresh 32-128 KB array per call was ~60% of the bytes a
        // ResNet-20 step allocated once activations were recycled, JFR).
        int[] rowBase = rowBase(reduce);
        for (int s = 0, q = 0; s < n; s++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) rowBase[q++] = s * xs + (oh * g.strideH() * wp + ow * g.strideW()) * c;
            }
        }
        // 32/64 outputs on 8-row panels (6-row panels computed 36/66 rows); same bits.
        boolean eight = EightRowGemm.better(o);
        float[] dy = packDy(gy, o, p, reduce, eight);
        // Every entry is written by the products (beta 0), so the calling thread's buffer is reused.
        float[] dwt = FloatScratch.get(FloatScratch.CONV_DW_T, o * k);
        int nr = PackedGemm.nr(), panels = (k + nr - 1) / nr, rowStride = g.dilH() * wp * c;
        if (eight) {
            // Work items are (column panel, 8-row panel) pairs, column-major, split into one equal contiguous range per
            // thread: whole column panels split 16 and 32 channels (5 and 9 panels) 2:3 and 4:5 between two threads, and the
            // main thread waited ~3.5 ms per 2-thread ResNet-20 step. At most one column panel per thread boundary is split
            // by rows. One-item chunks claimed dynamically balanced too but re-read each B panel from L2 once per row
            // panel instead of once from L1 per k slice (~5-15% more CPU in the product, measured).
            boolean twoRuns = run % nr != 0;
            int rowPanels = (o + EightRowGemm.MR - 1) / EightRowGemm.MR, items = panels * rowPanels;
            int chunks = Math.min(items, Parallel.threads());
            Parallel.forChunks(chunks, ch -> {
                int from = (int) ((long) items * ch / chunks), to = (int) ((long) items * (ch + 1) / chunks);
                for (int item = from; item < to; ) {
                    int panel = item / rowPanels, rp0 = item % rowPanels, rp1 = Math.min(rowPanels, rp0 + to - item);
                    int col = panel * nr, r0 = rp0 * EightRowGemm.MR, r1 = Math.min(o, rp1 * EightRowGemm.MR);
                    if (twoRuns) {
                        // Column col + j (j < L) of kernel row col / run, columns from col + L possibly of the next kernel row.
                        int second = Math.min(k - 1, col + nr / 2);
                        int first = col / run * rowStride + col % run, next = second / run * rowStride + second % run;
                        EightRowGemm.gemmTwoRunPanel(o, r0, r1, Math.min(nr, k - col), reduce, dy, xt, first, next, rowBase, dwt, col, k);
                    } else {
                        // Kernel rows are whole panels here (applies()), so the panel lies in one kernel row.
                        int i = col / run, base = i * rowStride + col - i * run;
                        EightRowGemm.gemmShiftedRows(o, r0, r1, Math.min(nr, k - col), reduce, dy, xt, base, rowBase, dwt, col, k);
                    }
                    item += rp1 - rp0;
                }
            });
        } else {
            // Columns split over the threads in whole panels; a thread's range is cut at kernel-row boundaries.
            int chunks = Math.max(1, Math.min(Parallel.threads(), panels / 2));
            Parallel.forChunks(chunks, ch -> {
                int c0 = Math.min(k, (int) ((long) panels * ch / chunks) * nr), c1 = Math.min(k, (int) ((long) panels * (ch + 1) / chunks) * nr);
                for (int col = c0; col < c1; ) {
                    int i = col / run, end = Math.min(c1, (i + 1) * run);
                    PackedGemm.gemmShiftedRows(o, end - col, reduce, dy, xt, i * rowStride + col - i * run, rowBase, dwt, col, k);
                    col = end;
                }
            });
        }
        float[] dw = new float[o * k];
        Parallel.forRange(o, Math.max(1, 4096 / Math.max(1, k)), (lo, hi) -> {
            for (int oc = lo; oc < hi; oc++) {
                for (int i = 0, t = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        for (int ch = 0; ch < c; ch++, t++) dw[oc * k + (ch * kh + i) * kw + j] = dwt[oc * k + t];
                    }
                }
            }
        });
        return dw;
    }

    private static final ThreadLocal<int[]> ROW_BASE = new ThreadLocal<>();

    private static int[] rowBase(int n) {
        int[] a = ROW_BASE.get();
        if (a == null || a.length < n) {
            a = new int[n];
            ROW_BASE.set(a);
        }
        return a;
    }

    /**
     * dY viewed as A [O, N*P] (column q = sample q / P, position q % P), packed for all k slices (6-row panels, or
     * {@link EightRowGemm}'s when {@code eight}), the slices in parallel.
     */
    private static float[] packDy(float[] gy, int o, int p, int reduce, boolean eight) {
        int slice = PackedGemm.kBlock(reduce), slices = (reduce + slice - 1) / slice;
        int mPad = eight ? EightRowGemm.paddedRows(o) : PackedGemm.paddedRows(o);
        // Every entry is written below (rows past O as zeros), so the buffer is reused from call to call: a fresh
        // 0.5-2 MB array per call was ~11% of the bytes a ResNet-20 step allocated (JFR), zeroed by the allocating thread.
        float[] ap = FloatScratch.get(FloatScratch.CONV_DW_DY, mPad * reduce);
        Parallel.forRange(slices, 1, (lo, hi) -> {
            for (int sl = lo; sl < hi; sl++) {
                int p0 = sl * slice, kc = Math.min(slice, reduce - p0);
                if (eight) {
                    packDy8(gy, o, p, p0, kc, ap, p0 * mPad);
                } else {
                    VectorConv.packSamples(gy, o, p, 0, o, p0, kc, ap, p0 * mPad);
                }
            }
        });
        return ap;
    }

    /**
     * Columns [p0, p0 + kc) of dY viewed as A [O, N*P] into {@link EightRowGemm}'s 8-row panels at {@code ap[off..]}
     * each panel written in order.
     */
    private static void packDy8(float[] gy, int o, int p, int p0, int kc, float[] ap, int off) {
        for (int r0 = 0; r0 < o; r0 += EightRowGemm.MR) {
            int base = off + r0 * kc;
            for (int q = 0; q < kc; ) {
                int col = p0 + q, s = col / p, pos = col % p, len = Math.min(kc - q, p - pos);
                int s0 = (s * o + r0) * p + pos;
                if (r0 + 8 <= o) {
                    int s1 = s0 + p, s2 = s1 + p, s3 = s2 + p, s4 = s3 + p, s5 = s4 + p, s6 = s5 + p, s7 = s6 + p;
                    for (int t = 0, d = base + q * 8; t < len; t++, d += 8) {
                        ap[d] = gy[s0 + t];
                        ap[d + 1] = gy[s1 + t];
                        ap[d + 2] = gy[s2 + t];
                        ap[d + 3] = gy[s3 + t];
                        ap[d + 4] = gy[s4 + t];
                        ap[d + 5] = gy[s5 + t];
                        ap[d + 6] = gy[s6 + t];
                        ap[d + 7] = gy[s7 + t];
                    }
                } else {
                    for (int t = 0, d = base + q * 8; t < len; t++, d += 8) {
                        for (int r = 0, src = s0 + t; r < 8; r++, src += p) ap[d + r] = r0 + r < o ? gy[src] : 0f;
                    }
                }
                q += len;
            }
        }
    }

    /**
     * Sample at {@code x[xOff..]} ([C, H, W]) into {@code xt[xtOff..]} as the zero-padded [Hp, Wp, C]. Only the padding
     * is zeroed, and eight channels go at once, so each output position gets 32 contiguous bytes per pass instead of
     * one float per channel pass (the channel-by-channel scatter was ~6% of a 1-thread ResNet-20 step, JFR).
     */
    static void channelLast(float[] x, int xOff, ConvGeometry g, float[] xt, int xtOff, int wp) {
        int c = g.c(), h = g.h(), w = g.w(), pt = g.padTop(), pl = g.padLeft(), row = wp * c;
        Arrays.fill(xt, xtOff, xtOff + pt * row, 0f);
        Arrays.fill(xt, xtOff + (pt + h) * row, xtOff + (h + pt + g.padBottom()) * row, 0f);
        for (int r = 0; r < h; r++) {
            int start = xtOff + (r + pt) * row;
            Arrays.fill(xt, start, start + pl * c, 0f);
            Arrays.fill(xt, start + (pl + w) * c, start + row, 0f);
        }
        int ch = 0;
        for (; ch + 8 <= c; ch += 8) {
            for (int r = 0; r < h; r++) {
                int s0 = xOff + (ch * h + r) * w, hw = h * w;
                int s1 = s0 + hw, s2 = s1 + hw, s3 = s2 + hw, s4 = s3 + hw, s5 = s4 + hw, s6 = s5 + hw, s7 = s6 + hw;
                for (int s = 0, d = xtOff + ((r + pt) * wp + pl) * c + ch; s < w; s++, d += c) {
                    xt[d] = x[s0 + s];
                    xt[d + 1] = x[s1 + s];
                    xt[d + 2] = x[s2 + s];
                    xt[d + 3] = x[s3 + s];
                    xt[d + 4] = x[s4 + s];
                    xt[d + 5] = x[s5 + s];
                    xt[d + 6] = x[s6 + s];
                    xt[d + 7] = x[s7 + s];
                }
            }
        }
        for (; ch < c; ch++) {
            for (int r = 0; r < h; r++) {
                int src = xOff + (ch * h + r) * w, dst = xtOff + ((r + pt) * wp + pl) * c + ch;
                for (int s = 0; s < w; s++) xt[dst + s * c] = x[src + s];
            }
        }
    }
}
