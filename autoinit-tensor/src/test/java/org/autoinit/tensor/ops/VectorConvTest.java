package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.blas.PackedGemm;
import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float32 implicit-GEMM and Winograd convolutions ({@link VectorConv}, {@link Winograd}) against the float64
 * im2col path ({@link GemmConv},
 * itself gradient-checked and tested against naive loops): output, dX, dW and dB over strides, paddings
 * (incl. asymmetric "same"), dilations, kernel shapes, 1x1 and the workloads' layer shapes.
 */
class VectorConvTest {
    @BeforeAll
    static void requireVectorPath() {
        Assumptions.assumeTrue(PackedGemm.available(), "Vector API GEMM backend not in use");
    }

    /** name, {N, C, H, W, O, kh, kw}, spec. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("3x3 stride 1 pad 1", new int[] {2, 3, 7, 9, 5, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("3x3 stride 1 pad 0", new int[] {2, 4, 8, 8, 7, 3, 3}, Conv2dSpec.of(1, 0)),
                Arguments.of("3x3 stride 2 pad 1", new int[] {3, 3, 9, 8, 6, 3, 3}, Conv2dSpec.of(2, 1)),
                Arguments.of("3x3 stride 2 pad 0", new int[] {2, 2, 9, 9, 4, 3, 3}, Conv2dSpec.of(2, 0)),
                Arguments.of("same k4 stride 1 (asymmetric)", new int[] {2, 3, 6, 7, 4, 4, 4}, Conv2dSpec.same(1)),
                Arguments.of("same k3 stride 2", new int[] {1, 2, 7, 6, 3, 3, 3}, Conv2dSpec.same(2)),
                Arguments.of("dilation 2", new int[] {2, 3, 9, 8, 4, 3, 3}, Conv2dSpec.of(1, 2).withDilation(2)),
                Arguments.of("pad 2 > kernel reach", new int[] {1, 2, 5, 5, 3, 2, 2}, Conv2dSpec.of(1, 2)),
                Arguments.of("1x1", new int[] {2, 5, 6, 7, 9, 1, 1}, Conv2dSpec.of(1, 0)),
                Arguments.of("1x1 stride 2", new int[] {2, 6, 8, 8, 5, 1, 1}, Conv2dSpec.of(2, 0)),
                Arguments.of("2x3 stride (2,1) pad (1,0)", new int[] {2, 2, 7, 9, 3, 2, 3},
                        Conv2dSpec.of(1, 0).withStride(2, 1).withPadding(1, 0)),
                Arguments.of("5x5 pad 2", new int[] {1, 3, 11, 10, 4, 5, 5}, Conv2dSpec.of(1, 2)),
                Arguments.of("wide: 40 channels, 70 outputs", new int[] {2, 40, 10, 12, 70, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("cnn conv2 shape (batch 2)", new int[] {2, 32, 28, 28, 64, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("allcnnc conv3 shape (batch 2)", new int[] {2, 96, 32, 32, 96, 3, 3}, Conv2dSpec.of(2, 1)),
                Arguments.of("allcnnc conv7 shape (batch 3)", new int[] {3, 192, 8, 8, 192, 3, 3}, Conv2dSpec.of(1, 0)),
                // dW: 12-tap panels (partial for 8 channels), output-channel panels of one vector (partial for 10 and 8)
                Arguments.of("resnet stage-1 shape, 16 channels", new int[] {2, 16, 10, 9, 16, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("16 outputs, 1x1 stride 2", new int[] {3, 16, 8, 8, 16, 1, 1}, Conv2dSpec.of(2, 0)),
                Arguments.of("16 outputs, 3x3 stride 2, grid over 256", new int[] {2, 3, 40, 30, 16, 3, 3}, Conv2dSpec.of(2, 1)),
                Arguments.of("8 channels", new int[] {2, 8, 7, 6, 10, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("12 channels stride 2", new int[] {2, 12, 9, 9, 8, 3, 3}, Conv2dSpec.of(2, 1)),
                // stride phases no tap reads are not stored: dilation 2 at stride 2 reads one of four, 2x2 at stride 3 two of three
                Arguments.of("3x3 stride 2 dilation 2 (one phase)", new int[] {2, 3, 11, 10, 4, 3, 3}, Conv2dSpec.of(2, 2).withDilation(2)),
                Arguments.of("2x2 stride 3 pad 1 (two phases of three)", new int[] {2, 3, 10, 11, 5, 2, 2}, Conv2dSpec.of(3, 1)),
                Arguments.of("resnet shortcut 1x1 stride 2, 16 -> 32", new int[] {3, 16, 12, 10, 32, 1, 1}, Conv2dSpec.of(2, 0)),
                // Winograd F(2x2, 3x3) (3x3, stride 1, >= 24 channels, 1/C + 1/O <= 3/64): odd output sizes, paddings 0..2,
                // tiles wider than a vector
                Arguments.of("winograd odd output 7x9", new int[] {2, 40, 7, 9, 57, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("winograd pad 0, output 4x5", new int[] {2, 25, 6, 7, 200, 3, 3}, Conv2dSpec.of(1, 0)),
                Arguments.of("winograd pad 2", new int[] {1, 48, 5, 6, 48, 3, 3}, Conv2dSpec.of(1, 2)),
                Arguments.of("winograd 40 tiles per row", new int[] {1, 64, 6, 80, 32, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("winograd same", new int[] {2, 32, 9, 8, 64, 3, 3}, Conv2dSpec.same(1)),
                // several chunks of samples (evened out over the threads), the last one shorter
                Arguments.of("winograd resnet stage-3 shape, 7 samples", new int[] {7, 64, 8, 8, 64, 3, 3}, Conv2dSpec.of(1, 1)),
                // former Winograd shapes now on the direct path (too few channels for the transforms to pay)
                Arguments.of("direct 24 -> 25, output 7x9", new int[] {2, 24, 7, 9, 25, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("direct resnet stage-2 shape, 7 samples", new int[] {7, 32, 16, 16, 32, 3, 3}, Conv2dSpec.of(1, 1)),
                // dW with the channel-last patches read in place (kw*C whole B panels, at most 64 outputs)
                Arguments.of("in-place dW: 3x3 stride 2, 32 -> 64", new int[] {2, 32, 9, 8, 64, 3, 3}, Conv2dSpec.of(2, 1)),
                Arguments.of("in-place dW: 1x1 stride 2, 64 -> 40", new int[] {3, 64, 8, 7, 40, 1, 1}, Conv2dSpec.of(2, 0)),
                Arguments.of("in-place dW: 3x3 pad 0, 64 -> 64, 5 samples", new int[] {5, 64, 6, 7, 64, 3, 3}, Conv2dSpec.of(1, 0)),
                // 8-row GEMM panels (forward, dX, in-place dW) with a partial last panel: 15 and 39 outputs
                Arguments.of("8-row panels: 32 -> 15", new int[] {2, 32, 9, 7, 15, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("8-row panels: 32 -> 39, stride 2", new int[] {3, 32, 11, 9, 39, 3, 3}, Conv2dSpec.of(2, 1)),
                // dW panels straddling two kernel rows (16 channels x 3 taps = 1.5 panels per row): 16 and 32 outputs, stride 2
                Arguments.of("two-run dW: 16 -> 16, 3 samples", new int[] {3, 16, 9, 11, 16, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("two-run dW: 16 -> 32, stride 2", new int[] {2, 16, 12, 10, 32, 3, 3}, Conv2dSpec.of(2, 1)),
                // one output row per column panel (32 wide) or two (16 wide, even height): forward and dX straight into y
                Arguments.of("row panels: 16 -> 16 at 32x32", new int[] {2, 16, 32, 32, 16, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("row pairs: 3x3 stride 2, 16 -> 32, output 16x16", new int[] {2, 16, 32, 32, 32, 3, 3}, Conv2dSpec.of(2, 1)),
                Arguments.of("row pairs: 1x1 stride 2, 16 -> 32", new int[] {2, 16, 32, 31, 32, 1, 1}, Conv2dSpec.of(2, 0)),
                Arguments.of("16 wide, odd height: whole grid", new int[] {2, 16, 15, 16, 16, 3, 3}, Conv2dSpec.of(1, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheFloat64Path(String name, int[] d, Conv2dSpec spec) {
        SplittableRandom r = new SplittableRandom(name.hashCode());
        Tensor x64 = Tensor.randn(r, DType.FLOAT64, d[0], d[1], d[2], d[3]);
        Tensor w64 = Tensor.randn(r, DType.FLOAT64, d[4], d[1], d[5], d[6]);
        Tensor b64 = Tensor.randn(r, DType.FLOAT64, d[4]);
        Tensor x32 = x64.to(DType.FLOAT32).detach().requiresGrad(true), w32 = w64.to(DType.FLOAT32).detach().requiresGrad(true);
        Tensor b32 = b64.to(DType.FLOAT32).detach().requiresGrad(true);
        // The reference sees exactly the float32 values.
        Tensor xr = x32.detach().to(DType.FLOAT64).requiresGrad(true), wr = w32.detach().to(DType.FLOAT64).requiresGrad(true);
        Tensor br = b32.detach().to(DType.FLOAT64).requiresGrad(true);
        Tensor y32 = Conv.conv2d(x32, w32, b32, spec), yr = Conv.conv2d(xr, wr, br, spec);
        assertArrayEquals(yr.shape(), y32.shape(), name);
        Tensor g = Tensor.randn(r, DType.FLOAT64, yr.shape());
        y32.backward(g.to(DType.FLOAT32), false);
        yr.backward(g, false);
        int k = d[1] * d[5] * d[6];
        close(name + " output", yr, y32, k);
        close(name + " dX", xr.grad(), x32.grad(), d[4] * d[5] * d[6]);
        close(name + " dW", wr.grad(), w32.grad(), d[0] * yr.dim(2) * yr.dim(3));
        close(name + " dB", br.grad(), b32.grad(), d[0] * yr.dim(2) * yr.dim(3));
    }

    /** |a - b| <= terms * 2^-22 * (scale of the values): float32 sums of {@code terms} products. */
    private static void close(String what, Tensor want, Tensor got, int terms) {
        double scale = 0;
        for (int i = 0; i < want.numel(); i++) scale = Math.max(scale, Math.abs(want.getFlat(i)));
        double tol = Math.sqrt(terms) * 4 * 0x1p-24 * Math.max(scale, 1) * 8;
        for (int i = 0; i < want.numel(); i++) {
            assertEquals(want.getFlat(i), got.getFlat(i), tol, what + " at " + i);
        }
    }

    @Test
    void winogradTakesTheStrideOne3x3LayersWithEnoughChannels() {
        Assumptions.assumeTrue(org.autoinit.tensor.simd.Simd.enabled(), "Vector API loops not enabled");
        org.junit.jupiter.api.Assertions.assertTrue(Winograd.applies(Conv2dSpec.of(1, 1).geometry("conv2d", 96, 32, 32, 3, 3), 96));
        org.junit.jupiter.api.Assertions.assertTrue(Winograd.applies(Conv2dSpec.of(1, 0).geometry("conv2d", 192, 8, 8, 3, 3), 192));
        org.junit.jupiter.api.Assertions.assertFalse(Winograd.applies(Conv2dSpec.of(2, 1).geometry("conv2d", 96, 32, 32, 3, 3), 96), "stride 2");
        org.junit.jupiter.api.Assertions.assertFalse(Winograd.applies(Conv2dSpec.of(1, 1).geometry("conv2d", 1, 28, 28, 3, 3), 32), "one channel");
        org.junit.jupiter.api.Assertions.assertFalse(Winograd.applies(Conv2dSpec.of(1, 0).geometry("conv2d", 16, 8, 8, 1, 1), 16), "1x1");
        org.junit.jupiter.api.Assertions.assertTrue(Winograd.applies(Conv2dSpec.of(1, 1).geometry("conv2d", 32, 28, 28, 3, 3), 64), "32 -> 64");
        org.junit.jupiter.api.Assertions.assertTrue(Winograd.applies(Conv2dSpec.of(1, 1).geometry("conv2d", 64, 8, 8, 3, 3), 64), "64 -> 64");
        org.junit.jupiter.api.Assertions.assertFalse(Winograd.applies(Conv2dSpec.of(1, 1).geometry("conv2d", 32, 16, 16, 3, 3), 32), "32 -> 32");
    }

    /**
     * The channel-last copy writes every entry of its sample (only the padding is zeroed, eight channels go at once), so a
     * reused buffer holding anything else gives the same copy: checked against naive loops on a buffer full of NaNs.
     */
    @Test
    void channelLastCopyOverwritesEveryEntry() {
        SplittableRandom r = new SplittableRandom(21);
        int[][] shapes = {{3, 5, 7, 1, 1, 1, 1}, {8, 4, 6, 1, 2, 0, 1}, {19, 6, 5, 2, 0, 1, 2}, {16, 3, 3, 0, 0, 0, 0}};
        for (int[] d : shapes) {
            int c = d[0], h = d[1], w = d[2], pt = d[3], pb = d[4], pl = d[5], pr = d[6];
            ConvGeometry g = new ConvGeometry(c, h, w, 3, 3, 1, 1, pt, pb, pl, pr, 1, 1, h + pt + pb - 2, w + pl + pr - 2);
            int hp = h + pt + pb, wp = w + pl + pr, off = 3;
            float[] x = new float[2 * c * h * w];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
            float[] xt = new float[off + hp * wp * c + 2];
            java.util.Arrays.fill(xt, Float.NaN);
            ChannelLastWeightGrad.channelLast(x, c * h * w, g, xt, off, wp);
            for (int row = 0; row < hp; row++) {
                for (int col = 0; col < wp; col++) {
                    for (int ch = 0; ch < c; ch++) {
                        int sr = row - pt, sc = col - pl;
                        float want = sr >= 0 && sr < h && sc >= 0 && sc < w ? x[c * h * w + (ch * h + sr) * w + sc] : 0f;
                        assertEquals(want, xt[off + (row * wp + col) * c + ch], 0f, "C=" + c + " at " + row + "," + col + "," + ch);
                    }
                }
            }
            org.junit.jupiter.api.Assertions.assertTrue(Float.isNaN(xt[off - 1]) && Float.isNaN(xt[off + hp * wp * c]), "wrote outside, C=" + c);
        }
    }

    /**
     * Stride-1 planes zero only their padding ({@link ConvPlanes}), so a reused buffer holding anything else must give the
     * same planes: checked against the zero-padded image by naive loops on a buffer full of NaNs, padding on every side.
     */
    @Test
    void strideOnePlanesOverwriteEveryEntry() {
        SplittableRandom r = new SplittableRandom(22);
        int[][] shapes = {{3, 5, 7, 1, 1, 1, 1}, {2, 4, 6, 0, 2, 2, 0}, {4, 6, 5, 2, 1, 0, 2}, {1, 3, 3, 0, 0, 0, 0}};
        for (int[] d : shapes) {
            int c = d[0], h = d[1], w = d[2], pt = d[3], pb = d[4], pl = d[5], pr = d[6];
            ConvGeometry g = new ConvGeometry(c, h, w, 3, 3, 1, 1, pt, pb, pl, pr, 1, 1, h + pt + pb - 2, w + pl + pr - 2);
            ConvPlanes planes = new ConvPlanes(g);
            int off = 5, size = planes.size(), hq = size / c / planes.gridWidth(), wq = planes.gridWidth();
            float[] x = new float[2 * c * h * w];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
            float[] buf = new float[off + size + 2];
            java.util.Arrays.fill(buf, Float.NaN);
            planes.fill(x, c * h * w, buf, off);
            for (int ch = 0; ch < c; ch++) {
                for (int row = 0; row < hq; row++) {
                    for (int col = 0; col < wq; col++) {
                        int sr = row - pt, sc = col - pl;
                        float want = sr >= 0 && sr < h && sc >= 0 && sc < w ? x[c * h * w + (ch * h + sr) * w + sc] : 0f;
                        assertEquals(want, buf[off + (ch * hq + row) * wq + col], 0f, "C=" + c + " at " + ch + "," + row + "," + col);
                    }
                }
            }
            org.junit.jupiter.api.Assertions.assertTrue(Float.isNaN(buf[off - 1]) && Float.isNaN(buf[off + size]), "wrote outside, C=" + c);
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        int saved = Parallel.threads();
        try {
            // 70 outputs: dW from the channel-last copy (72 taps, 27 with 3 channels: output channels split over the
            // threads); 16 outputs and 5 channels (45 taps): dW by ConvWeightGrad; 32 channels, 40 outputs: dW with the
            // channel-last patches read in place (9 panels split over the threads, cut at kernel rows).
            // 16 -> 16 and 32 -> 32: the 8-row in-place dW, (column panel, row panel) items split into chunks the threads claim.
            for (int[] d : new int[][] {{8, 70}, {3, 50}, {5, 16}, {32, 40}, {16, 16}, {32, 32}}) {
                float[][] first = null;
                for (int threads : new int[] {1, 2, 3}) {
                    Parallel.setThreads(threads);
                    SplittableRandom rr = new SplittableRandom(4);
                    Tensor x = Tensor.randn(rr, DType.FLOAT32, 5, d[0], 9, 9).requiresGrad(true);
                    Tensor w = Tensor.randn(rr, DType.FLOAT32, d[1], d[0], 3, 3).requiresGrad(true);
                    Tensor y = Conv.conv2d(x, w, null, Conv2dSpec.of(1, 1));
                    y.backward(Tensor.randn(rr, DType.FLOAT32, y.shape()), false);
                    float[][] now = {y.floatData().clone(), x.grad().floatData().clone(), w.grad().floatData().clone()};
                    if (first == null) {
                        first = now;
                    } else {
                        for (int i = 0; i < 3; i++) assertArrayEquals(first[i], now[i], d[1] + " outputs, " + threads + " threads, result " + i);
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }
}
