package org.autoinit.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.Flatten;
import org.autoinit.nn.layers.MaxPool2d;
import org.autoinit.nn.layers.WeightedSum;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.junit.jupiter.api.Test;

/** {@link AutoInit#analyze}: AutoInit's decisions without touching the model. */
class AnalyzeTest {

    private static Map<String, double[]> snapshot(Model m) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            out.put(e.getKey(), e.getValue().value().toDoubleArray());
        }
        return out;
    }

    private static Model convNet() {
        Node in = Model.input("x", 3, 16, 16);
        Node h = Conv2d.builder(8, 3).padding(1).name("c1").build().apply(in);
        h = new MaxPool2d(2).apply(Activation.relu().apply(h));
        Node a = new Dense("d1", 32).apply(new Flatten().apply(h));
        Node b = new Dense("d2", 32).apply(Activation.relu().apply(a));
        Node y = new WeightedSum("ws", 1.0, 1.0).apply(a, b);
        return Model.of(List.of(in), List.of(new Dense("out", 10).apply(y)));
    }

    @Test
    void analysisLeavesEveryParameterAndCoefficientAlone() {
        Model m = convNet();
        Map<String, double[]> before = snapshot(m);
        InitReport r = AutoInit.builder().seed(1).build().analyze(m);
        Map<String, double[]> after = snapshot(m);
        assertEquals(before.keySet(), after.keySet());
        for (String k : before.keySet()) {
            assertArrayEquals(before.get(k), after.get(k), 0.0, k + " changed");
        }
        assertArrayEquals(new double[] {1.0, 1.0}, coefficients(m), 0.0, "WeightedSum coefficients");
        assertEquals(4, r.weightedEntries().size());
        for (InitReport.Entry e : r.weightedEntries()) {
            assertEquals(0.0, e.output().mean(), 0.0, e.node());
            assertEquals(1.0, e.output().variance(), 1e-12, e.node());
        }
    }

    private static double[] coefficients(Model m) {
        for (Node n : m.nodes()) {
            if (n.layer() instanceof WeightedSum ws) {
                return ws.coefficients();
            }
        }
        throw new AssertionError("no WeightedSum");
    }

    @Test
    void analysisChoosesTheStdsInitializeDraws() {
        // Without the per-draw rescale, initialize draws with the analysed variance s / (fan_in E[x^2]); the first
        // layer sees the given input moments in both, so its std agrees exactly; later layers see the realized
        // draw's statistics in initialize and the expectation over draws in analyze.
        Model m = convNet();
        InitReport a = AutoInit.builder().seed(1).build().analyze(m);
        InitReport i = AutoInit.builder().seed(1).exactOutputVariance(false).build().initialize(m);
        assertEquals(i.entry("c1").weightStd(), a.entry("c1").weightStd(), 1e-12);
        for (String layer : new String[] {"d1", "d2", "out"}) {
            double ratio = a.entry(layer).weightStd() / i.entry(layer).weightStd();
            assertTrue(Math.abs(ratio - 1) < 0.1, layer + ": analysed std / drawn std = " + ratio);
        }
    }

    @Test
    void resnet50AnalysisCoversEveryWeightedLayer() {
        Model m = Zoo.build("resnet50", ZooOptions.defaults());
        InitReport r = AutoInit.defaults().analyze(m);
        long weighted = m.namedParameters().values().stream().filter(p -> p.fans() != null && p.value().rank() > 1).count();
        assertEquals(weighted, r.weightedEntries().size());
    }
}
