package org.autoinit.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.autoinit.bench.InitBench;
import org.autoinit.bench.TrainingBench;
import org.autoinit.bench.Workload;
import org.autoinit.nn.io.Json;
import org.autoinit.tensor.blas.BlasInfo;

/**
 * {@code ./autoinit bench --workload mlp|cnn|allcnnc|resnet|transformer|init --threads 1|2 [--json] [--target-s S]}:
 * the PyTorch peer's workloads, timed the same way (see {@link TrainingBench}); one line per workload.
 */
final class BenchCommand implements Command {
    private final TrainingBench.Settings base;

    BenchCommand() {
        this(TrainingBench.Settings.defaults());
    }

    /** Test hook: other warm-up and step limits ({@code --target-s} still overrides the target). */
    BenchCommand(TrainingBench.Settings base) {
        this.base = base;
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "time training steps (or initializations) of the PyTorch peer's workloads, same shapes and timing scheme";
    }

    @Override
    public int run(String[] args) {
        ArgParser parser = new ArgParser(name(), summary() + ". For a fair comparison run one workload and thread"
                + " count per JVM on an otherwise idle machine (scripts/compare-torch.py does).")
                .required("workload", "LIST", "comma list of mlp, cnn, allcnnc, resnet, transformer, init (or all)")
                .option("threads", "LIST", "comma list of thread counts (default 1)")
                .option("init-models", "LIST", "models the init workload times: comma list of mlp, cnn, allcnnc, resnet, transformer (default all)")
                .option("target-s", "SECONDS", "timed seconds per workload (default 6, as the peer; init uses a fifth per model and scheme)")
                .flag("json", "print one JSON object per line (keys as torch_peer.py: workload, threads, batch, step_median_s, "
                        + "step_min_s, samples_per_s, fwd/bwd/opt_median_s, peak_rss_mib, ...)");
        Args a = parser.parse(args);
        PrintStream out = System.out;
        if (a.help()) {
            out.print(parser.usage());
            return 0;
        }
        List<String> workloads = workloads(a.getString("workload"));
        List<Integer> threads = new ArrayList<>();
        for (String t : a.getString("threads", "1").split(",")) {
            int n = parseThreads(t);
            threads.add(n);
        }
        double target = a.getDouble("target-s", base.targetSeconds());
        if (!(target > 0)) {
            throw new UsageException(name() + ": --target-s must be positive, got " + target);
        }
        TrainingBench.Settings settings = base.withTarget(target);
        List<Workload> initModels = new ArrayList<>();
        for (String m : a.getString("init-models", "mlp,cnn,allcnnc,resnet,transformer").split(",")) {
            try {
                initModels.add(Workload.byId(m));
            } catch (IllegalArgumentException e) {
                throw new UsageException(name() + ": --init-models: " + e.getMessage());
            }
        }
        boolean json = a.flag("json");
        if (!json) {
            out.println("# blas backend: " + BlasInfo.backendDescription());
        }
        for (String w : workloads) {
            for (int t : threads) {
                List<Map<String, Object>> recs = w.equals("init") ? InitBench.run(initModels, t, settings)
                        : List.of(TrainingBench.run(Workload.byId(w), t, settings));
                for (Map<String, Object> r : recs) {
                    out.println(json ? Json.write(r) : text(r));
                    out.flush();
                }
            }
        }
        return 0;
    }

    private List<String> workloads(String list) {
        List<String> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String w = raw.trim().toLowerCase(Locale.ROOT);
            if (w.equals("all")) {
                for (Workload x : Workload.values()) out.add(x.id());
                out.add("init");
                continue;
            }
            if (!w.equals("init")) {
                try {
                    Workload.byId(w);
                } catch (IllegalArgumentException e) {
                    throw new UsageException(name() + ": " + e.getMessage());
                }
            }
            out.add(w);
        }
        return out;
    }

    private int parseThreads(String t) {
        try {
            int n = Integer.parseInt(t.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(name() + ": --threads expects positive integers separated by commas, got '" + t + "'");
    }

    private static String text(Map<String, Object> r) {
        if (r.containsKey("init_median_s")) {
            return String.format(Locale.ROOT, "%-34s threads %s  median %.3f ms  min %.3f ms  (%s params)", r.get("workload"),
                    r.get("threads"), num(r, "init_median_s") * 1e3, num(r, "init_min_s") * 1e3, r.get("params"));
        }
        return String.format(Locale.ROOT, "%-12s threads %s  batch %3s  step median %.4f s  min %.4f s  %8.1f samples/s"
                        + "  (fwd %.4f, bwd %.4f, opt %.4f)  peak RSS %.0f MiB  loss %.4f",
                r.get("workload"), r.get("threads"), r.get("batch"), num(r, "step_median_s"), num(r, "step_min_s"),
                num(r, "samples_per_s"), num(r, "fwd_median_s"), num(r, "bwd_median_s"), num(r, "opt_median_s"),
                num(r, "peak_rss_mib"), num(r, "final_loss"));
    }

    private static double num(Map<String, Object> r, String key) {
        Object v = r.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
