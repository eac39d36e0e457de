package org.autoinit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.nn.Fans;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.testing.LayerGradCheck;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;
import org.autoinit.tensor.testing.GradCheck;
import org.junit.jupiter.api.Test;

class ActivationDropoutEmbeddingTest {
    private static double[] run(Activation a, double... xs) {
        a.build(new int[] {xs.length});
        return a.forward(ForwardContext.eval(), Tensor.of(xs.clone(), 1, xs.length)).toDoubleArray();
    }

    @Test
    void builtInKindsByHand() {
        double[] x = {-2, -0.5, 0.5, 1};
        assertArrayEquals(new double[] {0, 0, 0.5, 1}, run(Activation.relu(), x), 1e-15);
        assertArrayEquals(new double[] {-0.4, -0.1, 0.5, 1}, run(Activation.builder(ActivationKind.LEAKY_RELU).alpha(0.2).build(), x), 1e-15);
        assertArrayEquals(new double[] {Math.exp(-2) - 1, Math.exp(-0.5) - 1, 0.5, 1}, run(new Activation(ActivationKind.ELU), x), 1e-15);
        assertArrayEquals(new double[] {Math.tanh(-2), Math.tanh(-0.5), Math.tanh(0.5), Math.tanh(1)}, run(Activation.of(ActivationKind.TANH), x), 1e-15);
        assertArrayEquals(new double[] {1 / (1 + Math.exp(2)), 1 / (1 + Math.exp(0.5)), 1 / (1 + Math.exp(-0.5)), 1 / (1 + Math.exp(-1))},
                run(Activation.of(ActivationKind.SIGMOID), x), 1e-15);
        // GELU(x) = x Phi(x): Phi(1) = 0.8413447460685429, Phi(-2) = 0.022750131948179195.
        double[] g = run(Activation.of(ActivationKind.GELU), -2, 1);
        assertEquals(-2 * 0.022750131948179195, g[0], 1e-13);
        assertEquals(0.8413447460685429, g[1], 1e-13);
        assertArrayEquals(new double[] {Math.sin(-2), Math.sin(1)}, run(Activation.of(ActivationKind.SIN), -2, 1), 1e-15);
    }

    @Test
    void centredAndCustomActivations() {
        Activation c = Activation.builder(ActivationKind.RELU).centred(0.3989422804014327).name("crelu").build();
        assertArrayEquals(new double[] {-0.3989422804014327, 2 - 0.3989422804014327}, run(c, -1, 2), 1e-15);
        assertTrue(c.isCentred());
        assertEquals(ActivationKind.RELU, c.kind());
        assertEquals(2.0, c.function().applyAsDouble(2), 0);
        assertEquals(2 - 0.3989422804014327, c.applyScalar(2), 1e-15);
        Activation cube = Activation.custom("cube", v -> v * v * v, v -> 3 * v * v).centred(1).build();
        assertArrayEquals(new double[] {-9, 7}, run(cube, -2, 2), 1e-15);
        assertNull(cube.kind());
        assertTrue(cube.isCustom());
        assertEquals(8, cube.function().applyAsDouble(2), 0);
        assertEquals(12, cube.derivative().applyAsDouble(2), 0);
        LayerGradCheck.check("custom cube", Activation.custom("cube", v -> v * v * v, v -> 3 * v * v).build(), 1, LayerGradCheck.input(1, 2, 3));
    }

    @Test
    void everyKindGradientCheckAwayFromKinks() {
        for (ActivationKind k : ActivationKind.values()) {
            // Inputs in [0.1, 1.4] and [-1.4, -0.1]: no kink (0, hard sigmoid's +-2.5/+-3) is within a step of them.
            Tensor x = GradCheck.uniform(k.ordinal(), 0.1, 1.4, 2, 3);
            for (int i = 0; i < x.numel(); i += 2) x.doubleData()[i] = -x.doubleData()[i];
            LayerGradCheck.check(k.id(), Activation.of(k), 1, x);
        }
    }

    @Test
    void dropoutInTrainingAndEval() {
        Dropout d = new Dropout(0.25);
        d.build(new int[] {100, 100});
        Tensor x = Tensor.ones(DType.FLOAT32, 2, 100, 100);
        assertSame(x, d.forward(ForwardContext.eval(), x), "eval mode is the identity");
        Tensor y = d.forward(ForwardContext.training(new SplittableRandom(1)), x);
        int zeros = 0;
        for (int i = 0; i < y.numel(); i++) {
            double v = y.getFlat(i);
            assertTrue(v == 0 || Math.abs(v - 1 / 0.75) < 1e-6, "survivors are scaled by 1/(1-p)");
            if (v == 0) zeros++;
        }
        // Binomial(20000, 0.25): sd = 61, so +-5 sd is 300.
        assertEquals(5000, zeros, 300);
        assertArrayEquals(y.toDoubleArray(), d.forward(ForwardContext.training(new SplittableRandom(1)), x).toDoubleArray(), "same seed, same mask");
        LayerGradCheck.checkTraining("dropout", new Dropout(0.5), 1, LayerGradCheck.input(1, 2, 5));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.0));
    }

    @Test
    void spatialDropoutDropsWholeChannels() {
        SpatialDropout d = new SpatialDropout(0.5);
        d.build(new int[] {40, 3, 3});
        Tensor y = d.forward(ForwardContext.training(new SplittableRandom(2)), Tensor.ones(DType.FLOAT32, 2, 40, 3, 3));
        int dropped = 0;
        for (int n = 0; n < 2; n++) for (int c = 0; c < 40; c++) {
            double first = y.get(n, c, 0, 0);
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(first, y.get(n, c, i, j), "channel is all or nothing");
            if (first == 0) dropped++; else assertEquals(2.0, first, 1e-6);
        }
        assertTrue(dropped > 20 && dropped < 60, "dropped " + dropped + " of 80 channels");
        LayerGradCheck.checkTraining("spatial dropout", new SpatialDropout(0.5), 1, LayerGradCheck.input(3, 2, 4, 2));
    }

    @Test
    void embeddingLooksUpRows() {
        Embedding e = new Embedding("emb", 5, 3);
        assertArrayEquals(new int[] {2, 3}, e.build(new int[] {2}));
        assertEquals(ParamKind.EMBEDDING, e.weight().kind());
        assertEquals(new Fans(3, 5), e.weight().fans());
        for (int i = 0; i < 15; i++) e.weight().value().setFlat(i, i);
        Tensor y = e.forward(ForwardContext.eval(), Tensor.of(new float[] {4, 0, 2, 2}, 2, 2));
        assertArrayEquals(new double[] {12, 13, 14, 0, 1, 2, 6, 7, 8, 6, 7, 8}, y.toDoubleArray());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> e.forward(ForwardContext.eval(), Tensor.of(new float[] {1, 5}, 1, 2)));
        assertTrue(ex.getMessage().startsWith("Embedding 'emb': id 5.0"), ex.getMessage());
        Embedding g = new Embedding(4, 2);
        g.build(new int[] {3});
        LayerGradCheck.check("embedding", g, 1, Tensor.of(new double[] {1, 3, 1, 0, 2, 1}, 2, 3));
        assertFalse(g.weight().value().grad() == null);
    }
}
