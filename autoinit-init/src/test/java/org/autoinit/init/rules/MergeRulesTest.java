package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.autoinit.init.moments.Moments;
import org.autoinit.nn.Model;
import org.autoinit.nn.layers.Add;
import org.autoinit.nn.layers.Average;
import org.autoinit.nn.layers.Concatenate;
import org.autoinit.nn.layers.Multiply;
import org.autoinit.nn.layers.Subtract;
import org.autoinit.nn.layers.WeightedSum;
import org.junit.jupiter.api.Test;

/** Monte Carlo checks of the merge rules on the real layers with independent Gaussian inputs. */
class MergeRulesTest {
    private static final Moments A = Moments.of(1.0, 0.5), B = Moments.of(-0.3, 2.0), C = Moments.of(0.2, 0.1);

    @Test
    void addSubtractAverage() {
        int[] s = {250};
        Model add = RuleTesting.single(new Add(), s, s);
        Moments p = RuleTesting.predicted(add, A, B);
        assertEquals(0.7, p.mean(), 1e-12);
        assertEquals(2.5, p.variance(), 1e-12);
        MonteCarlo.assertExact("add", p, RuleTesting.measure(add, 8, 100, 1, A, B));

        Model sub = RuleTesting.single(new Subtract(), s, s);
        p = RuleTesting.predicted(sub, A, B);
        assertEquals(1.3, p.mean(), 1e-12);
        assertEquals(2.5, p.variance(), 1e-12);
        MonteCarlo.assertExact("subtract", p, RuleTesting.measure(sub, 8, 100, 2, A, B));

        Model avg = RuleTesting.single(new Average(), s, s, s);
        p = RuleTesting.predicted(avg, A, B, C);
        assertEquals(0.3, p.mean(), 1e-12);
        assertEquals(2.6 / 9, p.variance(), 1e-12);
        MonteCarlo.assertExact("average", p, RuleTesting.measure(avg, 8, 100, 3, A, B, C));
    }

    @Test
    void multiplyOfIndependentInputs() {
        int[] s = {250};
        Model m = RuleTesting.single(new Multiply(), s, s);
        Moments p = RuleTesting.predicted(m, A, B);
        assertEquals(-0.3, p.mean(), 1e-12);
        assertEquals(1.5 * 2.09, p.secondMoment(), 1e-12);
        MonteCarlo.assertExact("multiply", p, RuleTesting.measure(m, 8, 100, 4, A, B));
    }

    @Test
    void weightedSumWithItsOwnCoefficients() {
        int[] s = {250};
        Model m = RuleTesting.single(new WeightedSum("ws", 0.5, 2.0), s, s);
        Moments p = RuleTesting.predicted(m, A, B);
        assertEquals(0.5 - 0.6, p.mean(), 1e-12);
        assertEquals(0.25 * 0.5 + 4 * 2.0, p.variance(), 1e-12);
        MonteCarlo.assertExact("weighted sum", p, RuleTesting.measure(m, 8, 100, 5, A, B));
    }

    @Test
    void concatenateIsASizeWeightedMixture() {
        Model feats = RuleTesting.single(new Concatenate(), new int[] {100}, new int[] {300});
        Moments p = RuleTesting.predicted(feats, A, B);
        assertEquals(0.25 * 1.0 + 0.75 * -0.3, p.mean(), 1e-12);
        assertEquals(0.25 * 1.5 + 0.75 * 2.09, p.secondMoment(), 1e-12);
        MonteCarlo.assertExact("concatenate features", p, RuleTesting.measure(feats, 8, 100, 6, A, B));
        Model tokens = RuleTesting.single(new Concatenate(0), new int[] {3, 20}, new int[] {7, 20});
        p = RuleTesting.predicted(tokens, A, B);
        assertEquals(0.3 * 1.0 + 0.7 * -0.3, p.mean(), 1e-12);
        MonteCarlo.assertExact("concatenate tokens", p, RuleTesting.measure(tokens, 8, 100, 7, A, B));
    }
}
