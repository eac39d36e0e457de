package org.autoinit.tensor.ops;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.blas.EightRowGemm;
import org.autoinit.tensor.blas.PackedGemm;
import org.autoinit.tensor.memory.StepStorage;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.RowRunKernel;

/**
 * float32 convolution (groups 1) as implicit GEMMs on the Vector API kernel, no column matrix in memory:
 * <pre>
 *   Y_n[O, grid]   = W[O, K] @ patches(x_n)           patches from the stride planes ({@link ConvPlanes}), in place for O <= 64;
 *                                                      3x3 stride 1: Winograd F(2x2, 3x3) instead ({@link Winograd})
 *   dX (stride 1)  = conv(dY, W flipped and transposed, padding (k-1)*dil - pad)   the same machinery on dY
 *   dX (stride > 1): dcol_n = W^T @ dY_n, then col2im
 *   dW^T[C*kh*kw, O] = patches^T @ dY^T                 O <= one vector: tap rows read in place from the planes ({@link ConvWeightGrad})
 *   dW'[O, kh*kw*C] = dY[O, N*P] @ patches^T           otherwise: patches read from a channel-last copy of the padded input
 * </pre>
 * The weights are packed once per call and shared by all samples; samples are split over the threads
 * (forward, dX) and dW's kernel taps are split over the threads, so every element is summed in the
 * same order whatever the thread count. {@link GemmConv} remains the general path (float64, groups,
 * the Vector API off); this one must agree with it to float32 rounding.
 */
final class VectorConv {
    /** Most output channels for which the forward GEMM reads the patches in place instead of packing them. */
    private static final int IN_PLACE_MAX_OUTPUTS = 64;

    private VectorConv() {}

    /** True when this path handles the convolution. */
    static boolean applies(Tensor x, int groups) {
        return x.dtype() == DType.FLOAT32 && groups == 1 && PackedGemm.available();
    }

    /** {@code x [N, C, H, W]}, {@code w [O, C, kh, kw]}, bias [O] or null -> {@code [N, O, H', W']}. */
    static Tensor forward(Tensor x, Tensor w, Tensor bias, ConvGeometry g) {
        int n = x.dim(0), o = w.dim(0);
        // Every entry of y is written (products with beta 0, Winograd's output tiles, compact), so step storage is fine.
        Tensor y = StepStorage.floatTensor(n, o, g.outH(), g.outW());
        convolve(x.floatData(), n, w.floatData(), o, bias == null ? null : bias.floatData(), g, y.floatData());
        return y;
    }

    /** {@code y[n] = conv(x[n])} for every sample, weights {@code [O, C*kh*kw]} row-major. */
    private static void convolve(float[] x, int n, float[] w, int o, float[] bias, ConvGeometry g, float[] y) {
        if (Winograd.applies(g, o)) {
            Winograd.convolve(x, n, w, o, bias, g, y);
            return;
        }
        ConvPlanes planes = new ConvPlanes(g);
        int k = g.c() * g.kh() * g.kw(), xs = g.c() * g.inPlane(), ys = o * g.outPlane(), grid = planes.gridSize();
        int[] taps = planes.tapOffsets();
        // Patches read in place for up to 64 outputs (ResNet-20: forward ~30% faster on 16 channels); with more output
        // rows each B panel is re-read too often and packing it once wins (All-CNN-C's 96/192 channels). Same bits.
        boolean inPlace = o <= IN_PLACE_MAX_OUTPUTS;
        // 16/32/64 outputs on 8-row panels instead of 6 (no padded rows); same bits.
        boolean eight = inPlace && EightRowGemm.better(o);
        // Packed into the calling thread's buffer, reused from call to call (every entry the products read is written).
        float[] packedW = eight
                ? EightRowGemm.prepackA(o, k, EightRowGemm.stridedA(w, 0, k, 1),
                        FloatScratch.get(FloatScratch.CONV_PACKED_W, EightRowGemm.paddedRows(o) * k))
                : PackedGemm.prepackA(o, k, PackedGemm.stridedA(w, 0, k, 1),
                        FloatScratch.get(FloatScratch.CONV_PACKED_W, PackedGemm.paddedRows(o) * k));
        // Output rows of one or two whole column panels (32 or 16 wide): each panel goes straight into y, no discarded grid
        // columns (34/32 and 18/16 of the products on ResNet-20's 32x32 and 16x16 planes) and no compaction; same bits.
        boolean rowPanels = eight && !planes.direct() && rowPanels(g);
        forSamples(n, (lo, hi) -> {
            float[] buf = planes.direct() ? null : FloatScratch.get(FloatScratch.CONV_PLANES, planes.size());
            float[] out = planes.direct() ? null : FloatScratch.get(FloatScratch.CONV_GRID, o * grid);
            for (int s = lo; s < hi; s++) {
                if (planes.direct()) {
                    if (inPlace) {
                        shiftedRows(eight, o, grid, k, packedW, x, s * xs, taps, y, s * ys);
                    } else {
                        PackedGemm.gemm(o, grid, k, packedW, PackedGemm.shiftedRowsB(x, s * xs, taps, grid), 0f, y, s * ys, grid);
                    }
                    if (bias != null) addBias(y, s * ys, o, grid, bias);
                } else if (rowPanels) {
                    planes.fill(x, s * xs, buf);
                    rowPanels(o, k, packedW, buf, taps, planes.gridWidth(), g.outH(), g.outW(), y, s * ys);
                    if (bias != null) addBias(y, s * ys, o, g.outPlane(), bias);
                } else {
                    planes.fill(x, s * xs, buf);
                    if (inPlace) {
                        shiftedRows(eight, o, grid, k, packedW, buf, 0, taps, out, 0);
                    } else {
                        PackedGemm.gemm(o, grid, k, packedW, PackedGemm.shiftedRowsB(buf, 0, taps, grid), 0f, out, 0, grid);
                    }
                    planes.compact(out, o, bias, y, s * ys);
                }
            }
        });
    }

    /** True when output rows are one whole column panel, or half of one with an even number of rows. */
    private static boolean rowPanels(ConvGeometry g) {
        int nr = PackedGemm.nr();
        return g.outW() == nr || (2 * g.outW() == nr && g.outH() % 2 == 0);
    }

    /**
     * {@code y[yOff..]} ([O, outH, outW]) = W times the patches, one column panel per output row (outW = NR) or per pair of
     * rows (outW = NR / 2; the pair is contiguous in y): B(p, j) = {@code planes[taps[p] + oh*wq + j]}, the grid row of
     * output row oh. Each element is the same FMA chain over the same k slices as in the whole-grid product.
     */
    private static void rowPanels(int o, int k, float[] packedW, float[] planes, int[] taps, int wq, int outH, int outW, float[] y,
                                  int yOff) {
        int plane = outH * outW;
        if (outW == PackedGemm.nr()) {
            for (int oh = 0; oh < outH; oh++) {
                EightRowGemm.gemmShiftedRows(o, outW, k, packedW, planes, oh * wq, taps, y, yOff + oh * outW, plane);
            }
            return;
        }
        for (int oh = 0; oh < outH; oh += 2) {
            EightRowGemm.gemmTwoRunPanel(o, 2 * outW, k, packedW, planes, oh * wq, (oh + 1) * wq, taps, y, yOff + oh * outW, plane);
        }
    }

    /** {@code out[o, grid] = W B}, B(p, j) = {@code src[base + taps[p] + j]}, W packed for 8-row panels when {@code eight}. */
    private static void shiftedRows(boolean eight, int o, int grid, int k, float[] packedW, float[] src, int base, int[] taps,
                                    float[] out, int outOff) {
        if (eight) {
            EightRowGemm.gemmShiftedRows(o, grid, k, packedW, src, base, taps, out, outOff, grid);
        } else {
            PackedGemm.gemmShiftedRows(o, grid, k, packedW, src, base, taps, out, outOff, grid);
        }
    }

    /** Accumulates dX and dW (those that require grad) for the upstream gradient {@code gy [N, O, H', W']}. */
    static void backward(Tensor x, Tensor w, ConvGeometry g, Tensor gy) {
        if (w.requiresGrad()) {
            w.accumulateGradOwned(weightGrad(x, w, g, gy));
        }
        if (x.requiresGrad()) {
            x.accumulateGradOwned(inputGrad(x, w, g, gy));
        }
    }

    private static Tensor inputGrad(Tensor x, Tensor w, ConvGeometry g, Tensor gy) {
        int n = x.dim(0), o = w.dim(0), c = g.c(), kh = g.kh(), kw = g.kw();
        int top = (kh - 1) * g.dilH() - g.padTop(), left = (kw - 1) * g.dilW() - g.padLeft();
        int bottom = g.h() + (kh - 1) * g.dilH() - g.outH() - top, right = g.w() + (kw - 1) * g.dilW() - g.outW() - left;
        if (g.strideH() == 1 && g.strideW() == 1 && top >= 0 && left >= 0 && bottom >= 0 && right >= 0) {
            // A forward convolution, which writes every entry of gx.
            Tensor gx = StepStorage.floatTensor(x.shape());
            // dX[c, h, w] = sum_{o,i,j} dY[o, h + pad - i*d, w + pad - j*d] W[o, c, i, j]: a stride-1 correlation of the
            // padded dY with W flipped in space and with its channel axes swapped.
            // Every entry is written below, so the calling thread's buffer is reused (a fresh array per call was ~1.5 MB per
            // ResNet-20 step, zeroed by the JVM first).
            float[] wt = FloatScratch.get(FloatScratch.CONV_FLIPPED_W, c * o * kh * kw), ws = w.floatData();
            // A copy, split over the threads (on one thread it was ~0.5% of a 2-thread ResNet-20 step).
            Parallel.forRange(o, Math.max(1, 4096 / Math.max(1, c * kh * kw)), (lo, hi) -> {
                for (int oc = lo; oc < hi; oc++) {
                    for (int ic = 0; ic < c; ic++) {
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                wt[((ic * o + oc) * kh + kh - 1 - i) * kw + kw - 1 - j] = ws[((oc * c + ic) * kh + i) * kw + j];
                            }
                        }
                    }
                }
            });
            ConvGeometry t = new ConvGeometry(o, g.outH(), g.outW(), kh, kw, 1, 1, top, bottom, left, right, g.dilH(), g.dilW(),
                    g.h(), g.w());
            convolve(gy.floatData(), n, wt, c, null, t, gx.floatData());
            return gx;
        }
        // Strided: dcol_n = W^T dY_n, then scattered back (col2im). W^T is packed once for all samples (packing it per
        // sample cost 10% of the product at 864x256x96 and 30% at 1728x64x192, measured); same sums in the same order.
        int k = c * kh * kw, p = g.outPlane(), xs = c * g.inPlane();
        // col2im adds into gx: zeros.
        Tensor gx = Tensor.of(StepStorage.zeroedFloats(x.numel()), x.shape());
        float[] ws = w.floatData(), gys = gy.floatData(), gxs = gx.floatData();
        float[] wT = PackedGemm.prepackA(k, o, PackedGemm.stridedA(ws, 0, 1, k),
                FloatScratch.get(FloatScratch.CONV_PACKED_W, PackedGemm.paddedRows(k) * o));
        forSamples(n, (lo, hi) -> {
            float[] col = FloatScratch.get(FloatScratch.CONV_COLUMNS, k * p);
            for (int s = lo; s < hi; s++) {
                PackedGemm.gemm(k, p, o, wT, PackedGemm.stridedB(gys, s * o * p, p, 1), 0f, col, 0, p);
                Im2col.col2imF(col, 0, gxs, s * xs, g);
            }
        });
        return gx;
    }

    /**
     * dW: where the forward takes Winograd, by F(3x3, 2x2) ({@link WinogradWeightGrad}); with at most one vector of output channels by {@link ConvWeightGrad} (patches read in place; measured
     * ~25% faster than the channel-last product on ResNet-20's 16-channel layers), else from a channel-last copy
     * (faster there: its 6 x 2-vector kernel amortizes the patch packing over more output channels), its patches read
     * in place when the kernel rows are whole B panels ({@link ChannelLastWeightGrad}).
     */
    private static Tensor weightGrad(Tensor x, Tensor w, ConvGeometry g, Tensor gy) {
        if (WinogradWeightGrad.applies(g, w.dim(0))) {
            return Tensor.of(WinogradWeightGrad.compute(x.floatData(), x.dim(0), gy.floatData(), w.dim(0), g), w.shape());
        }
        if (w.dim(0) <= RowRunKernel.lanes() && !ChannelLastWeightGrad.twoRuns(g, w.dim(0))) {
            return Tensor.of(ConvWeightGrad.compute(x.floatData(), x.dim(0), gy.floatData(), w.dim(0), g), w.shape());
        }
        if (ChannelLastWeightGrad.applies(g, w.dim(0))) {
            return Tensor.of(ChannelLastWeightGrad.compute(x.floatData(), x.dim(0), gy.floatData(), w.dim(0), g), w.shape());
        }
        return channelLastWeightGrad(x, w, g, gy);
    }

    /**
     * dW from a channel-last copy of the padded input ({@code xt[n][r][s][c]}): row q = (n, oh, ow) of the
     * patch matrix is {@code xt} at that window, tap (i, j, c) at relative offset ((i*dilH)*Wp + j*dilW)*C + c,
     * so runs of channels are contiguous. The product's columns come out in (i, j, c) order and are put back
     * into the weight's (c, i, j) order at the end.
     */
    private static Tensor channelLastWeightGrad(Tensor x, Tensor w, ConvGeometry g, Tensor gy) {
        int n = x.dim(0), o = w.dim(0), c = g.c(), kh = g.kh(), kw = g.kw(), k = c * kh * kw, p = g.outPlane();
        int hp = g.h() + g.padTop() + g.padBottom(), wp = g.w() + g.padLeft() + g.padRight(), xs = hp * wp * c;
        // channelLast zeroes each sample's padding, so a reused buffer is fine.
        float[] xt = FloatScratch.get(FloatScratch.CONV_CHANNEL_LAST, n * xs), xd = x.floatData();
        forSamples(n, (lo, hi) -> {
            for (int s = lo; s < hi; s++) ChannelLastWeightGrad.channelLast(xd, s * c * g.inPlane(), g, xt, s * xs, wp);
        });
        int[] rowBase = new int[n * p];
        for (int s = 0, q = 0; s < n; s++) {
            for (int oh = 0; oh < g.outH(); oh++) {
                for (int ow = 0; ow < g.outW(); ow++) rowBase[q++] = s * xs + (oh * g.strideH() * wp + ow * g.strideW()) * c;
            }
        }
        int[] colRel = new int[k];
        for (int i = 0, t = 0; i < kh; i++) {
            for (int j = 0; j < kw; j++) {
                for (int ch = 0; ch < c; ch++) colRel[t++] = (i * g.dilH() * wp + j * g.dilW()) * c + ch;
            }
        }
        float[] dwt = new float[o * k], gys = gy.floatData();
        PackedGemm.APack dy = (i0, mc, p0, kc, ap, off) -> packSamples(gys, o, p, i0, mc, p0, kc, ap, off);
        int chunks = Math.max(1, Math.min(Parallel.threads(), k / (2 * PackedGemm.nr())));
        int mr = PackedGemm.mr(), rowChunks = Math.min(Parallel.threads(), o / (4 * mr));
        if (chunks == 1 && rowChunks > 1) {
            // Too few taps to split the columns (All-CNN-C's first layer: 27): the threads take blocks of output
            // channels instead, each packing only its rows of dY. Every element keeps its sum, so the bits do not change.
            Parallel.forChunks(rowChunks, ch -> {
                int i0 = ch * o / rowChunks / mr * mr, i1 = ch + 1 == rowChunks ? o : (ch + 1) * o / rowChunks / mr * mr;
                PackedGemm.APack rows = (r0, mc, p0, kc, ap, off) -> packSamples(gys, o, p, i0 + r0, mc, p0, kc, ap, off);
                PackedGemm.gemm(i1 - i0, k, n * p, rows, PackedGemm.gatheredB(xt, rowBase, colRel), 0f, dwt, i0 * k, k);
            });
        } else {
            splitColumns(chunks, o, k, n * p, dy, xt, rowBase, colRel, dwt);
        }
        Tensor gw = Tensor.zeros(DType.FLOAT32, w.shape());
        float[] gwd = gw.floatData();
        Parallel.forRange(o, Math.max(1, 4096 / Math.max(1, k)), (lo, hi) -> {
            for (int oc = lo; oc < hi; oc++) {
                for (int i = 0, t = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) {
                        for (int ch = 0; ch < c; ch++, t++) gwd[oc * k + (ch * kh + i) * kw + j] = dwt[oc * k + t];
                    }
                }
            }
        });
        return gw;
    }

    /** dW^T columns (taps) split over {@code chunks} threads, each the whole reduction for its block of taps. */
    private static void splitColumns(int chunks, int o, int k, int reduce, PackedGemm.APack dy, float[] xt, int[] rowBase,
                                     int[] colRel, float[] dwt) {
        Parallel.forChunks(chunks, ch -> {
            int k0 = bound(ch, chunks, k), k1 = bound(ch + 1, chunks, k);
            int[] rel = java.util.Arrays.copyOfRange(colRel, k0, k1);
            PackedGemm.gemm(o, k1 - k0, reduce, dy, PackedGemm.gatheredB(xt, rowBase, rel), 0f, dwt, k0, k);
        });
    }

    /** Packs A = dY viewed as [O, N*P] (column q = sample q / P, position q % P) for rows [i0, i0+mc), columns [p0, p0+kc). */
    static void packSamples(float[] gy, int o, int p, int i0, int mc, int p0, int kc, float[] ap, int off) {
        int mr = PackedGemm.mr();
        for (int r0 = 0; r0 < mc; r0 += mr) {
            int base = off + r0 * kc;
            if (mr == 6 && mc - r0 >= 6) {
                // Six rows at once, the panel written in order: 2.2x faster than row by row (o96 p1024, measured).
                for (int q = 0; q < kc; ) {
                    int col = p0 + q, s = col / p, pos = col % p, len = Math.min(kc - q, p - pos);
                    int s0 = (s * o + i0 + r0) * p + pos, s1 = s0 + p, s2 = s1 + p, s3 = s2 + p, s4 = s3 + p, s5 = s4 + p;
                    for (int t = 0, d = base + q * 6; t < len; t++, d += 6) {
                        ap[d] = gy[s0 + t];
                        ap[d + 1] = gy[s1 + t];
                        ap[d + 2] = gy[s2 + t];
                        ap[d + 3] = gy[s3 + t];
                        ap[d + 4] = gy[s4 + t];
                        ap[d + 5] = gy[s5 + t];
                    }
                    q += len;
                }
                continue;
            }
            for (int r = 0; r < mr; r++) {
                int row = i0 + r0 + r;
                if (r0 + r >= mc) {
                    for (int q = 0; q < kc; q++) ap[base + q * mr + r] = 0f;
                    continue;
                }
                int q = 0;
                while (q < kc) {
                    int col = p0 + q, s = col / p, pos = col % p, len = Math.min(kc - q, p - pos);
                    int src = (s * o + row) * p + pos, dst = base + q * mr + r;
                    for (int t = 0; t < len; t++) ap[dst + t * mr] = gy[src + t];
                    q += len;
                }
            }
        }
    }

    private static void addBias(float[] y, int off, int o, int p, float[] bias) {
        for (int k = 0; k < o; k++) {
            float b = bias[k];
            for (int q = off + k * p; q < off + (k + 1) * p; q++) y[q] += b;
        }
    }

    /** Runs {@code body} over sample ranges, one contiguous range per thread. */
    private static void forSamples(int n, Parallel.Range body) {
        Parallel.forRange(n, 1, body);
    }

    private static int bound(int c, int chunks, int d) {
        // Rounded to whole B panels, so that panels start where the packer's channel runs do (vector copies).
        int nr = PackedGemm.nr(), b = (int) ((long) d * c / chunks);
        return c >= chunks ? d : Math.min(d, (b + nr / 2) / nr * nr);
    }
}
