package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.init.CentredActivations;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.Model;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Dropout;
import org.autoinit.nn.layers.Flatten;
import org.autoinit.nn.layers.Permute;
import org.autoinit.nn.layers.PositionalEmbedding;
import org.autoinit.nn.layers.Reshape;
import org.autoinit.nn.layers.SpatialDropout;
import org.autoinit.nn.layers.ZeroPadding2d;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

/** Monte Carlo checks of the single-input rules on the real layers (>= 1e5 samples each, 4 standard errors). */
class ElementwiseRulesTest {

    @Test
    void everyActivationOnSeveralGaussians() {
        Moments[] inputs = {Moments.of(0, 1), Moments.of(0.5, 2), Moments.of(-1, 0.3)};
        for (ActivationKind kind : ActivationKind.values()) {
            for (Moments in : inputs) {
                if (kind == ActivationKind.EXP && in.variance() > 1) {
                    in = Moments.of(0, 0.5); // e^X with variance 2 has too heavy a tail for a 4-SE check of its variance
                }
                Model m = RuleTesting.single(Activation.of(kind), new int[] {250});
                MonteCarlo.Estimate e = RuleTesting.measure(m, 8, 1000, kind.ordinal(), in);
                MonteCarlo.assertExact(kind.id() + " of N(" + in.mean() + ", " + in.variance() + ")", RuleTesting.predicted(m, in), e);
            }
        }
    }

    @Test
    void leakyReluAndEluWithTheirAlpha() {
        for (ActivationKind kind : new ActivationKind[] {ActivationKind.LEAKY_RELU, ActivationKind.ELU}) {
            Model m = RuleTesting.single(Activation.builder(kind).alpha(0.3).build(), new int[] {250});
            Moments in = Moments.of(0.2, 1.5);
            MonteCarlo.assertExact(kind.id() + " alpha 0.3", RuleTesting.predicted(m, in), RuleTesting.measure(m, 8, 100, 3, in));
        }
    }

    @Test
    void centredActivationsMapAUnitGaussianToMeanZero() {
        for (ActivationKind kind : new ActivationKind[] {ActivationKind.RELU, ActivationKind.TANH, ActivationKind.GELU, ActivationKind.SOFTPLUS}) {
            Model m = RuleTesting.single(CentredActivations.of(kind), new int[] {250});
            Moments p = RuleTesting.predicted(m, Moments.standard());
            assertEquals(0, p.mean(), 1e-9, kind.id() + " centred: predicted mean");
            MonteCarlo.assertExact(kind.id() + " centred", p, RuleTesting.measure(m, 8, 100, 5, Moments.standard()));
        }
    }

    @Test
    void userFunctionActivation() {
        Model m = RuleTesting.single(Activation.custom("cube", x -> x * x * x, x -> 3 * x * x).build(), new int[] {250});
        Moments in = Moments.of(0.1, 0.5);
        MonteCarlo.assertExact("x^3", RuleTesting.predicted(m, in), RuleTesting.measure(m, 8, 4000, 6, in));
    }

    @Test
    void dropoutIncludingItsMeanTerm() {
        Moments in = Moments.of(1.0, 0.5);
        Model m = RuleTesting.single(new Dropout(0.3), new int[] {250});
        Moments p = RuleTesting.predicted(m, in);
        // v' = v/(1-p) + mu^2 p/(1-p): written out independently of the rule.
        assertEquals(0.5 / 0.7 + 1.0 * 0.3 / 0.7, p.variance(), 1e-12);
        MonteCarlo.assertExact("dropout 0.3", p, RuleTesting.measure(m, 8, 100, 7, in));
        Model s = RuleTesting.single(new SpatialDropout(0.25), new int[] {4, 8, 8});
        MonteCarlo.assertExact("spatial dropout 0.25", RuleTesting.predicted(s, in), RuleTesting.measure(s, 40, 100, 8, in));
    }

    @Test
    void dropoutAdjustmentOffIsTheIdentity() {
        Model m = RuleTesting.single(new Dropout(0.5), new int[] {10});
        Moments in = Moments.of(1.0, 0.5);
        Moments p = org.autoinit.init.AutoInit.builder().dropoutAdjustment(false).inputMoments(in).build().predict(m)
                .entry(m.outputs().get(0).name()).output();
        assertEquals(in.mean(), p.mean(), 1e-12);
        assertEquals(in.secondMoment(), p.secondMoment(), 1e-12);
    }

    @Test
    void zeroPaddingIsAMixtureWithZeros() {
        Moments in = Moments.of(0.7, 0.4);
        Model m = RuleTesting.single(new ZeroPadding2d(1), new int[] {3, 6, 6});
        Moments p = RuleTesting.predicted(m, in);
        double r = 36.0 / 64.0;
        assertEquals(r * 0.7, p.mean(), 1e-12);
        assertEquals(r * (0.4 + 0.49), p.secondMoment(), 1e-12);
        MonteCarlo.assertExact("zero padding", p, RuleTesting.measure(m, 10, 1000, 9, in));
    }

    @Test
    void shapeLayersAreTheIdentity() {
        Moments in = Moments.of(-0.4, 1.7);
        Model[] models = {RuleTesting.single(new Flatten(), new int[] {3, 4, 5}), RuleTesting.single(new Reshape(12, 5), new int[] {3, 4, 5}),
            RuleTesting.single(new Permute(2, 0, 1), new int[] {3, 4, 5})};
        for (Model m : models) {
            Moments p = RuleTesting.predicted(m, in);
            assertEquals(in.mean(), p.mean(), 1e-12);
            assertEquals(in.secondMoment(), p.secondMoment(), 1e-12);
            MonteCarlo.assertExact(m.outputs().get(0).layer().type(), p, RuleTesting.measure(m, 8, 2000, 10, in));
        }
    }

    @Test
    void positionalEmbeddingAddsItsActualTable() {
        PositionalEmbedding pe = new PositionalEmbedding("pos");
        Model m = RuleTesting.single(pe, new int[] {16, 8});
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < pe.pos().numel(); i++) {
            pe.pos().value().setFlat(i, 0.3 + 0.5 * rng.nextGaussian());
        }
        Moments in = Moments.of(0.1, 1.0);
        Moments p = RuleTesting.predicted(m, in);
        assertTrue(p.variance() > 1.1, "the table's spread adds variance: " + p.variance());
        MonteCarlo.assertExact("positional embedding", p, RuleTesting.measure(m, 10, 1000, 12, in));
    }
}
