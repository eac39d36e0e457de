package org.autoinit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.testing.LayerGradCheck;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Layer options the other conv tests leave out: Conv1d with dilation and groups, Conv2d with a non-square even
 * kernel and TF-style "same" padding at stride 2 (asymmetric: the odd pixel of padding goes bottom/right),
 * pools with padding and overlapping windows. Naive loops with the padding worked out here, plus float64
 * gradient checks.
 */
class ConvOptionsTest {
    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, shape);
    }

    /** TF "same": output ceil(n / s); total padding max((out - 1) s + (k - 1) d + 1 - n, 0), the smaller half first. */
    private static int padBefore(int n, int k, int s, int d) {
        int out = (n + s - 1) / s;
        int total = Math.max((out - 1) * s + (k - 1) * d + 1 - n, 0);
        return total / 2;
    }

    @Test
    void conv1dDilationAndGroupsMatchNaiveLoops() {
        // C=4, O=6, groups 2 (each output channel sees 2 input channels), kernel 3, dilation 2, stride 1, padding 2.
        Conv1d c = Conv1d.builder(6, 3).groups(2).dilation(2).padding(2).build();
        assertArrayEquals(new int[] {6, 7}, c.build(new int[] {4, 7}));
        c.to(DType.FLOAT64);
        LayerGradCheck.randomize(c.parameters(), 1, 4);
        Tensor x = randn(5, 2, 4, 7);
        Tensor y = c.forward(ForwardContext.eval(), x);
        Tensor w = c.weight().value(), b = c.bias().value();
        for (int n = 0; n < 2; n++) for (int o = 0; o < 6; o++) for (int t = 0; t < 7; t++) {
            int g = o / 3;
            double acc = b.getFlat(o);
            for (int ci = 0; ci < 2; ci++) for (int k = 0; k < 3; k++) {
                int pos = t - 2 + 2 * k;
                if (pos >= 0 && pos < 7) acc += w.get(o, ci, k) * x.get(n, 2 * g + ci, pos);
            }
            assertEquals(acc, y.get(n, o, t), 1e-10, "n=" + n + " o=" + o + " t=" + t);
        }
        LayerGradCheck.check("conv1d groups dilation stride", Conv1d.builder(4, 2).groups(2).dilation(2).stride(2).padding(1).build(), 1,
                LayerGradCheck.input(6, 2, 2, 7));
    }

    @Test
    void conv2dSamePaddingWithAnEvenNonSquareKernelAtStride2() {
        int h = 5, wd = 6, kh = 2, kw = 4, s = 2;
        Conv2d c = Conv2d.builder(2, kh, kw).stride(s).padding("same").build();
        assertArrayEquals(new int[] {2, 3, 3}, c.build(new int[] {3, h, wd}));
        c.to(DType.FLOAT64);
        LayerGradCheck.randomize(c.parameters(), 1, 7);
        Tensor x = randn(8, 2, 3, h, wd);
        Tensor y = c.forward(ForwardContext.eval(), x);
        // H: out 3, total (2*2 + 1 + 1 - 5) = 1 -> 0 before, 1 after. W: out 3, total (2*2 + 3 + 1 - 6) = 2 -> 1 before.
        int pt = padBefore(h, kh, s, 1), pl = padBefore(wd, kw, s, 1);
        assertEquals(0, pt);
        assertEquals(1, pl);
        Tensor w = c.weight().value(), b = c.bias().value();
        for (int n = 0; n < 2; n++) for (int o = 0; o < 2; o++) for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
            double acc = b.getFlat(o);
            for (int ch = 0; ch < 3; ch++) for (int a = 0; a < kh; a++) for (int bb = 0; bb < kw; bb++) {
                int yy = i * s - pt + a, xx = j * s - pl + bb;
                if (yy >= 0 && yy < h && xx >= 0 && xx < wd) acc += w.get(o, ch, a, bb) * x.get(n, ch, yy, xx);
            }
            assertEquals(acc, y.get(n, o, i, j), 1e-10, "n=" + n + " o=" + o + " i=" + i + " j=" + j);
        }
        LayerGradCheck.check("conv2d same 2x4 stride 2", Conv2d.builder(2, kh, kw).stride(s).padding("same").build(), 1,
                LayerGradCheck.input(9, 2, 3, h, wd));
    }

    @Test
    void poolsWithPaddingAndOverlap() {
        // Max pool 3x3, stride 2, padding 1 (ResNet-50's stem): padded cells never win.
        MaxPool2d mp = new MaxPool2d("mp", 3, 3, 2, 2, 1, 1);
        assertArrayEquals(new int[] {1, 2, 3}, mp.build(new int[] {1, 4, 5}));
        Tensor x = Tensor.of(new double[] {-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16, -17, -18, -19, -20},
                1, 1, 4, 5);
        // All values negative: a zero from the padding would win if padding took part. Windows rows {0,1},{1,2,3}
        // x cols {0,1},{1,2,3},{3,4}: maxima are the top-left cells of each window.
        assertArrayEquals(new double[] {-1, -2, -4, -6, -7, -9}, mp.forward(ForwardContext.eval(), x).toDoubleArray());
        LayerGradCheck.check("maxpool 3x3 s2 p1", new MaxPool2d("mp2", 3, 3, 2, 2, 1, 1), 1, LayerGradCheck.input(10, 2, 2, 5, 5));
        LayerGradCheck.check("avgpool 3x3 s2 p1", AvgPool2d.builder(3).stride(2).padding(1).build(), 1, LayerGradCheck.input(11, 2, 2, 5, 5));
    }
}
