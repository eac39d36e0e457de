package org.autoinit.init.moments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Every layer rule against a Monte Carlo of the layer's formula written out in plain Java (the nn layers
 * do not exist yet; their own tests will repeat this on the real layers). 1e5 seeded samples, 4 standard errors.
 */
class LayerRulesTest {

    private static final int N = 100_000;
    private final SplittableRandom rng = new SplittableRandom(42);

    private double gauss(Moments m) {
        return m.mean() + m.std() * rng.nextGaussian();
    }

    @Test
    void inverseDropoutKeepsTheMeanTermInTheVariance() {
        Moments in = Moments.of(1.5, 0.8);
        double p = 0.3;
        double[] y = new double[N];
        for (int i = 0; i < N; i++) y[i] = rng.nextDouble() < p ? 0 : gauss(in) / (1 - p);
        Moments out = LayerRules.dropout(in, p);
        SampleStats.assertMatches("dropout", out, y);
        assertEquals(0.8 / 0.7 + 1.5 * 1.5 * 0.3 / 0.7, out.variance(), 1e-12, "v/(1-p) + mu^2 p/(1-p)");
        var e = assertThrows(IllegalArgumentException.class, () -> LayerRules.dropout(in, 1.0));
        assertEquals("dropout: drop probability must be in [0, 1), got 1.0", e.getMessage());
    }

    @Test
    void addSubtractAverageMultiply() {
        Moments a = Moments.of(0.5, 2.0), b = Moments.of(-1.2, 0.3), c = Moments.of(2.0, 1.1);
        double[] add = new double[N], sub = new double[N], avg = new double[N], mul = new double[N];
        for (int i = 0; i < N; i++) {
            double x = gauss(a), y = gauss(b), z = gauss(c);
            add[i] = x + y + z;
            sub[i] = x - y;
            avg[i] = (x + y + z) / 3;
            mul[i] = x * y * z;
        }
        SampleStats.assertMatches("add", LayerRules.add(a, b, c), add);
        SampleStats.assertMatches("subtract", LayerRules.subtract(a, b), sub);
        SampleStats.assertMatches("average", LayerRules.average(a, b, c), avg);
        SampleStats.assertMatches("multiply", LayerRules.multiply(a, b, c), mul);
    }

    @Test
    void concatenateIsASizeWeightedMixture() {
        Moments a = Moments.of(1.0, 0.5), b = Moments.of(-2.0, 3.0);
        long[] counts = {3, 7};
        double[] y = new double[N];
        for (int i = 0; i < N; i++) y[i] = rng.nextInt(10) < 3 ? gauss(a) : gauss(b); // a random entry of the result
        SampleStats.assertMatches("concatenate", LayerRules.concatenate(counts, a, b), y);
        var e = assertThrows(IllegalArgumentException.class, () -> LayerRules.concatenate(new long[] {1}, a, b));
        assertEquals("concatenate: 1 counts for 2 inputs", e.getMessage());
    }

    @Test
    void weightedSumAndResidualCoefficientsKeepVarianceS() {
        Moments a = Moments.of(0.0, 1.0), b = Moments.of(0.3, 4.0), c = Moments.of(-0.1, 0.25);
        double s = 1.0;
        double[] coef = LayerRules.residualCoefficients(s, a.variance(), b.variance(), c.variance());
        assertArrayEquals(new double[] {Math.sqrt(1 / 3.0), Math.sqrt(1 / 12.0), Math.sqrt(4 / 3.0)}, coef, 1e-15);
        Moments out = LayerRules.weightedSum(coef, a, b, c);
        assertEquals(s, out.variance(), 1e-14);
        double[] y = new double[N];
        for (int i = 0; i < N; i++) y[i] = coef[0] * gauss(a) + coef[1] * gauss(b) + coef[2] * gauss(c);
        SampleStats.assertMatches("weighted sum", out, y);
        var e = assertThrows(IllegalArgumentException.class, () -> LayerRules.residualCoefficients(1.0, 1.0, 0.0));
        assertEquals("residualCoefficients: branch 1 has variance 0.0; a branch with zero variance cannot be rescaled to carry s/N", e.getMessage());
    }

    @Test
    void zeroPaddingAndPooling() {
        Moments in = Moments.of(0.7, 1.3);
        // 'same' padding of a 6x6 map by 1 on each side: 36 of 64 entries are inputs.
        double r = 36.0 / 64;
        double[] pad = new double[N], pool = new double[N];
        for (int i = 0; i < N; i++) {
            pad[i] = rng.nextInt(64) < 36 ? gauss(in) : 0.0;
            double sum = 0;
            for (int j = 0; j < 9; j++) sum += gauss(in);
            pool[i] = sum / 9;
        }
        SampleStats.assertMatches("zero padding", LayerRules.zeroPadding(in, r), pad);
        SampleStats.assertMatches("average pool 3x3", LayerRules.averagePool(in, 9), pool);
        assertEquals(LayerRules.averagePool(in, 49), LayerRules.globalAveragePool(in, 49));
    }

    @Test
    void normalizationPoolsChannelsAsAMixture() {
        Moments in = Moments.of(3.0, 0.02);
        double eps = 1e-2; // large enough that v/(v + eps) matters
        double[] gamma = {1.0, 0.5, 2.0}, beta = {0.0, 1.0, -0.5};
        int batch = 20_000;
        double[] y = new double[batch * gamma.length], x = new double[batch];
        for (int c = 0; c < gamma.length; c++) {
            double m = 0, v = 0;
            for (int i = 0; i < batch; i++) {
                x[i] = gauss(in);
                m += x[i];
            }
            m /= batch;
            for (int i = 0; i < batch; i++) v += (x[i] - m) * (x[i] - m);
            v /= batch; // batch norm uses the biased batch variance
            for (int i = 0; i < batch; i++) y[c * batch + i] = beta[c] + gamma[c] * (x[i] - m) / Math.sqrt(v + eps);
        }
        SampleStats.assertMatches("batch norm", LayerRules.normalization(in, gamma, beta, eps), y);
        Moments fresh = LayerRules.normalization(in, eps);
        assertEquals(0.0, fresh.mean(), 0.0);
        assertEquals(0.02 / 0.03, fresh.secondMoment(), 1e-12); // in.variance() = 9.02 - 9 carries rounding
    }

    @Test
    void weightedLayerWithAutoInitVarianceOutputsZeroAndS() {
        // The input mean matters: sigma^2 = s / (fanIn q_in), q = v + mu^2, not v.
        Moments in = Moments.of(0.7, 0.5);
        int fanIn = 64;
        double s = 2.0, sigma = Math.sqrt(WeightVariance.forTarget(s, fanIn, in));
        assertEquals(s / (fanIn * (0.5 + 0.49)), sigma * sigma, 1e-15);
        double[] y = new double[N];
        for (int i = 0; i < N; i++) {
            double acc = 0;
            for (int j = 0; j < fanIn; j++) acc += sigma * rng.nextGaussian() * gauss(in);
            y[i] = acc;
        }
        SampleStats.assertMatches("dense with AutoInit weights", WeightVariance.output(s), y);
        var e = assertThrows(IllegalArgumentException.class, () -> WeightVariance.forTarget(1, 10, new Moments(0, 0)));
        assertEquals("weight variance: the layer input has second moment 0.0 (a constant zero signal); no weight scale can give it variance 1.0",
                e.getMessage());
    }

    @Test
    void truncatedNormalConstantFromItsFormula() {
        // Var of N(0,1) on [-c, c] = 1 - 2 c phi(c) / (2 Phi(c) - 1), here with commons-math's normal law.
        var n01 = new org.apache.commons.math3.distribution.NormalDistribution();
        double c = 2;
        double std = Math.sqrt(1 - 2 * c * n01.density(c) / (2 * n01.cumulativeProbability(c) - 1));
        assertEquals(std, WeightVariance.TRUNCATED_NORMAL_STD, 1e-15);
        assertEquals(std, WeightVariance.truncatedNormalStd(2), 1e-15);
        // ... and by direct integration of z^2 phi over [-2, 2].
        double mass = Simpson.integrate(n01::density, -2, 2, 20_000);
        double second = Simpson.integrate(z -> z * z * n01.density(z), -2, 2, 20_000);
        assertEquals(WeightVariance.TRUNCATED_NORMAL_STD, Math.sqrt(second / mass), 1e-13);
        // Rejection sampling with the parameter sigma_p = sigma / 0.8796 gives std sigma.
        double sigma = 0.3, sp = WeightVariance.truncatedNormalParameter(sigma);
        double[] w = new double[N];
        for (int i = 0; i < N; i++) {
            double z;
            do z = rng.nextGaussian(); while (Math.abs(z) > 2);
            w[i] = sp * z;
        }
        SampleStats.assertMatches("truncated normal", Moments.of(0, sigma * sigma), w);
        double b = WeightVariance.uniformBound(sigma);
        for (int i = 0; i < N; i++) w[i] = (2 * rng.nextDouble() - 1) * b;
        SampleStats.assertMatches("uniform", Moments.of(0, sigma * sigma), w);
    }
}
