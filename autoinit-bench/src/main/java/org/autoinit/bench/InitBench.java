package org.autoinit.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.init.baselines.InitMethod;
import org.autoinit.init.baselines.InitSchemes;
import org.autoinit.nn.Model;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Time to (re)initialize every parameter of each workload's model, per scheme, as the peer's {@code init}
 * workload: warm-up, then median and min seconds per full initialization ({@link TimedLoop} with a fifth
 * of the target time per model and scheme, at least the minimum step count (5) and at most 2000 runs). LSUV
 * gets the workload's fixed batch as its data. Records are named
 * {@code init/<workload>/<scheme>}.
 */
public final class InitBench {
    /**
     * The schemes timed, by {@link InitSchemes} name: AutoInit (default: statistics of the drawn weights), AutoInit as
     * in the paper ("autoinit-expected": expected weight statistics), He normal (the peer's "kaiming_normal"), Glorot
     * uniform, LSUV (on the fixed batch), PyTorch's default (the peer's "default").
     */
    public static final List<String> SCHEMES =
            List.of("autoinit", "autoinit-expected", "he-normal", "glorot-uniform", "lsuv", "pytorch");

    private InitBench() {}

    /** One record per (workload model, scheme), for the models of {@code workloads}. */
    public static List<Map<String, Object>> run(List<Workload> workloads, int threads, TrainingBench.Settings s) {
        Parallel.setThreads(threads);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Workload w : workloads) {
            Model model = Zoo.build(w.zooName(), ZooOptions.defaults());
            long params = model.parameterCount(false);
            Tensor sample = w.fixedInputs();
            for (String name : SCHEMES) {
                InitMethod scheme = InitSchemes.byName(name);
                long[] seed = {0};
                TimedLoop.Result r = TimedLoop.run(() -> {
                    long t0 = System.nanoTime();
                    scheme.initialize(model, seed[0]++, sample);
                    return new double[] {(System.nanoTime() - t0) / 1e9};
                }, s.targetSeconds() / 5, s.warmup(), Math.min(1.0, s.warmupSeconds()), s.minSteps(), 2000); // the peer's 1 s: inits repeat cheaply
                Map<String, Object> rec = new LinkedHashMap<>();
                rec.put("workload", "init/" + w.id() + "/" + name);
                rec.put("threads", threads);
                rec.put("batch", null);
                rec.put("params", params);
                rec.put("init_median_s", TrainingBench.round(r.median(0), 7));
                rec.put("init_min_s", TrainingBench.round(r.min(0), 7));
                rec.put("params_per_s", Math.round(params / r.median(0)));
                rec.put("peak_rss_mib", TrainingBench.round(ProcessStats.peakRssMib(), 1));
                rec.put("warmup_steps", r.warmupSteps());
                rec.put("timed_steps", r.timedSteps());
                out.add(rec);
            }
        }
        return out;
    }
}
