package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;

import org.autoinit.init.AutoInit;
import org.autoinit.init.InitReport;
import org.autoinit.init.WeightDistribution;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Conv1d;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.GlobalMaxPool;
import org.autoinit.nn.layers.MultiHeadAttention;
import org.autoinit.nn.layers.PatchEmbedding;
import org.autoinit.nn.layers.TransformerEncoderBlock;
import org.autoinit.nn.layers.WeightedSum;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

/**
 * Rules on ONE realized layer: for the weights a layer actually has, the rule's prediction over inputs is exact
 * (the per-channel constants {@code mu sum_i w_ij + b_j} and variances {@code v sum_i w_ij^2} are known), so
 * predicted mean and variance must match the real layer's forward pass within 4 standard errors; and after
 * AutoInit with exactOutputVariance (the default) a single draw's output has second moment s, not only on
 * average over draws.
 */
class RealizedRulesTest {
    private static final Moments IN = Moments.of(0.8, 0.6);

    private static void randomize(Parameter p, double mean, double std, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < p.numel(); i++) {
            p.value().setFlat(i, mean + std * r.nextGaussian());
        }
    }

    /** Gives every parameter of {@code m} values with a non-zero mean (so per-channel constants matter), then checks predict() at 4 SE. */
    private static void assertPredictionExactForActualWeights(String what, Layer layer, int[] shape, int reps, int batch) {
        Model m = RuleTesting.single(layer, shape);
        long seed = 1;
        for (Parameter p : m.namedParameters().values()) {
            randomize(p, 0.05, 0.3 / Math.sqrt(p.fans() == null ? 1 : p.fans().fanIn()), seed++);
        }
        MonteCarlo.assertExact(what, RuleTesting.predicted(m, IN), RuleTesting.measure(m, reps, batch, 17, IN));
    }

    @Test
    void weightedLayersPredictTheirActualWeightsExactly() {
        assertPredictionExactForActualWeights("dense", new Dense(64), new int[] {50}, 10, 200);
        assertPredictionExactForActualWeights("dense on tokens", new Dense(32), new int[] {8, 20}, 10, 50);
        assertPredictionExactForActualWeights("conv 3x3 valid", Conv2d.builder(8, 3).build(), new int[] {3, 10, 10}, 10, 40);
        assertPredictionExactForActualWeights("conv 3x3 stride 2 dilation 2", Conv2d.builder(8, 3).stride(2).dilation(2).build(), new int[] {4, 13, 13},
                10, 150);
        assertPredictionExactForActualWeights("conv grouped 1x1", Conv2d.builder(8, 1).groups(4).build(), new int[] {8, 6, 6}, 10, 60);
        assertPredictionExactForActualWeights("conv depthwise", Conv2d.builder(6, 3).depthwise().build(), new int[] {6, 8, 8}, 10, 60);
        assertPredictionExactForActualWeights("conv1d grouped", Conv1d.builder(8, 5).groups(2).build(), new int[] {4, 30}, 10, 60);
        assertPredictionExactForActualWeights("patch embedding", new PatchEmbedding(4, 16), new int[] {2, 8, 8}, 10, 200);
    }

    @Test
    void paddedConvolutionsPredictTheirActualWeights() {
        // Zero padding: border outputs see fewer inputs; the rule averages the taps' real-input fractions over positions.
        assertPredictionExactForActualWeights("conv 3x3 pad 1", Conv2d.builder(8, 3).padding(1).build(), new int[] {3, 10, 10}, 10, 40);
        assertPredictionExactForActualWeights("conv1d same stride 2", Conv1d.builder(8, 5).stride(2).padding("same").build(), new int[] {4, 33}, 10, 120);
    }

    /**
     * After AutoInit (exact output variance) one draw's output over inputs N(0.8, 0.6): predicted variance s (pooled over
     * units; the units' fixed offsets give a small mean) and measured within 4 SE.
     */
    private static void assertSingleDrawIsS(String what, Layer layer, int[] shape, int reps, int batch) {
        Model m = RuleTesting.single(layer, shape);
        InitReport r = AutoInit.builder().signalVariance(2.0).inputMoments(IN).seed(5).build().initialize(m);
        Moments out = r.entry(m.outputs().get(0).name()).output();
        assertEquals(2.0, out.variance(), 1e-9, what + ": reported output variance");
        MonteCarlo.Estimate e = RuleTesting.measure(m, reps, batch, 23, IN);
        MonteCarlo.assertExact(what + ", one draw", out, e);
    }

    @Test
    void exactOutputVarianceHoldsForOneDraw() {
        assertSingleDrawIsS("dense", new Dense(16), new int[] {50}, 10, 1000);
        assertSingleDrawIsS("conv 3x3 pad 1", Conv2d.builder(8, 3).padding(1).build(), new int[] {3, 10, 10}, 10, 200);
        assertSingleDrawIsS("conv depthwise", Conv2d.builder(4, 3).depthwise().build(), new int[] {4, 8, 8}, 10, 200);
        assertSingleDrawIsS("conv1d grouped", Conv1d.builder(8, 5).groups(2).build(), new int[] {4, 30}, 10, 200);
    }

    @Test
    void weightedSumWithCoefficientsChosenByAutoInit() {
        Moments a = Moments.of(1.0, 0.5), b = Moments.of(-0.3, 3.0);
        WeightedSum ws = new WeightedSum("ws");
        Model m = RuleTesting.single(ws, new int[] {250}, new int[] {250});
        InitReport r = AutoInit.builder().signalVariance(1.5).inputMoments(a, b).build().initialize(m);
        double[] c = ws.coefficients();
        // a_i = sqrt(s / (N v_i)), written out here (the layer stores them in float32).
        assertEquals(Math.sqrt(1.5 / (2 * 0.5)), c[0], 1e-7);
        assertEquals(Math.sqrt(1.5 / (2 * 3.0)), c[1], 1e-7);
        Moments out = r.entry("ws").output();
        assertEquals(1.5, out.variance(), 1e-12);
        MonteCarlo.assertExact("weighted sum, AutoInit coefficients", out, RuleTesting.measure(m, 8, 100, 31, a, b));
    }

    @Test
    void globalMaxPoolOfAGaussianMap() {
        Moments in = Moments.of(0.3, 1.7);
        Node x = Model.input("in", 8, 7, 7);
        Model m = Model.of(List.of(x), List.of(new GlobalMaxPool().apply(x)));
        MonteCarlo.assertExact("global max of 49 Gaussians", RuleTesting.predicted(m, in), RuleTesting.measure(m, 10, 2000, 37, in));
        Node y = Model.input("in", 8, 5, 5);
        Model s = Model.of(List.of(y), List.of(new GlobalMaxPool().apply(Activation.of(ActivationKind.SIGMOID).apply(y))));
        MonteCarlo.assertExact("global max of 25 sigmoids", RuleTesting.predicted(s, in), RuleTesting.measure(s, 10, 2000, 38, in));
    }

    @Test
    void attentionPredictionOfOneDraw() {
        for (boolean causal : new boolean[] {false, true}) {
            MultiHeadAttention mha = MultiHeadAttention.builder(4).causal(causal).build();
            Model m = RuleTesting.single(mha, new int[] {32, 64});
            // One weight draw, the one the 2% was stated for (over seeds 3-14, 11 of 12 pass), drawn as it was drawn.
            InitReport r = AutoInit.builder().seed(3).distribution(WeightDistribution.TRUNCATED_NORMAL_REJECTION).build().initialize(m);
            // Approximation (stated in AttentionRule): the softmax mixing is exact only for isotropic Gaussian tokens.
            MonteCarlo.assertRelative("attention" + (causal ? ", causal" : ""), r.entry(m.outputs().get(0).name()).output(),
                    RuleTesting.measure(m, 24, 50, 41, Moments.standard()), 0.02);
        }
    }

    @Test
    void transformerEncoderBlock() {
        for (boolean pre : new boolean[] {true, false}) {
            TransformerEncoderBlock block = TransformerEncoderBlock.builder(4, 128).preNorm(pre).activation(ActivationKind.GELU).build();
            Model m = RuleTesting.single(block, new int[] {32, 64});
            InitReport r = AutoInit.builder().seed(4).build().initialize(m);
            // Approximation: attention's softmax mixing (see AttentionRule); the rest of the block is exact per channel.
            MonteCarlo.assertRelative("transformer block, " + (pre ? "pre-norm" : "post-norm"), r.entry(m.outputs().get(0).name()).output(),
                    RuleTesting.measure(m, 16, 50, 43, Moments.standard()), 0.02);
        }
    }
}
