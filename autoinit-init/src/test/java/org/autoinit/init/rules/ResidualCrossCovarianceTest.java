package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.init.AutoInit;
import org.autoinit.init.InitReport;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Add;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.WeightedSum;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

/**
 * One fixed draw of a residual block {@code x + fc_b(act(fc_a(x)))} on N(0, 1) input: the branch is correlated with x
 * for that draw, by {@code Cov(x, b) = W_a diag(E f'(h)) W_b} (Stein's lemma; exact for Gaussian x and one
 * nonlinearity). The predicted variance of the merge must match a Monte Carlo run of the real layers within 4 standard
 * errors, and the independence rule (the merge as the sum of its inputs' variances) must be measurably off, so the
 * check can fail.
 */
class ResidualCrossCovarianceTest {
    private static final int D = 16;

    /** fc_a random N(0, 1/D); fc_b = g fc_a^T + noise: a branch that partly copies its input (strongly correlated). */
    private static Model block(Layer merge, ActivationKind kind, double g, long seed) {
        Node in = Model.input("x", D);
        Dense fa = new Dense("fc_a", D), fb = new Dense("fc_b", D);
        Node h = Activation.of(kind).apply(fa.apply(in));
        Model m = Model.of(in, merge.apply(in, fb.apply(h)));
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor wa = ((Dense) m.layer("fc_a")).weight().value(), wb = ((Dense) m.layer("fc_b")).weight().value();
        double[] a = new double[D * D];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian() / Math.sqrt(D);
            wa.setFlat(i, a[i]);
        }
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                wb.setFlat(i * D + j, g * a[j * D + i] + rng.nextGaussian() * Math.sqrt(2.0 / D));
            }
        }
        ((Dense) m.layer("fc_a")).bias().value().fill_(0);
        ((Dense) m.layer("fc_b")).bias().value().fill_(0);
        return m;
    }

    private static void check(String what, Model m, double[] coeff) {
        InitReport r = AutoInit.builder().inputMoments(Moments.of(0, 1)).build().predict(m);
        Moments merged = r.entry(m.outputs().get(0).name()).output();
        double vb = r.entry("fc_b").output().variance();
        double independent = coeff[0] * coeff[0] + coeff[1] * coeff[1] * vb;
        MonteCarlo.Estimate e = RuleTesting.measure(m, 8, 20_000, 5, Moments.of(0, 1));
        System.out.printf(java.util.Locale.ROOT, "%s: predicted %.4f, measured %.4f +- %.4f, independence rule %.4f%n", what, merged.variance(), e.variance(),
                e.varianceSe(), independent);
        MonteCarlo.assertExact(what, merged, e);
        assertTrue(Math.abs(independent - e.variance()) > 10 * e.varianceSe(), String.format("%s: the independence rule (%.4f) is not measurably off "
                + "the measured %.4f +- %.4f", what, independent, e.variance(), e.varianceSe()));
    }

    @Test
    void addOfACorrelatedReluBranchIsPredictedForTheDrawnWeights() {
        check("relu branch, Add", block(new Add("merge"), ActivationKind.RELU, 0.8, 1), new double[] {1, 1});
    }

    @Test
    void weightedSumOfAnAntiCorrelatedTanhBranchIsPredicted() {
        check("tanh branch, WeightedSum", block(new WeightedSum("merge", 0.6, 0.8), ActivationKind.TANH, -0.8, 2), new double[] {0.6, 0.8});
    }

    @Test
    void autoInitScalesWeightedSumCoefficientsSoTheCorrelatedMergeHasVarianceS() {
        // The branch's weights frozen (a strongly correlated draw); AutoInit sets only the merge's coefficients. For
        // independent inputs a_i = sqrt(1 / (2 v_i)) would give variance 1; the cross-covariance makes it miss, and one
        // common factor on both coefficients brings the measured variance of the real layers back to s = 1.
        Model m = block(new WeightedSum("merge", 1, 1), ActivationKind.RELU, 0.8, 1);
        for (String name : new String[] {"fc_a", "fc_b"}) {
            m.layer(name).parameters().forEach(p -> p.setTrainable(false));
        }
        WeightedSum ws = (WeightedSum) m.layer("merge");
        InitReport r = AutoInit.builder().inputMoments(Moments.of(0, 1)).build().initialize(m);
        double vb = r.entry("fc_b").output().variance();
        double[] a = ws.coefficients(), old = {Math.sqrt(1 / 2.0), Math.sqrt(1 / (2 * vb))};
        assertEquals(old[0] / old[1], a[0] / a[1], 1e-6, "the ratios sqrt(1 / (N v_i)) are kept");
        Moments merged = r.entry("merge").output();
        assertEquals(1.0, merged.variance(), 1e-9, "predicted variance of the merge");
        MonteCarlo.Estimate e = RuleTesting.measure(m, 8, 20_000, 7, Moments.of(0, 1));
        ws.setCoefficients(old);
        MonteCarlo.Estimate before = RuleTesting.measure(m, 8, 20_000, 7, Moments.of(0, 1));
        System.out.printf(java.util.Locale.ROOT, "WeightedSum set by AutoInit: measured %.4f +- %.4f (coefficients %.4f, %.4f); independent-input "
                + "coefficients %.4f, %.4f: measured %.4f +- %.4f%n", e.variance(), e.varianceSe(), a[0], a[1], old[0], old[1], before.variance(), before.varianceSe());
        MonteCarlo.assertExact("relu branch, WeightedSum set by AutoInit", merged, e);
        assertTrue(Math.abs(before.variance() - 1) > 10 * before.varianceSe(), String.format("the independent-input coefficients are not measurably "
                + "off s: %.4f +- %.4f", before.variance(), before.varianceSe()));
    }

    @Test
    void crossCovarianceOfTheBranchIsSteinsProduct() {
        // Cov(x, b) carried by the branch's covariance against W_a diag(P(h > 0)) W_b by hand (relu, h ~ N(0, v_j)).
        Model m = block(new Add("merge"), ActivationKind.RELU, 0.8, 1);
        Tensor wa = ((Dense) m.layer("fc_a")).weight().value(), wb = ((Dense) m.layer("fc_b")).weight().value();
        FeatureCovariance x = FeatureCovariance.independent(filled(D, 1.0));
        FeatureCovariance h = x.through(wa);
        Moments[] exact = new Moments[D];
        double[] mean = new double[D];
        for (int j = 0; j < D; j++) {
            exact[j] = org.autoinit.init.moments.ActivationMoments.of(ActivationKind.RELU, 0, Moments.of(0, h.get(j, j)));
        }
        FeatureCovariance b = h.activation(v -> Math.max(0, v), new double[] {0}, mean, exact).through(wb);
        assertTrue(b.source() == x, "the branch's source is its input's covariance");
        double[] k = b.cross();
        for (int i = 0; i < D; i++) {
            for (int j = 0; j < D; j++) {
                double e = 0;
                for (int t = 0; t < D; t++) {
                    e += wa.getFlat(i * D + t) * 0.5 * wb.getFlat(t * D + j);
                }
                assertEquals(e, k[i * D + j], 1e-6, "Cov(x_" + i + ", b_" + j + ")");
            }
        }
        // The sum adds K + K^T; an unrelated pair stays independent.
        FeatureCovariance s = FeatureCovariance.sum(new FeatureCovariance[] {x, b}, null);
        assertEquals(x.get(0, 1) + b.get(0, 1) + k[1] + k[D], s.get(0, 1), 1e-12);
        FeatureCovariance u = FeatureCovariance.sum(new FeatureCovariance[] {FeatureCovariance.independent(filled(D, 1.0)), b}, null);
        assertEquals(b.get(0, 1), u.get(0, 1), 1e-12);
    }

    @Test
    void aTwoLayerLinearBranchOfAFloat64ModelIsCorrelatedByTheFinalWeights() {
        // x (variance 4) -> a -> b, WeightedSum(x, b): AutoInit draws and rescales each float64 weight in place after
        // predicting it, and the carried product must use the final weights: Cov(x, x W_a W_b) = 4 W_a W_b, so with
        // a_0^2 4 = a_1^2 1 = 1/2 the sum's pooled variance would be 1 + 2 a_0 a_1 * 4 tr(W_a W_b) / 8 = 1 + tr(W_a W_b) / 4;
        // AutoInit divides both coefficients by its square root, so the merge has variance 1.
        Node in = Model.input("x", 8);
        Node b = new Dense("b", 8).apply(new Dense("a", 8).apply(in));
        Model m = Model.of(in, new WeightedSum("ws").apply(in, b)).to(org.autoinit.tensor.DType.FLOAT64);
        InitReport r = AutoInit.builder().inputMoments(Moments.of(0, 4.0)).seed(3).build().initialize(m);
        Tensor wa = ((Dense) m.layer("a")).weight().value(), wb = ((Dense) m.layer("b")).weight().value();
        double tr = 0;
        for (int i = 0; i < 8; i++) {
            for (int t = 0; t < 8; t++) {
                tr += wa.getFlat(i * 8 + t) * wb.getFlat(t * 8 + i);
            }
        }
        assertTrue(Math.abs(tr / 4) > 0.01, "the draw correlates the branch measurably: " + tr / 4);
        double c = 1 / Math.sqrt(1 + tr / 4);
        double[] a = ((WeightedSum) m.layer("ws")).coefficients();
        assertEquals(c * Math.sqrt(1 / 8.0), a[0], 1e-9);
        assertEquals(c * Math.sqrt(1 / 2.0), a[1], 1e-9);
        assertEquals(1.0, r.entry("ws").output().variance(), 1e-9);
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

}
