package org.autoinit.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.nn.Model;
import org.autoinit.nn.init.InitScheme;
import org.autoinit.nn.init.Initializers;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Time to (re)initialize every parameter of each workload's model, per scheme, as the peer's {@code init}
 * workload: warm-up, then median and min seconds per full initialization ({@link TimedLoop} with a fifth
 * of the target time per model and scheme, at least 5 and at most 2000 runs). Records are named
 * {@code init/<workload>/<scheme>}.
 */
public final class InitBench {
    /** A whole-model initialization by name. */
    record Scheme(String name, Init init) {}

    @FunctionalInterface
    interface Init {
        void apply(Model model, long seed);
    }

    private InitBench() {}

    /** The schemes timed: PyTorch's default (the peer's "default"), He normal (the peer's "kaiming_normal"), Glorot uniform. */
    static List<Scheme> schemes() {
        List<Scheme> all = new ArrayList<>();
        InitScheme pytorch = InitScheme.pytorchDefault();
        InitScheme he = InitScheme.of(Initializers.heNormal());
        InitScheme glorot = InitScheme.of(Initializers.glorotUniform());
        all.add(new Scheme("pytorch", pytorch::apply));
        all.add(new Scheme("he-normal", he::apply));
        all.add(new Scheme("glorot", glorot::apply));
        return all;
    }

    /** One record per (workload model, scheme). */
    public static List<Map<String, Object>> run(int threads, TrainingBench.Settings s) {
        Parallel.setThreads(threads);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Workload w : Workload.values()) {
            Model model = Zoo.build(w.zooName(), ZooOptions.defaults());
            long params = model.parameterCount(false);
            for (Scheme scheme : schemes()) {
                long[] seed = {0};
                TimedLoop.Result r = TimedLoop.run(() -> {
                    long t0 = System.nanoTime();
                    scheme.init().apply(model, seed[0]++);
                    return new double[] {(System.nanoTime() - t0) / 1e9};
                }, s.targetSeconds() / 5, s.warmup(), s.warmupSeconds(), 5, 2000);
                Map<String, Object> rec = new LinkedHashMap<>();
                rec.put("workload", "init/" + w.id() + "/" + scheme.name());
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
