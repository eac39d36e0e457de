package org.autoinit.init.rules;

import java.util.SplittableRandom;

import org.autoinit.init.AutoInit;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.GroupNorm;
import org.autoinit.nn.layers.LayerNorm;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;
import org.junit.jupiter.api.Test;

/** Normalization rules read the ACTUAL gamma and beta; Monte Carlo on the real layers. */
class NormRulesTest {

    private static void randomize(Parameter p, double mean, double std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < p.numel(); i++) {
            p.value().setFlat(i, mean + std * r.nextGaussian());
        }
    }

    @Test
    void batchNormWithActualAffineAndLargeEps() {
        BatchNorm bn = BatchNorm.builder().eps(0.5).build();
        Model m = RuleTesting.single(bn, new int[] {6, 50});
        randomize(bn.gamma(), 1.2, 0.4, 1);
        randomize(bn.beta(), 0.3, 0.5, 2);
        Moments in = Moments.of(-0.5, 1.5);
        MonteCarlo.assertExact("batch norm, pooled", RuleTesting.predicted(m, in), RuleTesting.measure(m, 10, 400, 3, in));
    }

    @Test
    void batchNormPerChannelWithDifferentChannelMeans() {
        BatchNorm bn = BatchNorm.builder().eps(0.3).build();
        Model m = RuleTesting.single(bn, new int[] {4, 8, 8});
        randomize(bn.gamma(), 1.0, 0.5, 4);
        randomize(bn.beta(), 0.0, 1.0, 5);
        double[] mu = {-1, 0, 0.5, 2}, sd = {0.5, 1, 2, 0.3};
        Moments predicted = AutoInit.builder().inputSample(channels(new SplittableRandom(6), 400, mu, sd)).build().predict(m)
                .entry(m.outputs().get(0).name()).output();
        MonteCarlo.Estimate e = MonteCarlo.replicate(10, r -> {
            try (GradMode.Scope g = GradMode.noGrad()) {
                return m.forward(ForwardContext.training(new SplittableRandom(r)), channels(new SplittableRandom(100 + r), 400, mu, sd));
            }
        });
        // The channel statistics come from a sample (400 x 64 entries per channel), so allow 1% beyond 4 SE.
        MonteCarlo.assertRelative("batch norm, per channel", predicted, e, 0.01);
    }

    /** {@code [n, C, 8, 8]} with channel c ~ N(mu[c], sd[c]^2). */
    static Tensor channels(SplittableRandom rng, int n, double[] mu, double[] sd) {
        Tensor t = Tensor.zeros(DType.FLOAT32, n, mu.length, 8, 8);
        float[] a = t.floatData();
        for (int i = 0; i < a.length; i++) {
            int c = (i / 64) % mu.length;
            a[i] = (float) (mu[c] + sd[c] * rng.nextGaussian());
        }
        return t;
    }

    @Test
    void layerNormOverTokensPooledAndPerFeature() {
        LayerNorm ln = new LayerNorm("ln", 1, 0.1);
        Model tokens = RuleTesting.single(ln, new int[] {10, 32});
        randomize(ln.gamma(), 1.0, 0.3, 7);
        randomize(ln.beta(), 0.2, 0.4, 8);
        Moments in = Moments.of(0.7, 2.0);
        // Approximation: the per-sample variance s^2 is taken at its expectation in s^2/(s^2 + eps) (Jensen gap ~0.5% here).
        MonteCarlo.assertRelative("layer norm, tokens", RuleTesting.predicted(tokens, in), RuleTesting.measure(tokens, 10, 400, 9, in), 0.02);
        LayerNorm ln2 = new LayerNorm("ln2", 1, 0.1);
        Model feats = RuleTesting.single(ln2, new int[] {32});
        randomize(ln2.gamma(), 1.0, 0.3, 10);
        randomize(ln2.beta(), 0.2, 0.4, 11);
        MonteCarlo.assertRelative("layer norm, features", RuleTesting.predicted(feats, in), RuleTesting.measure(feats, 10, 4000, 12, in), 0.02);
    }

    @Test
    void groupNormPerChannel() {
        GroupNorm gn = new GroupNorm("gn", 4, 0.2);
        Model m = RuleTesting.single(gn, new int[] {8, 6, 6});
        randomize(gn.gamma(), 1.0, 0.5, 13);
        randomize(gn.beta(), -0.1, 0.3, 14);
        Moments in = Moments.of(0.4, 0.8);
        MonteCarlo.assertRelative("group norm", RuleTesting.predicted(m, in), RuleTesting.measure(m, 10, 400, 15, in), 0.02);
    }
}
