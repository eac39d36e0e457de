package org.autoinit.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.autoinit.init.moments.Moments;
import org.autoinit.init.rules.MomentRule;
import org.autoinit.init.rules.Signal;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.Sequential;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Add;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.WeightedSum;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AutoInitTest {

    /** A user layer family: an abstract base and two concrete scalings. */
    abstract static class Scale extends Layer {
        final double factor;

        Scale(String name, double factor) {
            super(name);
            this.factor = factor;
        }

        @Override
        protected int[] doBuild(int[][] in) {
            return in[0].clone();
        }

        @Override
        protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
            return inputs[0].mul(factor);
        }
    }

    static final class Double2 extends Scale {
        Double2(String name) {
            super(name, 2);
        }
    }

    static final class Triple extends Scale {
        Triple(String name) {
            super(name, 3);
        }
    }

    private static Model withUserLayer(Layer user) {
        return Sequential.of(new int[] {8}, new Dense("fc1", 16), user, new Dense("fc2", 4));
    }

    @Test
    void unknownLayerFailsNamingTheClassAndHowToRegisterARule() {
        Model m = withUserLayer(new Triple("t"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AutoInit.defaults().initialize(m));
        assertTrue(e.getMessage().contains(Triple.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("AutoInit.builder().rule(Triple.class"), e.getMessage());
        assertTrue(e.getMessage().contains("PASS_THROUGH"), e.getMessage());
    }

    @Test
    void passThroughWarnsAndTreatsTheLayerAsIdentity() {
        List<LogRecord> logged = new ArrayList<>();
        Logger jul = Logger.getLogger(AutoInit.class.getName());
        Handler h = new Handler() {
            @Override public void publish(LogRecord r) { logged.add(r); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        jul.addHandler(h);
        try {
            Model m = withUserLayer(new Triple("t"));
            InitReport r = AutoInit.builder().unknownLayers(UnknownLayerPolicy.PASS_THROUGH).build().initialize(m);
            assertEquals("pass-through", r.entry("t").rule());
            assertEquals(r.entry("fc1").output().secondMoment(), r.entry("t").output().secondMoment(), 1e-12);
        } finally {
            jul.removeHandler(h);
        }
        assertTrue(logged.stream().anyMatch(l -> l.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()
                && l.getMessage().contains("no moment rule")), "a warning is logged through System.Logger");
    }

    @Test
    void userRulesDispatchOnTheMostSpecificRegisteredSuperclass() {
        MomentRule<Scale> general = (layer, in, ctx) -> Signal.of(new Moments(0, in.get(0).secondMoment() * layer.factor * layer.factor));
        MomentRule<Triple> special = (layer, in, ctx) -> Signal.of(new Moments(0, 123.0));
        AutoInit a = AutoInit.builder().rule(Scale.class, "scale", general).rule(Triple.class, "triple", special).build();
        InitReport r1 = a.initialize(withUserLayer(new Double2("d")));
        assertEquals("scale", r1.entry("d").rule(), "a subclass without its own rule uses its superclass's");
        assertEquals(4.0, r1.entry("d").output().secondMoment(), 1e-9);
        InitReport r2 = a.initialize(withUserLayer(new Triple("t3")));
        assertEquals("triple", r2.entry("t3").rule(), "the most specific registration wins");
        assertEquals(123.0, r2.entry("t3").output().secondMoment(), 1e-9);
        // The next weighted layer is scaled for what the user rule predicted.
        assertEquals(Math.sqrt(1.0 / (16 * 123.0)), r2.entry("fc2").weightStd(), 0.1 * Math.sqrt(1.0 / (16 * 123.0)));
        // A rule for Layer itself is a catch-all.
        InitReport r3 = AutoInit.builder().rule(Layer.class, "any", MomentRule.ofMoments(x -> x)).build().initialize(withUserLayer(new Triple("t4")));
        assertEquals("any", r3.entry("t4").rule());
        assertEquals("weighted", r3.entry("fc1").rule(), "built-in rules stay more specific than a catch-all");
    }

    @Test
    void sameSeedSameWeightsAndSiblingsDiffer() {
        Model a = Sequential.of(new int[] {8}, new Dense("a1", 16), new Dense("a2", 16));
        Model b = Sequential.of(new int[] {8}, new Dense("b1", 16), new Dense("b2", 16));
        AutoInit.builder().seed(5).build().initialize(a);
        AutoInit.builder().seed(5).build().initialize(b);
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(a.layers().get(i).parameters().get(0).value().toFloatArray(), b.layers().get(i).parameters().get(0).value().toFloatArray(),
                    "layer " + i + " with the same seed");
        }
        // Siblings of the same shape draw from distinct streams.
        Node in = Model.input("x", 8);
        Dense s1 = new Dense("s1", 8), s2 = new Dense("s2", 8);
        Model sib = Model.of(List.of(in), List.of(new Add("sum").apply(s1.apply(in), s2.apply(in))));
        AutoInit.builder().seed(5).build().initialize(sib);
        assertFalse(java.util.Arrays.equals(s1.weight().value().toFloatArray(), s2.weight().value().toFloatArray()));
        AutoInit.builder().seed(6).build().initialize(b);
        assertFalse(java.util.Arrays.equals(a.layers().get(0).parameters().get(0).value().toFloatArray(),
                b.layers().get(0).parameters().get(0).value().toFloatArray()), "another seed, other weights");
    }

    @Test
    void weightVarianceUsesTheSecondMomentNotTheVariance() {
        Model m = Sequential.of(new int[] {100}, new Dense("fc", 50));
        InitReport r = AutoInit.builder().inputMoments(Moments.of(2.0, 1.0)).exactOutputVariance(false).build().initialize(m);
        // E[x^2] = 5: sigma^2 = 1 / (100 * 5).
        assertEquals(Math.sqrt(1.0 / 500), r.entry("fc").weightStd(), 1e-12);
        assertEquals(100, r.entry("fc").weights().get(0).fanIn(), 1e-12);
        assertEquals("truncated-normal", r.entry("fc").distribution());
    }

    /**
     * A 10-unit layer on a positive-mean input: each unit gets a fixed offset {@code 2 sum_i w_ji}, and their average
     * is not 0 for one draw. The exact rescale aims the pooled variance (what a forward pass measures) at s, not the
     * second moment; measured on 40,000 samples of the real layer (the expected pooled variance is exact for the
     * drawn weights and independent inputs; 3% covers the sampling error of 10 units' variances).
     */
    @Test
    void exactOutputVarianceAimsThePooledVarianceOfAFewUnitLayer() {
        for (long seed = 0; seed < 4; seed++) {
            Model m = Sequential.of(new int[] {100}, new Dense("fc", 10));
            InitReport r = AutoInit.builder().inputMoments(Moments.of(2.0, 1.0)).seed(seed).build().initialize(m);
            Moments out = r.entry("fc").output();
            assertEquals(1.0, out.variance(), 1e-9, "predicted variance, seed " + seed);
            int n = 40_000;
            Tensor x = Tensor.randn(new java.util.SplittableRandom(seed + 100), org.autoinit.tensor.DType.FLOAT32, n, 100).add(2.0);
            float[] y = m.forward(ForwardContext.eval(), x).toFloatArray();
            double sum = 0, sq = 0;
            for (float v : y) {
                sum += v;
                sq += (double) v * v;
            }
            double mean = sum / y.length, measured = sq / y.length - mean * mean;
            assertEquals(out.mean(), mean, 0.02, "measured mean, seed " + seed);
            assertEquals(1.0, measured, 0.03, "measured pooled variance, seed " + seed + " (output mean " + mean + ")");
        }
    }

    @Test
    void everyDistributionHasTheRequestedVariance() {
        for (WeightDistribution d : WeightDistribution.values()) {
            for (int[] shape : new int[][] {{400, 300}, {100, 600}}) {
                Tensor t = Tensor.zeros(org.autoinit.tensor.DType.FLOAT64, shape);
                d.fill(t, 0.01, new java.util.SplittableRandom(3));
                double s = 0, q = 0;
                for (int i = 0; i < t.numel(); i++) {
                    s += t.getFlat(i);
                    q += t.getFlat(i) * t.getFlat(i);
                }
                double n = t.numel();
                assertEquals(0, s / n, 4 * Math.sqrt(0.01 / n) + 1e-12, d + " mean");
                // Orthogonal: entries have mean square exactly gain^2 / max(rows, cols) = 0.01 (sum of squares = min(r,c) gain^2).
                assertEquals(0.01, q / n, d == WeightDistribution.ORTHOGONAL ? 1e-9 : 0.01 * 0.02, d + " variance for " + java.util.Arrays.toString(shape));
            }
        }
    }

    @Test
    void frozenWeightsAreLeftAloneAndPredictedFromTheirValues() {
        Dense fc1 = new Dense("fc1", 32), fc2 = new Dense("fc2", 8);
        Model m = Sequential.of(new int[] {16}, fc1, new Activation(org.autoinit.tensor.ops.ActivationKind.RELU), fc2);
        fc1.weight().value().fill_(0.05);
        fc1.weight().setTrainable(false);
        float[] before = fc1.weight().value().toFloatArray();
        InitReport r = AutoInit.defaults().initialize(m);
        assertArrayEquals(before, fc1.weight().value().toFloatArray(), "a frozen weight is not redrawn");
        assertTrue(r.entry("fc1").weights().get(0).frozen());
        // All-equal weights 0.05 on iid N(0,1): every unit is 0.05 * sum of 16 inputs, variance 16 * 0.0025 = 0.04.
        assertEquals(0.04, r.entry("fc1").output().variance(), 1e-7); // float32 weights
        assertEquals(1.0, r.entry("fc2").output().variance(), 1e-9, "the next layer still lands on s");
    }

    @Test
    void weightedSumCoefficientsAreSetOrKept() {
        Node in = Model.input("x", 8);
        Node a = new Dense("a", 8).apply(in);
        WeightedSum ws = new WeightedSum("ws", 1.0, 1.0);
        Model m = Model.of(List.of(in), List.of(ws.apply(in, a)));
        InitReport r = AutoInit.builder().inputMoments(Moments.of(0, 4.0)).build().initialize(m);
        // By hand from the drawn weight (bias zeroed): x has independent features of variance 4, so the branch x W has
        // pooled variance v_1 = 4 sum W_ij^2 / 8 and Cov(x_j, (x W)_j) = 4 W_jj. Independent-input coefficients
        // r_0 = sqrt(1 / (2 * 4)), r_1 = sqrt(1 / (2 v_1)) give each input s/2 = 1/2, and for this draw the pooled variance
        // V = 1 + 2 r_0 r_1 * 4 tr(W) / 8; AutoInit divides both by sqrt(V), so the stream has variance exactly 1.
        Tensor w = ((Dense) m.layer("a")).weight().value();
        double tr = 0, sq = 0;
        for (int j = 0; j < 8; j++) {
            tr += w.getFlat(j * 8 + j);
        }
        for (int i = 0; i < 64; i++) {
            sq += w.getFlat(i) * w.getFlat(i);
        }
        double v1 = 4 * sq / 8, r0 = Math.sqrt(1.0 / (2 * 4.0)), r1 = Math.sqrt(1 / (2 * v1));
        double vr = 1 + 2 * r0 * r1 * 4 * tr / 8;
        assertTrue(Math.abs(vr - 1) > 0.01, "the draw correlates the branch measurably: " + vr);
        assertEquals(r0 / Math.sqrt(vr), ws.coefficients()[0], 1e-6); // a float32 buffer
        assertEquals(r1 / Math.sqrt(vr), ws.coefficients()[1], 1e-6);
        assertEquals(1.0, r.entry("ws").output().variance(), 1e-6, "the stream's variance, cross-covariance included");
        ws.setCoefficients(0.3, 0.4);
        AutoInit.builder().keepWeightedSumCoefficients(true).build().initialize(m);
        assertArrayEquals(new double[] {0.3, 0.4}, ws.coefficients(), 1e-7);
    }

    @Test
    void inputMomentsEstimatedFromASample() {
        Model m = Sequential.of(new int[] {20}, new Dense("fc", 10));
        Tensor sample = Tensor.randn(new java.util.SplittableRandom(1), org.autoinit.tensor.DType.FLOAT32, 5000, 20).mul(2.0).add(1.0);
        InitReport r = AutoInit.builder().inputSample(sample).exactOutputVariance(false).build().initialize(m);
        assertEquals(1.0, r.entry("x".equals(m.inputs().get(0).name()) ? "x" : m.inputs().get(0).name()).output().mean(), 0.05);
        assertEquals(5.0, r.entry(m.inputs().get(0).name()).output().secondMoment(), 0.15);
        assertEquals(Math.sqrt(1.0 / (20 * 5.0)), r.entry("fc").weightStd(), 0.02 * Math.sqrt(1.0 / 100));
    }

    @Test
    void predictDoesNotChangeTheModelAndTheReportRenders() {
        Model m = Sequential.of(new int[] {8}, new Dense("p1", 16), new Activation(org.autoinit.tensor.ops.ActivationKind.TANH), new Dense("p2", 4));
        float[] w = m.layers().get(0).parameters().get(0).value().toFloatArray();
        InitReport r = AutoInit.defaults().predict(m);
        assertArrayEquals(w, m.layers().get(0).parameters().get(0).value().toFloatArray());
        String text = AutoInit.defaults().initialize(m).toString();
        for (String name : new String[] {"p1", "p2", "weighted", "activation", "truncated-normal"}) {
            assertTrue(text.contains(name), name + " missing from\n" + text);
        }
        assertNotEquals(w[0], m.layers().get(0).parameters().get(0).value().toFloatArray()[0]);
    }
}
