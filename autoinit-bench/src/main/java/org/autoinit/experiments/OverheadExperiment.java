package org.autoinit.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.autoinit.app.Charts;
import org.autoinit.app.ResultTable;
import org.autoinit.init.baselines.InitMethod;
import org.autoinit.init.baselines.InitSchemes;
import org.autoinit.nn.Model;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * Wall time of every initialization scheme on every zoo model at its default input shape: one untimed warm-up
 * call, then the median of a few timed calls (a single call when the warm-up took over 3 s). LSUV gets a batch
 * of N(0, 1) inputs (32 samples; 4 for resnet50). A simple in-process timing on a shared machine; the JMH
 * benchmarks are the careful measurement.
 */
final class OverheadExperiment implements Experiment {
    @Override
    public String name() {
        return "overhead";
    }

    @Override
    public String title() {
        return "Initialization time of every scheme on every zoo model";
    }

    @Override
    public boolean needsData() {
        return false;
    }

    @Override
    public ExperimentResult run(Context ctx) {
        List<String> models = ctx.quick() ? List.of("mlp", "cnn", "deep-mlp") : Zoo.names();
        List<String> schemes = ctx.quick() ? List.of("pytorch", "he-normal", "orthogonal", "lsuv", "autoinit") : InitSchemes.names();
        int reps = ctx.quick() ? 1 : 3;
        ResultTable runs = new ResultTable("model", "parameters", "scheme", "median_ms", "timed_calls");
        ResultTable summary = new ResultTable(ActivationsExperiment.header("model (parameters)", schemes));
        List<String> labels = new ArrayList<>();
        double[][] ms = new double[schemes.size()][models.size()];
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (int mi = 0; mi < models.size(); mi++) {
            String name = models.get(mi);
            Model model = Zoo.build(name, ZooOptions.builder().init(null).build());
            long params = model.parameterCount(true);
            String label = String.format(Locale.ROOT, "%s (%,d)", name, params);
            labels.add(name);
            Tensor sample = gaussian(model, name.equals("resnet50") ? 4 : 32);
            List<Object> row = new ArrayList<>();
            row.add(label);
            for (int si = 0; si < schemes.size(); si++) {
                InitMethod method = InitSchemes.byName(schemes.get(si));
                double first = time(method, model, sample);
                int timed = first > 3000 || reps == 1 ? 1 : reps;
                double[] t = new double[timed];
                if (timed == 1) {
                    t[0] = first;
                } else {
                    for (int r = 0; r < timed; r++) t[r] = time(method, model, sample);
                }
                Arrays.sort(t);
                double med = t[timed / 2];
                ms[si][mi] = med;
                lo = Math.min(lo, med);
                hi = Math.max(hi, med);
                runs.add(name, params, schemes.get(si), String.format(Locale.ROOT, "%.2f", med), timed);
                row.add(String.format(Locale.ROOT, "%.1f ms", med));
                ctx.log("overhead: %-12s %-15s %10.1f ms", name, schemes.get(si), med);
            }
            summary.add(row.toArray());
        }
        List<Charts.Series> series = new ArrayList<>();
        for (int si = 0; si < schemes.size(); si++) series.add(new Charts.Series(schemes.get(si), ms[si]));
        double yMin = Math.pow(10, Math.floor(Math.log10(Math.max(lo, 1e-3)))), yMax = Math.pow(10, Math.ceil(Math.log10(Math.max(hi, yMin * 10))));
        String svg = Charts.bars("Initialization time per model and scheme", "milliseconds (log)", labels, series, yMin, yMax, true);
        List<String> settings = List.of("models: the zoo at default shapes (ImageNet resnet50 at 3x224x224), built once, re-initialized per scheme",
                "timing: System.nanoTime around one initialize call; " + (reps == 1 ? "one call" : "median of " + reps + " after one warm-up call")
                        + "; machine shared with other work, so treat differences under ~2x as noise",
                "lsuv: N(0, 1) input batch of 32 samples (4 for resnet50)");
        return new ExperimentResult(summary, runs, svg, Map.of(), Map.of(), settings);
    }

    private static double time(InitMethod m, Model model, Tensor sample) {
        long t0 = System.nanoTime();
        m.initialize(model, 0, sample);
        return (System.nanoTime() - t0) / 1e6;
    }

    private static Tensor gaussian(Model model, int n) {
        int[] s = model.inputs().get(0).shape();
        int[] b = new int[s.length + 1];
        b[0] = n;
        System.arraycopy(s, 0, b, 1, s.length);
        return Tensor.randn(new SplittableRandom(7), DType.FLOAT32, b);
    }
}
