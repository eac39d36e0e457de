package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.blas.PackedGemm;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.Simd;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dW by Winograd F(3x3, 2x2) ({@link WinogradWeightGrad}) against the definition in float64 ({@link NaiveConv}, on the
 * float32 values): odd and even output sizes, paddings 0..2, several tile blocks, tile rows shorter than a vector (the
 * in-place row split), and the same bits for every thread count.
 */
class WinogradWeightGradTest {
    @BeforeAll
    static void requireVectorPath() {
        Assumptions.assumeTrue(PackedGemm.available() && Simd.enabled(), "Vector API path not in use");
    }

    @Test
    void takesTheWinogradLayersWithWholeVectorsOfChannels() {
        assertTrue(WinogradWeightGrad.applies(Conv2dSpec.of(1, 1).geometry("conv2d", 32, 28, 28, 3, 3), 64), "cnn conv2");
        assertTrue(WinogradWeightGrad.applies(Conv2dSpec.of(1, 1).geometry("conv2d", 64, 14, 14, 3, 3), 128), "cnn conv3");
        assertTrue(WinogradWeightGrad.applies(Conv2dSpec.of(1, 1).geometry("conv2d", 96, 32, 32, 3, 3), 96), "allcnnc conv2");
        assertTrue(WinogradWeightGrad.applies(Conv2dSpec.of(1, 0).geometry("conv2d", 192, 8, 8, 3, 3), 192), "allcnnc conv7");
        assertFalse(WinogradWeightGrad.applies(Conv2dSpec.of(2, 1).geometry("conv2d", 96, 32, 32, 3, 3), 96), "stride 2");
        assertFalse(WinogradWeightGrad.applies(Conv2dSpec.of(1, 1).geometry("conv2d", 40, 9, 9, 3, 3), 57), "40 channels");
        assertFalse(WinogradWeightGrad.applies(Conv2dSpec.of(1, 1).geometry("conv2d", 32, 16, 16, 3, 3), 32), "32 -> 32");
        assertFalse(WinogradWeightGrad.applies(Conv2dSpec.of(1, 1).geometry("conv2d", 64, 8, 8, 3, 3), 64), "64 -> 64 at 8x8");
    }

    @Test
    void matchesTheDefinition() {
        // {N, C, H, W, O, pad}: output 7x13 (odd both ways), 4x4 (pad 0), 9x14 with pad 2, 3 blocks of tiles (3*10*11 = 330),
        // the cnn conv2 shape on 2 samples (28 wide: the in-place split), 6x6 with 4 tiles per row (rows shorter than a vector)
        int[][] cases = {{2, 32, 7, 13, 64, 1}, {2, 128, 6, 6, 128, 0}, {1, 48, 7, 12, 64, 2}, {3, 32, 20, 20, 64, 1},
                {2, 32, 28, 28, 64, 1}, {3, 192, 8, 8, 192, 0}};
        for (int[] d : cases) {
            SplittableRandom r = new SplittableRandom(d[1] * 31 + d[2]);
            Conv2dSpec spec = Conv2dSpec.of(1, d[5]);
            Tensor x = Tensor.randn(r, DType.FLOAT32, d[0], d[1], d[2], d[3]).requiresGrad(true);
            Tensor w = Tensor.randn(r, DType.FLOAT32, d[4], d[1], 3, 3).requiresGrad(true);
            assertTrue(WinogradWeightGrad.applies(spec.geometry("conv2d", d[1], d[2], d[3], 3, 3), d[4]));
            Tensor y = Conv.conv2d(x, w, null, spec);
            Tensor g = Tensor.randn(r, DType.FLOAT32, y.shape());
            y.backward(g, false);
            NaiveConv.Problem p = NaiveConv.Problem.of(d[0], d[1], d[2], d[3], d[4], 3, 3, spec);
            double[] want = NaiveConv.backward(p, doubles(x), doubles(w), doubles(g))[1];
            double scale = 0;
            for (double v : want) scale = Math.max(scale, Math.abs(v));
            // float32 sums of N*H'*W' products, the transforms adding up to 16 of them first: a few ulps of the scale.
            double tol = Math.sqrt(d[0] * y.dim(2) * y.dim(3)) * 32 * 0x1p-24 * scale;
            float[] got = w.grad().floatData();
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], tol, "case " + java.util.Arrays.toString(d) + " at " + i);
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        int saved = Parallel.threads();
        try {
            float[] first = null;
            for (int threads : new int[] {1, 2, 3, 4, 5}) {
                Parallel.setThreads(threads);
                SplittableRandom r = new SplittableRandom(9);
                Tensor x = Tensor.randn(r, DType.FLOAT32, 5, 32, 11, 12).requiresGrad(true);
                Tensor w = Tensor.randn(r, DType.FLOAT32, 64, 32, 3, 3).requiresGrad(true);
                Tensor y = Conv.conv2d(x, w, null, Conv2dSpec.of(1, 1));
                y.backward(Tensor.randn(r, DType.FLOAT32, y.shape()), false);
                float[] now = w.grad().floatData().clone();
                if (first == null) {
                    first = now;
                } else {
                    assertArrayEquals(first, now, threads + " threads");
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static double[] doubles(Tensor t) {
        double[] d = new double[t.numel()];
        for (int i = 0; i < d.length; i++) d[i] = t.getFlat(i);
        return d;
    }
}
