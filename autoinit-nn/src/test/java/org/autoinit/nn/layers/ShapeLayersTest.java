package org.autoinit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.testing.LayerGradCheck;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ShapeLayersTest {
    private static Tensor iota(int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        for (int i = 0; i < t.numel(); i++) t.setFlat(i, i);
        return t;
    }

    @Test
    void flattenKeepsRowMajorOrder() {
        Flatten f = new Flatten();
        assertArrayEquals(new int[] {24}, f.build(new int[] {2, 3, 4}));
        Tensor y = f.forward(ForwardContext.eval(), iota(2, 2, 3, 4));
        assertArrayEquals(new int[] {2, 24}, y.shape());
        for (int i = 0; i < 48; i++) assertEquals(i, y.getFlat(i));
        LayerGradCheck.check("flatten", new Flatten(), 1, LayerGradCheck.input(1, 2, 2, 3));
    }

    @Test
    void reshapeInfersOneDimension() {
        Reshape r = new Reshape(-1, 4);
        assertArrayEquals(new int[] {6, 4}, r.build(new int[] {2, 3, 4}));
        assertArrayEquals(new int[] {2, 6, 4}, r.forward(ForwardContext.eval(), iota(2, 2, 3, 4)).shape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Reshape("r", 5, -1).build(new int[] {2, 3, 4}));
        assertEquals("Reshape 'r': shape [5, -1] is invalid for a sample of shape [2, 3, 4] (24 elements)", e.getMessage());
        LayerGradCheck.check("reshape", new Reshape(3, 2), 1, LayerGradCheck.input(1, 2, 6));
    }

    @Test
    void permuteMovesSampleAxes() {
        Permute p = new Permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.build(new int[] {2, 3, 4}));
        Tensor x = iota(2, 2, 3, 4);
        Tensor y = p.forward(ForwardContext.eval(), x);
        for (int n = 0; n < 2; n++)
            for (int a = 0; a < 2; a++)
                for (int b = 0; b < 3; b++)
                    for (int c = 0; c < 4; c++) assertEquals(x.get(n, a, b, c), y.get(n, c, a, b));
        assertThrows(IllegalArgumentException.class, () -> new Permute(0, 0, 1).build(new int[] {2, 3, 4}));
        LayerGradCheck.check("permute", new Permute(1, 0), 1, LayerGradCheck.input(1, 2, 3, 2));
    }

    @Test
    void zeroPaddingByHand() {
        ZeroPadding2d z = new ZeroPadding2d(null, 1, 0, 2, 1);
        assertArrayEquals(new int[] {1, 3, 5}, z.build(new int[] {1, 2, 2}));
        Tensor y = z.forward(ForwardContext.eval(), Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2));
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 3, 4, 0}, y.toDoubleArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ZeroPadding2d(1).build(new int[] {3, 4}));
        assertTrue(e.getMessage().contains("must have rank 3 (C, H, W)"), e.getMessage());
        LayerGradCheck.check("zero padding", new ZeroPadding2d(1), 1, LayerGradCheck.input(1, 2, 1, 2, 3));
    }

    @Test
    void tokenMeanAveragesTokens() {
        TokenMean m = new TokenMean();
        assertArrayEquals(new int[] {3}, m.build(new int[] {2, 3}));
        Tensor y = m.forward(ForwardContext.eval(), Tensor.of(new double[] {1, 2, 3, 5, 6, 7}, 1, 2, 3));
        assertArrayEquals(new double[] {3, 4, 5}, y.toDoubleArray());
        LayerGradCheck.check("token mean", new TokenMean(), 1, LayerGradCheck.input(1, 2, 3, 2));
    }
}
