package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.autoinit.init.moments.Moments;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.AvgPool2d;
import org.autoinit.nn.layers.GlobalAvgPool;
import org.autoinit.nn.layers.GlobalMaxPool;
import org.autoinit.nn.layers.MaxPool2d;
import org.autoinit.nn.layers.TokenMean;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

/** Pooling rules on iid Gaussian maps (exact under independence) and after activations (order statistics). */
class PoolRulesTest {

    private static Model chain(int[] shape, Layer... layers) {
        Node in = Model.input("in", shape);
        Node x = in;
        for (Layer l : layers) {
            x = l.apply(x);
        }
        return Model.of(List.of(in), List.of(x));
    }

    @Test
    void maxPoolAfterReluUsesThePreActivationGaussian() {
        Model m = chain(new int[] {4, 16, 16}, Activation.relu(), new MaxPool2d(2));
        Moments p = RuleTesting.predicted(m, Moments.standard());
        // The documented reference value (the Gaussian shortcut would give ~0.168).
        assertEquals(0.450, p.variance(), 0.002);
        MonteCarlo.assertExact("relu then 2x2 max", p, RuleTesting.measure(m, 10, 100, 1, Moments.standard()));
    }

    @Test
    void maxPoolOfGaussianWithPaddingAndOfMonotoneActivations() {
        Moments in = Moments.of(0.5, 2.0);
        Model pad = chain(new int[] {4, 9, 9}, MaxPool2d.builder(3).stride(2).padding(1).build());
        MonteCarlo.assertExact("3x3/2 max, padded", RuleTesting.predicted(pad, in), RuleTesting.measure(pad, 10, 400, 2, in));
        Model tanh = chain(new int[] {4, 16, 16}, Activation.of(ActivationKind.TANH), new MaxPool2d(2));
        MonteCarlo.assertExact("tanh then 2x2 max", RuleTesting.predicted(tanh, in), RuleTesting.measure(tanh, 10, 100, 3, in));
        Model elu = chain(new int[] {4, 16, 16}, Activation.of(ActivationKind.ELU), MaxPool2d.builder(3).stride(1).build());
        MonteCarlo.assertExact("elu then 3x3/1 max", RuleTesting.predicted(elu, in), RuleTesting.measure(elu, 10, 100, 4, in));
    }

    @Test
    void maxPoolAfterGeluTakesTheMaxWhereGeluIncreases() {
        Moments in = Moments.of(0.0, 1.0);
        Model m = chain(new int[] {4, 16, 16}, Activation.of(ActivationKind.GELU), new MaxPool2d(2));
        // Approximation: max gelu(x_i) = gelu(max x_i) unless the max falls below -0.75 (probability ~0.5% for 4 entries).
        MonteCarlo.assertRelative("gelu then 2x2 max", RuleTesting.predicted(m, in), RuleTesting.measure(m, 10, 100, 5, in), 0.02);
    }

    @Test
    void averagePoolCountsPaddingInTheDivisor() {
        Moments in = Moments.of(0.8, 1.3);
        Model plain = chain(new int[] {4, 16, 16}, new AvgPool2d(2));
        Moments p = RuleTesting.predicted(plain, in);
        assertEquals(0.8, p.mean(), 1e-12);
        assertEquals(1.3 / 4, p.variance(), 1e-12);
        MonteCarlo.assertExact("2x2 avg", p, RuleTesting.measure(plain, 10, 100, 6, in));
        Model pad = chain(new int[] {4, 8, 8}, AvgPool2d.builder(3).stride(1).padding(1).build());
        MonteCarlo.assertExact("3x3/1 avg, padded", RuleTesting.predicted(pad, in), RuleTesting.measure(pad, 10, 400, 7, in));
    }

    @Test
    void globalPoolsAndTokenMean() {
        Moments in = Moments.of(-0.2, 0.7);
        Model gap = chain(new int[] {16, 8, 8}, new GlobalAvgPool());
        Moments p = RuleTesting.predicted(gap, in);
        assertEquals(0.7 / 64, p.variance(), 1e-12);
        MonteCarlo.assertExact("global avg", p, RuleTesting.measure(gap, 10, 1000, 8, in));
        Model gmp = chain(new int[] {16, 8, 8}, Activation.relu(), new GlobalMaxPool());
        MonteCarlo.assertExact("relu then global max", RuleTesting.predicted(gmp, in), RuleTesting.measure(gmp, 10, 1000, 9, in));
        Model tok = chain(new int[] {16, 32}, new TokenMean());
        MonteCarlo.assertExact("token mean", RuleTesting.predicted(tok, in), RuleTesting.measure(tok, 10, 1000, 10, in));
    }
}
