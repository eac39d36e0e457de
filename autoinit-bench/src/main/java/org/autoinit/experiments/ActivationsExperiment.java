package org.autoinit.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.app.Charts;
import org.autoinit.app.DataChoice;
import org.autoinit.app.Inits;
import org.autoinit.app.ModelSpec;
import org.autoinit.app.ResultTable;
import org.autoinit.app.TrainSettings;
import org.autoinit.init.moments.ActivationMoments;
import org.autoinit.nn.Model;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * A deep plain MLP (784 -> 128 x 24 -> 10, no normalization) with each activation under each initialization:
 * test accuracy, and the variance of every weighted layer's output at initialization on real data (the
 * variance collapse or explosion the paper's Figure 1 shows).
 */
final class ActivationsExperiment implements Experiment {
    static final List<String> ACTIVATIONS = List.of("relu", "elu", "selu", "gelu", "swish", "tanh", "softplus", "sin");
    /** AutoInit on the same network with centred activations f(x) - E[f(z)] ("AutoInit++"). */
    static final String CENTRED = "autoinit++";
    static final List<String> INITS = List.of("pytorch", "keras", "he-normal", "autoinit", CENTRED);

    @Override
    public String name() {
        return "activations";
    }

    @Override
    public String title() {
        return "Deep plain MLP (24 x 128, no normalization): activation x initialization";
    }

    @Override
    public ExperimentResult run(Context ctx) {
        List<String> acts = ctx.quick() ? List.of("relu", "tanh") : ACTIVATIONS;
        List<String> inits = ctx.quick() ? List.of("pytorch", "autoinit") : INITS;
        // 64 runs: half of the training set for one epoch keeps the full grid with two seeds within ~10 minutes
        DataChoice data = ctx.quick() ? ctx.data().limit(1000, 500) : ctx.data().limit(30000, 0);
        TrainSettings ts = new TrainSettings("sgd", 0.01, 0.9, 0, "cosine", 100, 1, 128, 0);
        Tensor probe = Inits.sample(data.train(), 512);

        Grid grid = new Grid("activation", acts, inits);
        ResultTable runs = Runs.table("activation", "init");
        ResultTable variances = new ResultTable("activation", "init", "seed", "layer", "node", "variance");
        Map<String, double[]> lastVariance = new LinkedHashMap<>();
        Map<String, double[]> reluProfile = new LinkedHashMap<>();
        List<String> layerNames = new ArrayList<>();
        for (String act : acts) {
            for (String init : inits) {
                for (long seed : ctx.seeds()) {
                    Model m = init.equals(CENTRED) ? centredDeepMlp(act, data.sampleShape(), data.numClasses())
                            : new ModelSpec("deep-mlp", act, null, null, null, false, null).build(data.sampleShape(), data.numClasses());
                    Inits.apply(init.equals(CENTRED) ? "autoinit" : init, m, seed, data.train());
                    List<Trial.LayerStat> stats = Trial.weightedOutputs(m, probe);
                    for (int i = 0; i < stats.size(); i++) {
                        variances.add(act, init, seed, i + 1, stats.get(i).node(), Runs.sci(stats.get(i).variance()));
                    }
                    if (seed == ctx.seeds().get(0)) {
                        // the last hidden layer's pre-activation (the output layer is stats.size() - 1)
                        lastVariance.put(act + "/" + init, new double[] {stats.get(stats.size() - 2).variance()});
                        if (act.equals("relu")) {
                            reluProfile.put(init, stats.stream().mapToDouble(Trial.LayerStat::variance).toArray());
                            if (layerNames.isEmpty()) stats.forEach(s -> layerNames.add(s.node()));
                        }
                    }
                    Trial.Outcome o = Trial.train(m, data, ts, seed);
                    grid.add(act, init, o);
                    Runs.add(runs, o, seed, act, init);
                    ctx.log("activations: %-8s %-9s seed %d  acc %s  last hidden var at init %s  (%.1fs)", act, init, seed, Runs.show(o),
                            Runs.sci(stats.get(stats.size() - 2).variance()), o.seconds());
                }
            }
        }
        ResultTable varTable = new ResultTable(header("activation", inits));
        for (String act : acts) {
            Object[] row = new Object[inits.size() + 1];
            row[0] = act;
            for (int i = 0; i < inits.size(); i++) row[i + 1] = Runs.sci(lastVariance.get(act + "/" + inits.get(i))[0]);
            varTable.add(row);
        }
        Map<String, String> sections = new LinkedHashMap<>();
        sections.put("Variance of the last hidden layer's pre-activation at initialization (seed " + ctx.seeds().get(0) + ", 512 training images)",
                varTable.markdown() + "\nAutoInit targets 1 for every weighted layer. The per-layer profile of every run is in variance-at-init.csv;"
                        + " variance-at-init.svg plots it for relu.\n");
        Map<String, String> extras = new LinkedHashMap<>();
        extras.put("variance-at-init.csv", variances.csv());
        if (!reluProfile.isEmpty()) {
            List<Charts.Series> series = new ArrayList<>();
            reluProfile.forEach((init, v) -> series.add(new Charts.Series(init, v)));
            extras.put("variance-at-init.svg", Charts.lines("relu MLP 24 x 128: variance of each weighted layer's output at init", "layer", "variance (log)",
                    true, layerNames, series));
        }
        List<String> settings = List.of("model: deep-mlp, 784 -> 128 x 24 -> 10, no normalization, biases as each init sets them",
                "data: " + data.description(), "training: " + ts, "seeds: " + ctx.seeds());
        return new ExperimentResult(grid.summary(), runs, grid.chart("Deep MLP (24 x 128): test accuracy by activation and init"), sections, extras,
                settings);
    }

    /** deep-mlp (no normalization) whose activations are centred: {@code f(x) - E[f(z)]}, z ~ N(0, 1). */
    static Model centredDeepMlp(String act, int[] sampleShape, int classes) {
        ActivationKind kind = ActivationKind.fromId(act);
        double shift = ActivationMoments.centringShift(kind, kind.defaultAlpha());
        return Zoo.build("deep-mlp", ZooOptions.builder().inputShape(sampleShape).classes(classes).init(null)
                .activation(kind).normalization(false).activationShift(shift).build());
    }

    static List<String> header(String first, List<String> rest) {
        List<String> h = new ArrayList<>();
        h.add(first);
        h.addAll(rest);
        return h;
    }
}
