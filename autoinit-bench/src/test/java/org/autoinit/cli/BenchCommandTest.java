package org.autoinit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.autoinit.bench.TrainingBench;
import org.autoinit.nn.io.Json;
import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bench command's output shape, with a tiny target time and no warm-up seconds (no timing is asserted). */
class BenchCommandTest {
    private static final TrainingBench.Settings FAST = new TrainingBench.Settings(0.001, 1, 0.0, 2, 3);
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> jsonLines(String out) {
        List<Map<String, Object>> recs = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            recs.add((Map<String, Object>) Json.parse(line));
        }
        return recs;
    }

    @Test
    void trainingWorkloadPrintsOneJsonLineWithThePeerKeys() {
        var r = CliTestSupport.capture(() -> new BenchCommand(FAST).run(new String[] {"--workload", "mlp", "--threads", "1,2", "--json"}));
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> recs = jsonLines(r.out());
        assertEquals(2, recs.size(), r.out());
        for (int i = 0; i < 2; i++) {
            Map<String, Object> rec = recs.get(i);
            assertEquals(List.of("workload", "threads", "batch", "params", "step_median_s", "step_min_s", "samples_per_s",
                    "fwd_median_s", "bwd_median_s", "opt_median_s", "peak_rss_mib", "final_loss", "warmup_steps", "timed_steps",
                    "cpu_per_wall", "runq_wait_frac", "cpu_per_step_s", "gc_per_step", "gc_s_per_step", "loadavg_at_start"),
                    List.copyOf(rec.keySet()));
            assertEquals("mlp", rec.get("workload"));
            assertEquals((long) (i + 1), rec.get("threads"));
            assertEquals(128L, rec.get("batch"));
            assertEquals(669_706L, rec.get("params"));
            double median = ((Number) rec.get("step_median_s")).doubleValue(), min = ((Number) rec.get("step_min_s")).doubleValue();
            assertTrue(min > 0 && min <= median, "min " + min + " median " + median);
            assertEquals(128 / median, ((Number) rec.get("samples_per_s")).doubleValue(), 0.05 + 1e-3 * 128 / median);
            double phases = 0;
            for (String k : new String[] {"fwd_median_s", "bwd_median_s", "opt_median_s"}) {
                double v = ((Number) rec.get(k)).doubleValue();
                assertTrue(v > 0, k + " " + v);
                phases += v;
            }
            assertTrue(phases < 3 * median + 1e-6, "phase medians " + phases + " vs step median " + median);
            long steps = (Long) rec.get("timed_steps");
            assertTrue(steps >= 2 && steps <= 3, "timed steps " + steps);
            assertTrue(((Number) rec.get("peak_rss_mib")).doubleValue() > 0);
            // Process CPU per step: positive (the step's own thread at least), GC counters never negative.
            assertTrue(((Number) rec.get("cpu_per_step_s")).doubleValue() > 0, rec.toString());
            assertTrue(((Number) rec.get("gc_per_step")).doubleValue() >= 0, rec.toString());
            assertTrue(((Number) rec.get("gc_s_per_step")).doubleValue() >= 0, rec.toString());
            double loss = ((Number) rec.get("final_loss")).doubleValue();
            assertTrue(loss > 0 && loss < Math.log(10) + 1, "loss after a few SGD steps on one batch: " + loss);
        }
    }

    @Test
    void initWorkloadPrintsOneLinePerModelAndScheme() {
        var r = CliTestSupport.capture(() -> new BenchCommand(FAST).run(new String[] {"--workload", "init", "--init-models", "mlp,cnn", "--json"}));
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> recs = jsonLines(r.out());
        List<String> names = recs.stream().map(m -> (String) m.get("workload")).toList();
        assertEquals(12, recs.size(), names.toString());
        for (String model : new String[] {"mlp", "cnn"}) {
            for (String scheme : new String[] {"autoinit", "autoinit-expected", "he-normal", "glorot-uniform", "lsuv", "pytorch"}) {
                assertTrue(names.contains("init/" + model + "/" + scheme), names.toString());
            }
        }
        for (Map<String, Object> rec : recs) {
            double med = ((Number) rec.get("init_median_s")).doubleValue(), min = ((Number) rec.get("init_min_s")).doubleValue();
            assertTrue(min > 0 && min <= med, rec.toString());
            assertTrue(rec.containsKey("batch") && rec.get("batch") == null, rec.toString());
        }
    }

    @Test
    void badArgumentsAreUsageErrors() {
        var r = CliTestSupport.capture(() -> Main.run("bench", "--workload", "lenet"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown workload 'lenet'; known: mlp, cnn, allcnnc, resnet, transformer, init"), r.err());
        r = CliTestSupport.capture(() -> Main.run("bench", "--workload", "mlp", "--threads", "0"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--threads expects positive integers separated by commas, got '0'"), r.err());
        r = CliTestSupport.capture(() -> Main.run("bench"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("missing required option --workload"), r.err());
    }
}
