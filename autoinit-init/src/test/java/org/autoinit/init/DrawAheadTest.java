package org.autoinit.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Add;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.Flatten;
import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.Test;

/**
 * Drawing AutoInit's normal weights ahead on another thread gives the same bits as drawing each layer in place; the
 * truncated normal (no drawing ahead: written inside the prediction's pass, split over the threads) gives the same
 * bits for any thread count.
 */
class DrawAheadTest {
    /** 2.1M weights (above {@link DrawAhead#MIN_WEIGHTS}), with a Dense used twice (drawn once, then predicted from its values). */
    private static Model model() {
        Node in = Model.input("x", 1024);
        Dense shared = new Dense("shared", 1024);
        Node h = Activation.relu().apply(new Dense("fc1", 1024).apply(in));
        Node a = shared.apply(h);
        Node b = shared.apply(Activation.relu().apply(a));
        Node out = new Dense("head", 10).apply(new Add("merge").apply(a, b));
        return Model.of(in, out);
    }

    private static Map<String, float[]> weights(Model m) {
        Map<String, float[]> w = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> w.put(k, p.value().floatData().clone()));
        return w;
    }

    /**
     * Convolutions (plain, grouped, 1x1) above {@link DrawAhead#MIN_WEIGHTS}: their draws made ahead are written unit
     * by unit inside the prediction's pass over the weights.
     */
    private static Model convModel() {
        Node in = Model.input("x", 8, 12, 12);
        Node x = Activation.relu().apply(Conv2d.builder(96, 3).padding(1).name("c1").build().apply(in));
        x = Activation.relu().apply(Conv2d.builder(192, 3).padding(1).groups(4).name("grouped").build().apply(x));
        x = Activation.relu().apply(Conv2d.builder(512, 3).padding(1).name("c3").build().apply(x));
        x = Conv2d.builder(128, 1).name("pointwise").build().apply(x);
        return Model.of(in, new Dense("head", 10).apply(new Flatten("flat").apply(x)));
    }

    private static Map<String, float[]> init(AutoInit ai, int threads) {
        return init(ai, threads, DrawAheadTest::model);
    }

    private static Map<String, float[]> init(AutoInit ai, int threads, java.util.function.Supplier<Model> build) {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            Model m = build.get();
            m.namedParameters().values().forEach(p -> p.value().fill_(Double.NaN)); // unwritten entries stay NaN
            ai.initialize(m);
            return weights(m);
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static void assertSameBits(Map<String, float[]> want, Map<String, float[]> got) {
        assertEquals(want.keySet(), got.keySet());
        for (String k : want.keySet()) {
            assertArrayEquals(want.get(k), got.get(k), 0f, k);
        }
    }

    @Test
    void sameBitsAsDrawingInPlace() {
        for (WeightDistribution d : new WeightDistribution[] {WeightDistribution.TRUNCATED_NORMAL, WeightDistribution.NORMAL}) {
            AutoInit ai = AutoInit.builder().seed(5).distribution(d).build();
            Map<String, float[]> inPlace = init(ai, 1); // one thread: no drawing ahead
            long served = DrawAhead.SERVED.get();
            Map<String, float[]> ahead = init(ai, 2);
            int want = d == WeightDistribution.NORMAL ? 3 : 0;
            assertEquals(want, DrawAhead.SERVED.get() - served, d + ": fills served from draws made ahead (fc1, shared, head)");
            assertSameBits(inPlace, ahead);
            assertSameBits(inPlace, init(ai, 3));
        }
    }

    @Test
    void aPlanThatDoesNotMatchFallsBackToTheSameBits() {
        AutoInit ai = AutoInit.builder().seed(9).distribution(WeightDistribution.NORMAL).build();
        Map<String, float[]> inPlace = init(ai, 1);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            Model m = model();
            Propagation dry = new Propagation(ai, true, true);
            dry.run(m, ai.inputSignals(m));
            List<Parameter> plan = new ArrayList<>(dry.plan());
            assertEquals(3, plan.size(), "fc1, shared (once), head");
            java.util.Collections.swap(plan, 1, 2); // the real pass meets 'shared' where the plan says 'head'
            long served = DrawAhead.SERVED.get();
            new Propagation(ai, true).run(m, ai.inputSignals(m), plan);
            assertEquals(1, DrawAhead.SERVED.get() - served, "only fc1 matched the plan");
            assertSameBits(inPlace, weights(m));
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void convolutionsDrawnAheadAreWrittenCompletelyWithTheSameBits() {
        for (WeightDistribution d : new WeightDistribution[] {WeightDistribution.NORMAL, WeightDistribution.TRUNCATED_NORMAL}) {
            AutoInit ai = AutoInit.builder().seed(3).distribution(d).build();
            Map<String, float[]> inPlace = init(ai, 1, DrawAheadTest::convModel);
            long served = DrawAhead.SERVED.get();
            Map<String, float[]> ahead = init(ai, 2, DrawAheadTest::convModel);
            assertEquals(d == WeightDistribution.NORMAL ? 5 : 0, DrawAhead.SERVED.get() - served,
                    d + ": c1, grouped, c3, pointwise, head served from draws made ahead");
            assertSameBits(inPlace, ahead);
            for (Map.Entry<String, float[]> e : ahead.entrySet()) { // init() set every entry to NaN before
                for (float x : e.getValue()) {
                    org.junit.jupiter.api.Assertions.assertTrue(Float.isFinite(x), d + " " + e.getKey() + ": an entry was never written");
                }
            }
        }
    }
}
