package org.autoinit.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.autoinit.nn.layers.Add;
import org.autoinit.nn.layers.Concatenate;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.testing.LayerGradCheck;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GraphTest {
    @Test
    void residualAndConcatenateGraphGradientCheck() {
        Node in = Model.input("x", 3);
        Node h = new Dense("d1", 3).apply(in);
        Node r = new Add("res").apply(in, h);
        Node c = new Concatenate("cat", -1).apply(r, new Dense("d2", 2).apply(in));
        Node out = new Dense("head", 2).apply(c);
        Model m = Model.of(in, out);
        assertEquals(List.of("x", "d1", "res", "d2", "cat", "head"), m.nodes().stream().map(Node::name).toList());
        assertArrayEquals(new int[] {5}, c.shape());
        LayerGradCheck.check("residual+concat", m, 0.7, LayerGradCheck.input(1, 2, 3));
    }

    @Test
    void sharedLayerAppliedTwice() {
        Dense shared = new Dense("shared", 3);
        Node in = Model.input("x", 3);
        Node a = shared.apply(in);
        Node b = shared.apply(a);
        assertEquals("shared", a.name());
        assertEquals("shared_2", b.name());
        Model m = Model.of(in, b);
        assertEquals(1, m.layers().size());
        assertEquals(List.of("shared.weight", "shared.bias"), new ArrayList<>(m.namedParameters().keySet()));
        assertEquals(12, m.parameterCount(true));
        // Output equals applying the same weights twice by hand.
        LayerGradCheck.randomize(shared.parameters(), 0.5, 1);
        Tensor x = Tensor.randn(new SplittableRandom(2), DType.FLOAT32, 2, 3);
        Tensor want = shared.forward(ForwardContext.eval(), shared.forward(ForwardContext.eval(), x));
        assertArrayEquals(want.toDoubleArray(), m.forward(ForwardContext.eval(), x).toDoubleArray(), 1e-6);
        assertTrue(m.summary().contains("(shared)"), m.summary());
        // Gradients of both uses accumulate into the one weight.
        LayerGradCheck.check("shared dense", m, 0.7, LayerGradCheck.input(3, 2, 3));
    }

    @Test
    void sharedLayerWithAnotherShapeFails() {
        Dense shared = new Dense("fc", 4);
        Node a = shared.apply(Model.input("a", 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shared.apply(Model.input("b", 5)));
        assertEquals("Dense 'fc' was built for input shapes [3] and cannot be applied to [5] (a shared layer needs the same shapes every time)",
                e.getMessage());
        assertArrayEquals(new int[] {4}, a.shape());
    }

    @Test
    void modelInputErrors() {
        Node in = Model.input("x", 4);
        Node other = Model.input("y", 4);
        Node s = new Add().apply(in, other);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Model.of(in, s));
        assertEquals("Model.of: the outputs depend on input 'y' [4], which is not among the model inputs", e.getMessage());
        Model m = Model.of(List.of(in, other), List.of(s));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> m.forward(ForwardContext.eval(), Tensor.zeros(DType.FLOAT32, 2, 4), Tensor.zeros(DType.FLOAT32, 2, 3)));
        assertEquals("Model.forward: input 'y' of shape [2, 3] does not match the declared shape [N, 4]", e2.getMessage());
        Node i2 = Model.input("x", 4);
        Node d1 = new Dense("same", 2).apply(i2);
        Node d2 = new Dense("same", 2).apply(d1);
        assertThrows(IllegalArgumentException.class, () -> Model.of(i2, d2));
    }

    @Test
    void multipleOutputsAndObservers() {
        Node in = Model.input("x", 2);
        Node a = new Dense("a", 3).apply(in);
        Node b = new Dense("b", 1).apply(a);
        Model m = Model.of(List.of(in), List.of(a, b));
        List<String> seen = new ArrayList<>();
        List<Tensor> outs = m.forwardAll(ForwardContext.eval().observe((node, t) -> seen.add(node.name() + java.util.Arrays.toString(t.shape()))),
                Tensor.zeros(DType.FLOAT32, 5, 2));
        assertEquals(List.of("x[5, 2]", "a[5, 3]", "b[5, 1]"), seen);
        assertArrayEquals(new int[] {5, 3}, outs.get(0).shape());
        assertArrayEquals(new int[] {5, 1}, outs.get(1).shape());
        assertThrows(IllegalStateException.class, () -> m.forward(ForwardContext.eval(), Tensor.zeros(DType.FLOAT32, 5, 2)));
        assertSame(m.layer("b"), b.layer());
    }

    @Test
    void sequentialSummaryAndCounts() {
        Model m = Sequential.of(new int[] {784}, new Dense("fc1", 512), new Dense("fc2", 10));
        String s = m.summary();
        assertTrue(s.contains("fc1 (Dense)"), s);
        assertTrue(s.contains("[512]"), s);
        assertTrue(s.contains("401,920"), s);
        assertTrue(s.contains("Total params: 407,050"), s);
        assertTrue(s.contains("Trainable params: 407,050"), s);
        assertTrue(s.contains("Non-trainable params: 0"), s);
        m.namedParameters().get("fc2.weight").setTrainable(false);
        assertEquals(407_050, m.parameterCount(false));
        assertEquals(407_050 - 5120, m.parameterCount(true));
        assertEquals(3, m.trainableParameters().size());
        assertTrue(m.summary().contains("Non-trainable params: 5,120"));
    }

    @Test
    void toFloat64ConvertsEveryParameter() {
        Model m = Sequential.of(new int[] {3}, new Dense(2));
        m.to(DType.FLOAT64);
        for (Parameter p : m.namedParameters().values()) {
            assertEquals(DType.FLOAT64, p.value().dtype(), p.qualifiedName());
            assertTrue(p.value().requiresGrad());
        }
        assertEquals(DType.FLOAT64, m.forward(ForwardContext.eval(), Tensor.zeros(DType.FLOAT64, 1, 3)).dtype());
    }

    @Test
    void parameterSetChecksShapeAndAutoNamesAreUnique() {
        Dense a = new Dense(2), b = new Dense(2);
        assertNotEquals(a.name(), b.name());
        assertTrue(a.name().startsWith("dense_"), a.name());
        a.build(new int[] {3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.weight().set(Tensor.zeros(DType.FLOAT32, 2, 3)));
        assertTrue(e.getMessage().contains("cannot set a value of shape [2, 3], expected [3, 2]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> ForwardContext.eval().rng());
    }
}
