package org.autoinit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.testing.LayerGradCheck;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MergeLayersTest {
    private static final Tensor A = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    private static final Tensor B = Tensor.of(new float[] {10, 20, 30, 40}, 2, 2);

    private static double[] run(Layer l, Tensor... xs) {
        int[][] shapes = new int[xs.length][];
        for (int i = 0; i < xs.length; i++) shapes[i] = new int[] {xs[i].dim(1)};
        l.build(shapes);
        return l.forward(ForwardContext.eval(), xs).toDoubleArray();
    }

    @Test
    void byHand() {
        assertArrayEquals(new double[] {11, 22, 33, 44}, run(new Add(), A, B));
        assertArrayEquals(new double[] {-9, -18, -27, -36}, run(new Subtract(), A, B));
        assertArrayEquals(new double[] {10, 40, 90, 160}, run(new Multiply(), A, B));
        assertArrayEquals(new double[] {5.5, 11, 16.5, 22}, run(new Average(), A, B));
        assertArrayEquals(new double[] {1, 2, 10, 20, 3, 4, 30, 40}, run(new Concatenate(), A, B));
        assertArrayEquals(new double[] {12, 24, 36, 48}, run(new Add(), A, B, A));
    }

    @Test
    void weightedSumUsesItsCoefficients() {
        WeightedSum w = new WeightedSum();
        assertArrayEquals(new double[] {11, 22, 33, 44}, run(w, A, B), "starts as a plain sum");
        w.setCoefficients(2, 0.5);
        assertArrayEquals(new double[] {7, 14, 21, 28}, w.forward(ForwardContext.eval(), A, B).toDoubleArray());
        assertArrayEquals(new double[] {2, 0.5}, w.coefficients());
        assertEquals(ParamKind.BUFFER, w.parameters().get(0).kind());
        assertEquals(false, w.parameters().get(0).trainable());
        WeightedSum fixed = new WeightedSum("ws", 0.5, 0.25);
        assertArrayEquals(new double[] {3, 6, 9, 12}, run(fixed, A, B));
        assertThrows(IllegalArgumentException.class, () -> w.setCoefficients(1, 2, 3));
    }

    @Test
    void concatenateAlongFirstSampleAxis() {
        Concatenate c = new Concatenate(0);
        assertArrayEquals(new int[] {5, 3}, c.build(new int[] {2, 3}, new int[] {3, 3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Concatenate("cat", -1).build(new int[] {2, 3}, new int[] {3, 3}));
        assertEquals("Concatenate 'cat': shapes [2, 3] and [3, 3] differ outside axis -1", e.getMessage());
    }

    @Test
    void unequalShapesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Add("res").build(new int[] {4}, new int[] {5}));
        assertEquals("Add 'res': inputs must have equal shapes, got [4] and [5] (input 1)", e.getMessage());
    }

    @Test
    void gradientChecks() {
        for (Layer l : new Layer[] {new Add(), new Subtract(), new Multiply(), new Average(), new Concatenate(), new WeightedSum("w", 0.3, -1.7)}) {
            l.build(new int[] {3}, new int[] {3});
            LayerGradCheck.check(l.type(), l, 1, LayerGradCheck.input(1, 2, 3), LayerGradCheck.input(2, 2, 3));
        }
        Concatenate c = new Concatenate(0);
        c.build(new int[] {1, 2}, new int[] {2, 2});
        LayerGradCheck.check("concat axis 0", c, 1, LayerGradCheck.input(3, 2, 1, 2), LayerGradCheck.input(4, 2, 2, 2));
    }
}
