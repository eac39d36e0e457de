package org.autoinit.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.app.DataChoice;
import org.autoinit.app.Inits;
import org.autoinit.app.ModelSpec;
import org.autoinit.app.ResultTable;
import org.autoinit.app.TrainSettings;
import org.autoinit.nn.Model;
import org.autoinit.tensor.Tensor;

/**
 * A residual MLP without normalization (deep-resmlp: stem, 16 blocks {@code x + fc_b(relu(fc_a(x)))}, head)
 * over a learning-rate sweep: He, Glorot and LSUV with Add joins, AutoInit with Add and with WeightedSum
 * (whose coefficients AutoInit sets so the stream keeps unit variance). Divergence is counted, not fatal.
 */
final class ResidualExperiment implements Experiment {
    static final List<String> LRS = List.of("0.003", "0.01", "0.03", "0.1");
    /** Row label -> {init, merge}. */
    static final Map<String, String[]> CONFIGS = new LinkedHashMap<>();

    static {
        CONFIGS.put("he-normal + Add", new String[] {"he-normal", "add"});
        CONFIGS.put("glorot-uniform + Add", new String[] {"glorot-uniform", "add"});
        CONFIGS.put("lsuv + Add", new String[] {"lsuv", "add"});
        CONFIGS.put("autoinit + Add", new String[] {"autoinit", "add"});
        CONFIGS.put("autoinit + WeightedSum", new String[] {"autoinit", "weighted-sum"});
    }

    @Override
    public String name() {
        return "residual";
    }

    @Override
    public String title() {
        return "Residual MLP (16 blocks, no normalization): initialization x learning rate";
    }

    @Override
    public ExperimentResult run(Context ctx) {
        List<String> lrs = ctx.quick() ? List.of("0.01", "0.1") : LRS;
        List<String> configs = ctx.quick() ? List.of("he-normal + Add", "autoinit + WeightedSum") : new ArrayList<>(CONFIGS.keySet());
        DataChoice data = ctx.quick() ? ctx.data().limit(1000, 500) : ctx.data();
        TrainSettings base = new TrainSettings("sgd", 0.01, 0.9, 0, "cosine", 100, 1, 128, 0);
        Tensor probe = Inits.sample(data.train(), 512);
        Grid grid = new Grid("init", configs, lrs);
        ResultTable runs = Runs.table("init", "merge", "lr");
        Map<String, String> logitVar = new LinkedHashMap<>();
        for (String label : configs) {
            String init = CONFIGS.get(label)[0], merge = CONFIGS.get(label)[1];
            for (String lr : lrs) {
                for (long seed : ctx.seeds()) {
                    Model m = new ModelSpec("deep-resmlp", "relu", null, null, null, false, merge).build(data.sampleShape(), data.numClasses());
                    Inits.apply(init, m, seed, data.train());
                    List<Trial.LayerStat> stats = Trial.weightedOutputs(m, probe);
                    double v = stats.get(stats.size() - 1).variance();
                    logitVar.putIfAbsent(label, Runs.sci(v));
                    Trial.Outcome o = Trial.train(m, data, base.withLr(Double.parseDouble(lr)), seed);
                    grid.add(label, lr, o);
                    Runs.add(runs, o, seed, init, merge, lr);
                    ctx.log("residual: %-22s lr %-5s seed %d  acc %s  logit var at init %s  (%.1fs)", label, lr, seed, Runs.show(o), Runs.sci(v), o.seconds());
                }
            }
        }
        ResultTable summary = new ResultTable(ActivationsExperiment.header("init", withDiverged(lrs)));
        ResultTable grid2 = grid.summary();
        for (int r = 0; r < configs.size(); r++) {
            List<Object> row = new ArrayList<>();
            row.add(configs.get(r));
            int d = 0, n = 0;
            for (String lr : lrs) {
                row.add(grid2.get(r, lr));
                d += grid.diverged(configs.get(r), lr);
                n += grid.outcomes(configs.get(r), lr).size();
            }
            row.add(d + "/" + n);
            row.add(logitVar.get(configs.get(r)));
            summary.add(row.toArray());
        }
        Map<String, String> sections = new LinkedHashMap<>();
        sections.put("Diverged runs", grid.totalDiverged() + " of " + grid.totalRuns() + " runs diverged (non-finite loss, activation or gradient;"
                + " the trainer stops at the first one). Cells show accuracy over the runs that finished.\n");
        List<String> settings = List.of("model: deep-resmlp, stem Dense(128), 16 blocks x + Dense(relu(Dense(x))) (Add or WeightedSum), head; no normalization",
                "data: " + data.description(), "training: " + base + " (peak lr per column), no gradient clipping", "seeds: " + ctx.seeds(),
                "logit var at init: variance of the head's output on 512 training images, first seed");
        return new ExperimentResult(summary, runs, grid.chart("Residual MLP: test accuracy by init and learning rate (x = all diverged)"), sections,
                Map.of(), settings);
    }

    private static List<String> withDiverged(List<String> lrs) {
        List<String> h = new ArrayList<>();
        for (String lr : lrs) h.add("lr " + lr);
        h.add("diverged");
        h.add("logit var at init");
        return h;
    }
}
