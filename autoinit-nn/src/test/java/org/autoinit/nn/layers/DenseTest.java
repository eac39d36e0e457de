package org.autoinit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoinit.nn.Fans;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.testing.LayerGradCheck;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DenseTest {
    @Test
    void allOnesWeightsByHand() {
        Dense d = new Dense(3);
        d.build(new int[] {2});
        d.weight().value().fill_(1);
        Tensor y = d.forward(ForwardContext.eval(), Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        assertArrayEquals(new int[] {2, 3}, y.shape());
        assertArrayEquals(new double[] {3, 3, 3, 7, 7, 7}, y.toDoubleArray());
    }

    @Test
    void forwardMatchesNaiveLoopsOnTokens() {
        Dense d = Dense.builder(4).name("proj").build();
        d.build(new int[] {3, 5});
        LayerGradCheck.randomize(d.parameters(), 1.0, 3);
        Tensor x = Tensor.randn(new java.util.SplittableRandom(1), DType.FLOAT32, 2, 3, 5);
        Tensor y = d.forward(ForwardContext.eval(), x);
        assertArrayEquals(new int[] {2, 3, 4}, y.shape());
        Tensor w = d.weight().value(), b = d.bias().value();
        for (int n = 0; n < 2; n++) {
            for (int s = 0; s < 3; s++) {
                for (int u = 0; u < 4; u++) {
                    double acc = b.get(u);
                    for (int i = 0; i < 5; i++) {
                        acc += x.get(n, s, i) * w.get(i, u);
                    }
                    assertEquals(acc, y.get(n, s, u), 1e-5, "y[" + n + "," + s + "," + u + "]");
                }
            }
        }
    }

    @Test
    void parametersNamesFansAndKinds() {
        Dense d = Dense.builder(7).name("fc1").build();
        d.build(new int[] {5});
        assertEquals(2, d.parameters().size());
        assertEquals("weight", d.parameters().get(0).name());
        assertEquals("fc1.bias", d.parameters().get(1).qualifiedName());
        assertArrayEquals(new int[] {5, 7}, d.weight().shape());
        assertEquals(new Fans(5, 7), d.weight().fans());
        assertEquals(ParamKind.BIAS, d.bias().kind());
        assertTrue(d.weight().value().requiresGrad());
        Dense nb = Dense.builder(7).bias(false).build();
        nb.build(new int[] {5});
        assertNull(nb.bias());
        assertEquals(1, nb.parameters().size());
    }

    @Test
    void gradientCheck() {
        LayerGradCheck.check("dense 2d", new Dense(3), 1.0, LayerGradCheck.input(1, 2, 4));
        LayerGradCheck.check("dense tokens", new Dense(2), 1.0, LayerGradCheck.input(2, 2, 3, 4));
        LayerGradCheck.check("dense no bias", Dense.builder(2).bias(false).build(), 1.0, LayerGradCheck.input(3, 3, 4));
    }

    @Test
    void clearErrors() {
        Dense d = new Dense("fc1", 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.forward(ForwardContext.eval(), Tensor.zeros(DType.FLOAT32, 2, 4)));
        assertEquals("Dense 'fc1' is not built; apply it to a Node or call build(shape) first", e.getMessage());
        d.build(new int[] {4});
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> d.forward(ForwardContext.eval(), Tensor.zeros(DType.FLOAT32, 2, 5)));
        assertEquals("Dense 'fc1': input of shape [2, 5] does not match the built shape [N, 4]", e2.getMessage());
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class,
                () -> d.forward(ForwardContext.eval(), Tensor.zeros(DType.FLOAT64, 2, 4)));
        assertTrue(e3.getMessage().contains("input dtype float64 differs from parameter dtype float32"), e3.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dense(0));
    }
}
