package org.autoinit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.nn.Fans;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.testing.LayerGradCheck;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ConvLayersTest {
    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, shape);
    }

    /** Naive conv2d with symmetric padding p, stride s, dilation d, groups g. */
    private static double conv(Tensor x, Tensor w, Tensor b, int n, int o, int oy, int ox, int s, int p, int d, int g) {
        int cg = w.dim(1), og = w.dim(0) / g, grp = o / og;
        double acc = b == null ? 0 : b.getFlat(o);
        for (int c = 0; c < cg; c++) for (int i = 0; i < w.dim(2); i++) for (int j = 0; j < w.dim(3); j++) {
            int y = oy * s - p + i * d, xx = ox * s - p + j * d;
            if (y >= 0 && y < x.dim(2) && xx >= 0 && xx < x.dim(3)) acc += w.get(o, c, i, j) * x.get(n, grp * cg + c, y, xx);
        }
        return acc;
    }

    @Test
    void conv2dMatchesNaiveLoops() {
        int[][] cases = {{1, 1, 1, 1}, {2, 1, 1, 1}, {1, 0, 2, 1}, {1, 1, 1, 2}, {2, 1, 1, 4}};
        for (int[] cs : cases) {
            int s = cs[0], p = cs[1], d = cs[2], g = cs[3];
            Conv2d c = Conv2d.builder(4, 3).stride(s).padding(p).dilation(d).groups(g).build();
            int[] out = c.build(new int[] {4, 7, 6});
            c.to(DType.FLOAT64);
            LayerGradCheck.randomize(c.parameters(), 1, 1);
            Tensor x = randn(2, 2, 4, 7, 6);
            Tensor y = c.forward(ForwardContext.eval(), x);
            assertArrayEquals(new int[] {2, out[0], out[1], out[2]}, y.shape());
            String name = "s" + s + " p" + p + " d" + d + " g" + g;
            assertEquals((7 + 2 * p - d * 2 - 1) / s + 1, out[1], name);
            for (int n = 0; n < 2; n++) for (int o = 0; o < 4; o++) for (int oy = 0; oy < out[1]; oy++) for (int ox = 0; ox < out[2]; ox++) {
                assertEquals(conv(x, c.weight().value(), c.bias().value(), n, o, oy, ox, s, p, d, g), y.get(n, o, oy, ox), 1e-10, name);
            }
        }
    }

    @Test
    void samePaddingKeepsCeilOfSizeOverStride() {
        Conv2d c = Conv2d.builder(2, 3).padding("same").build();
        assertArrayEquals(new int[] {2, 5, 6}, c.build(new int[] {1, 5, 6}));
        Conv2d c2 = Conv2d.builder(2, 3).padding("same").stride(2).build();
        assertArrayEquals(new int[] {2, 3, 3}, c2.build(new int[] {1, 5, 6}));
        LayerGradCheck.check("conv same stride 2", Conv2d.builder(2, 3).padding("same").stride(2).build(), 1, LayerGradCheck.input(1, 1, 2, 5, 4));
    }

    @Test
    void fansWithGroupsAndDepthwise() {
        Conv2d plain = Conv2d.builder(64, 3).build();
        plain.build(new int[] {32, 8, 8});
        assertEquals(new Fans(32 * 9, 64 * 9), plain.weight().fans());
        Conv2d grouped = Conv2d.builder(64, 3).groups(4).build();
        grouped.build(new int[] {32, 8, 8});
        assertArrayEquals(new int[] {64, 8, 3, 3}, grouped.weight().shape());
        assertEquals(new Fans(8 * 9, 64 * 9), grouped.weight().fans()); // PyTorch: fan_out ignores groups
        Conv2d dw = Conv2d.builder(32, 3, 5).depthwise().bias(false).build();
        dw.build(new int[] {32, 8, 8});
        assertEquals(32, dw.groups());
        assertArrayEquals(new int[] {32, 1, 3, 5}, dw.weight().shape());
        assertEquals(new Fans(15, 32 * 15), dw.weight().fans());
        assertEquals(1, dw.parameters().size());
        Conv1d c1 = Conv1d.builder(6, 5).groups(2).build();
        c1.build(new int[] {4, 10});
        assertEquals(new Fans(10, 30), c1.weight().fans());
    }

    @Test
    void conv1dMatchesNaiveLoops() {
        Conv1d c = Conv1d.builder(3, 3).stride(2).padding(1).build();
        assertArrayEquals(new int[] {3, 4}, c.build(new int[] {2, 8}));
        c.to(DType.FLOAT64);
        LayerGradCheck.randomize(c.parameters(), 1, 2);
        Tensor x = randn(3, 2, 2, 8);
        Tensor y = c.forward(ForwardContext.eval(), x);
        Tensor w = c.weight().value();
        for (int n = 0; n < 2; n++) for (int o = 0; o < 3; o++) for (int t = 0; t < 4; t++) {
            double acc = c.bias().value().getFlat(o);
            for (int ch = 0; ch < 2; ch++) for (int k = 0; k < 3; k++) {
                int pos = t * 2 - 1 + k;
                if (pos >= 0 && pos < 8) acc += w.get(o, ch, k) * x.get(n, ch, pos);
            }
            assertEquals(acc, y.get(n, o, t), 1e-10);
        }
    }

    @Test
    void poolsMatchNaiveLoops() {
        Tensor x = randn(4, 2, 3, 4, 6);
        MaxPool2d mp = new MaxPool2d(2);
        assertArrayEquals(new int[] {3, 2, 3}, mp.build(new int[] {3, 4, 6}));
        AvgPool2d ap = AvgPool2d.builder(3).stride(1).padding(1).build();
        assertArrayEquals(new int[] {3, 4, 6}, ap.build(new int[] {3, 4, 6}));
        Tensor ym = mp.forward(ForwardContext.eval(), x), ya = ap.forward(ForwardContext.eval(), x);
        for (int n = 0; n < 2; n++) for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 2; i++) for (int j = 0; j < 3; j++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) m = Math.max(m, x.get(n, c, 2 * i + a, 2 * j + b));
                assertEquals(m, ym.get(n, c, i, j));
            }
            for (int i = 0; i < 4; i++) for (int j = 0; j < 6; j++) {
                double s = 0;
                for (int a = -1; a <= 1; a++) for (int b = -1; b <= 1; b++) {
                    if (i + a >= 0 && i + a < 4 && j + b >= 0 && j + b < 6) s += x.get(n, c, i + a, j + b);
                }
                assertEquals(s / 9, ya.get(n, c, i, j), 1e-12);
            }
        }
    }

    @Test
    void gradientChecks() {
        LayerGradCheck.check("conv2d", Conv2d.builder(3, 3).padding(1).build(), 1, LayerGradCheck.input(1, 2, 2, 4, 3));
        LayerGradCheck.check("conv2d groups stride dilation", Conv2d.builder(4, 2).groups(2).stride(2).dilation(2).build(), 1,
                LayerGradCheck.input(2, 1, 4, 5, 5));
        LayerGradCheck.check("depthwise", Conv2d.builder(4, 3).depthwise().padding(1).build(), 1, LayerGradCheck.input(3, 2, 2, 3, 3));
        LayerGradCheck.check("conv1d", Conv1d.builder(3, 3).padding("same").build(), 1, LayerGradCheck.input(4, 2, 2, 5));
        LayerGradCheck.check("maxpool", new MaxPool2d(2), 1, LayerGradCheck.input(5, 2, 2, 4, 4));
        LayerGradCheck.check("avgpool", AvgPool2d.builder(2).stride(1).build(), 1, LayerGradCheck.input(6, 2, 2, 3, 3));
    }

    @Test
    void clearShapeErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(4, 3).name("c1").build().build(new int[] {3, 32}));
        assertEquals("Conv2d 'c1': input of per-sample shape [3, 32] must have rank 3 (C, H, W) (batch dimension excluded)", e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(4, 5).name("c2").build().build(new int[] {3, 3, 3}));
        assertTrue(e2.getMessage().startsWith("Conv2d 'c2': conv2d: kernel 5x5 is larger than the padded input 3x3"), e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> Conv2d.builder(4, 3).groups(3).name("c3").build().build(new int[] {6, 5, 5}));
        assertEquals("Conv2d 'c3': in channels 6 and out channels 4 must both be divisible by groups 3", e3.getMessage());
        Conv2d c = Conv2d.builder(2, 3).name("c4").build();
        c.build(new int[] {1, 5, 5});
        IllegalArgumentException e4 = assertThrows(IllegalArgumentException.class,
                () -> c.forward(ForwardContext.eval(), Tensor.zeros(DType.FLOAT32, 2, 3, 5, 5)));
        assertEquals("Conv2d 'c4': input of shape [2, 3, 5, 5] does not match the built shape [N, 1, 5, 5]", e4.getMessage());
    }
}
