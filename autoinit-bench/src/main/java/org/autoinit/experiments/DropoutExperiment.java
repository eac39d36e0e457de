package org.autoinit.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.autoinit.app.DataChoice;
import org.autoinit.app.Inits;
import org.autoinit.app.ModelSpec;
import org.autoinit.app.ResultTable;
import org.autoinit.app.TrainSettings;
import org.autoinit.nn.Model;
import org.autoinit.tensor.Tensor;

/**
 * MLP 784 -> 256 x 8 -> 10 with ReLU and dropout p after every hidden activation: He, Glorot, AutoInit, and
 * AutoInit without its dropout adjustment (which treats dropout as the identity and so underestimates the
 * training-mode second moment {@code E[x^2] / (1 - p)} entering each layer).
 */
final class DropoutExperiment implements Experiment {
    static final List<String> RATES = List.of("0", "0.25", "0.5", "0.7");
    static final List<String> INITS = List.of("he-normal", "glorot-uniform", "autoinit", "autoinit-nodrop");

    @Override
    public String name() {
        return "dropout";
    }

    @Override
    public String title() {
        return "MLP 256 x 8 with dropout: initialization x dropout rate";
    }

    @Override
    public ExperimentResult run(Context ctx) {
        List<String> rates = ctx.quick() ? List.of("0", "0.5") : RATES;
        List<String> inits = ctx.quick() ? List.of("he-normal", "autoinit", "autoinit-nodrop") : INITS;
        DataChoice data = ctx.quick() ? ctx.data().limit(1000, 500) : ctx.data();
        TrainSettings ts = new TrainSettings("sgd", 0.01, 0.9, 0, "cosine", 100, 1, 128, 0);
        Tensor probe = Inits.sample(data.train(), 512);
        Grid grid = new Grid("dropout p", rates, inits);
        ResultTable runs = Runs.table("dropout", "init");
        Map<String, String> lastVar = new LinkedHashMap<>();
        for (String p : rates) {
            for (String init : inits) {
                for (long seed : ctx.seeds()) {
                    Model m = new ModelSpec("mlp", "relu", 8, 256, Double.parseDouble(p), false, null).build(data.sampleShape(), data.numClasses());
                    Inits.apply(init, m, seed, data.train());
                    List<Trial.LayerStat> stats = Trial.weightedOutputs(m, probe);
                    double v = stats.get(stats.size() - 1).variance();
                    if (seed == ctx.seeds().get(0)) lastVar.put(p + "/" + init, Runs.sci(v));
                    Trial.Outcome o = Trial.train(m, data, ts, seed);
                    grid.add(p, init, o);
                    Runs.add(runs, o, seed, p, init);
                    ctx.log("dropout: p %-4s %-15s seed %d  acc %s  output var at init (training mode) %s  (%.1fs)", p, init, seed, Runs.show(o), Runs.sci(v),
                            o.seconds());
                }
            }
        }
        ResultTable varTable = new ResultTable(ActivationsExperiment.header("dropout p", inits));
        for (String p : rates) {
            List<Object> row = new ArrayList<>();
            row.add(p);
            for (String init : inits) row.add(lastVar.get(p + "/" + init));
            varTable.add(row.toArray());
        }
        Map<String, String> sections = new LinkedHashMap<>();
        sections.put(String.format(Locale.ROOT, "Variance of the logits at initialization, training mode (seed %d, 512 training images)", ctx.seeds().get(0)),
                varTable.markdown() + "\nAutoInit accounts for dropout's 1/(1-p) scaling of E[x^2] and keeps this near 1; without the adjustment"
                        + " the variance grows by about 1/(1-p) per dropout layer.\n");
        List<String> settings = List.of("model: mlp, 784 -> 256 x 8 -> 10, relu, dropout p after each hidden activation, no normalization",
                "data: " + data.description(), "training: " + ts, "seeds: " + ctx.seeds());
        return new ExperimentResult(grid.summary(), runs, grid.chart("MLP 256 x 8: test accuracy by dropout rate and init"), sections,
                Map.of(), settings);
    }
}
