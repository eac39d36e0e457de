package org.autoinit.init.moments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

/** Order-statistic rules for max pooling against Monte Carlo of the real max and against independent integrals. */
class MaxPoolMomentsTest {

    private static final NormalDistribution N01 = new NormalDistribution();

    /** max over k of f(mu + sigma z), n seeded samples. */
    private static double[] sampleMax(DoubleUnaryOperator f, int k, double mu, double v, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double sigma = Math.sqrt(v);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) m = Math.max(m, f.applyAsDouble(mu + sigma * rng.nextGaussian()));
            y[i] = m;
        }
        return y;
    }

    @Test
    void reluThenTwoByTwoMaxPoolHasVarianceFourFifty() {
        Moments pooled = MaxPoolMoments.ofActivated(ActivationKind.RELU, 4, Moments.standard());
        assertEquals(0.450, pooled.variance(), 5e-4, "2x2 max pool after relu of N(0,1)");
        SampleStats.assertMatches("relu + maxpool 2x2", pooled, sampleMax(x -> Math.max(x, 0.0), 4, 0, 1, 200_000, 1));
        // The Gaussian shortcut (post-relu moments treated as a Gaussian) is the known error, ~0.168.
        Moments shortcut = MaxPoolMoments.ofGaussian(4, ActivationMoments.of(ActivationKind.RELU, Moments.standard()));
        assertEquals(0.168, shortcut.variance(), 1e-3);
    }

    @Test
    void gaussianMaxMatchesIndependentIntegralAndMonteCarlo() {
        for (int k : new int[] {2, 4, 9, 16}) {
            int kk = k;
            DoubleUnaryOperator dens = z -> kk * N01.density(z) * Math.pow(N01.cumulativeProbability(z), kk - 1);
            double e1 = Simpson.integrate(z -> z * dens.applyAsDouble(z), -15, 15, 200_000);
            double e2 = Simpson.integrate(z -> z * z * dens.applyAsDouble(z), -15, 15, 200_000);
            Moments m = MaxPoolMoments.ofGaussian(k, Moments.standard());
            assertEquals(e1, m.mean(), 1e-10, "E[M_" + k + "]");
            assertEquals(e2, m.secondMoment(), 1e-10, "E[M_" + k + "^2]");
            Moments shifted = MaxPoolMoments.ofGaussian(k, Moments.of(-1.5, 0.3));
            SampleStats.assertMatches("max of " + k + " N(-1.5, 0.3)", shifted, sampleMax(x -> x, k, -1.5, 0.3, 100_000, k));
        }
        // E[M_2] = 1/sqrt(pi) exactly.
        assertEquals(1 / Math.sqrt(Math.PI), MaxPoolMoments.ofGaussian(2, Moments.standard()).mean(), 1e-13);
    }

    @Test
    void globalMaxPoolOverManyPositions() {
        Moments m = MaxPoolMoments.ofGaussian(1024, Moments.of(0.2, 2));
        SampleStats.assertMatches("max of 1024", m, sampleMax(x -> x, 1024, 0.2, 2, 4000, 7));
        Moments r = MaxPoolMoments.ofActivated(ActivationKind.GELU, 256, Moments.standard());
        SampleStats.assertMatches("gelu max of 256", r, sampleMax(x -> ActivationKind.GELU.apply(x, Double.NaN), 256, 0, 1, 4000, 8));
    }

    @Test
    void monotoneActivationsMatchMonteCarlo() {
        ActivationKind[] kinds = {ActivationKind.RELU, ActivationKind.TANH, ActivationKind.SIGMOID, ActivationKind.ELU,
            ActivationKind.SELU, ActivationKind.SOFTPLUS, ActivationKind.HARD_SIGMOID, ActivationKind.LEAKY_RELU};
        double[][] pre = {{0, 1}, {-1, 4}, {2, 0.01}};
        long seed = 100;
        for (ActivationKind kind : kinds) {
            for (double[] p : pre) {
                for (int k : new int[] {4, 9}) {
                    double alpha = kind.defaultAlpha();
                    SampleStats.assertMatches(kind.id() + " max of " + k + " at N(" + p[0] + ", " + p[1] + ")",
                            MaxPoolMoments.ofActivated(kind, k, Moments.of(p[0], p[1])),
                            sampleMax(x -> kind.apply(x, alpha), k, p[0], p[1], 100_000, seed++));
                }
            }
        }
    }

    @Test
    void nonMonotoneActivationsMatchMonteCarlo() {
        ActivationKind[] kinds = {ActivationKind.GELU, ActivationKind.SWISH, ActivationKind.MISH, ActivationKind.SIN, ActivationKind.GELU_TANH};
        double[][] pre = {{0, 1}, {-1, 4}, {0.5, 0.25}};
        long seed = 200;
        for (ActivationKind kind : kinds) {
            for (double[] p : pre) {
                for (int k : new int[] {2, 4}) {
                    SampleStats.assertMatches(kind.id() + " max of " + k + " at N(" + p[0] + ", " + p[1] + ")",
                            MaxPoolMoments.ofActivated(kind, k, Moments.of(p[0], p[1])),
                            sampleMax(x -> kind.apply(x, Double.NaN), k, p[0], p[1], 100_000, seed++));
                }
            }
        }
        // Leaky relu with a negative slope is not monotone: the rule must not use f(max x).
        SampleStats.assertMatches("leaky(-0.5) max of 4", MaxPoolMoments.ofActivated(ActivationKind.LEAKY_RELU, -0.5, 4, Moments.standard()),
                sampleMax(x -> ActivationKind.LEAKY_RELU.apply(x, -0.5), 4, 0, 1, 100_000, 300));
    }

    @Test
    void sortedGridMethodIsAccurateWhereTheAnswerIsKnown() {
        // Monotone functions: the discretized law against the exact order-statistic integral.
        for (ActivationKind kind : new ActivationKind[] {ActivationKind.RELU, ActivationKind.TANH}) {
            double alpha = kind.defaultAlpha();
            double[] exact = MaxPoolMoments.orderStatistic(x -> kind.apply(x, alpha), kind.kinks(alpha), 4, 0.3, 2.0);
            double[] grid = MaxPoolMoments.sortedGrid(x -> kind.apply(x, alpha), 4, 0.3, 2.0);
            assertEquals(exact[0], grid[0], 1e-8, kind.id() + " m1");
            assertEquals(exact[1], grid[1], 1e-8, kind.id() + " m2");
        }
        // Non-monotone x^2: max_i X_i^2 = (max |X_i|)^2, |X| half-normal with CDF (2 Phi(z) - 1).
        int k = 5;
        DoubleUnaryOperator dens = z -> k * Math.pow(2 * N01.cumulativeProbability(z) - 1, k - 1) * 2 * N01.density(z);
        double e1 = Simpson.integrate(z -> z * z * dens.applyAsDouble(z), 0, 15, 300_000);
        double e2 = Simpson.integrate(z -> Math.pow(z, 4) * dens.applyAsDouble(z), 0, 15, 300_000);
        Moments m = MaxPoolMoments.ofActivated(x -> x * x, new double[0], false, k, Moments.standard());
        assertEquals(e1, m.mean(), 1e-8, "E[max X^2]");
        assertEquals(e2, m.secondMoment(), 1e-7, "E[(max X^2)^2]");
    }

    @Test
    void windowOfOneIsThePlainActivation() {
        for (ActivationKind kind : new ActivationKind[] {ActivationKind.RELU, ActivationKind.ELU, ActivationKind.EXP, ActivationKind.SIN}) {
            double alpha = kind.defaultAlpha();
            Moments a = ActivationMoments.of(kind, alpha, Moments.of(0.4, 0.7));
            double[] os = MaxPoolMoments.orderStatistic(x -> kind.apply(x, alpha), kind.kinks(alpha), 1, 0.4, Math.sqrt(0.7));
            assertEquals(a.mean(), os[0], 1e-11, kind.id());
            assertEquals(a.secondMoment(), os[1], 1e-11, kind.id());
            assertEquals(a, MaxPoolMoments.ofActivated(kind, 1, Moments.of(0.4, 0.7)), kind.id() + ": exactly the same moments");
        }
    }

    @Test
    void constantInputAndErrors() {
        Moments c = MaxPoolMoments.ofActivated(ActivationKind.TANH, 4, Moments.of(0.3, 0));
        assertEquals(Math.tanh(0.3), c.mean(), 0);
        assertEquals(0.0, c.variance(), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> MaxPoolMoments.ofGaussian(0, Moments.standard()));
        assertEquals("max pool moments: window size k must be >= 1, got 0", e.getMessage());
    }
}
