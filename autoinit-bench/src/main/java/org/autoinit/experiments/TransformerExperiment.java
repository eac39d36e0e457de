package org.autoinit.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.autoinit.app.DataChoice;
import org.autoinit.app.Inits;
import org.autoinit.app.ResultTable;
import org.autoinit.app.TrainSettings;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Add;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.LayerNorm;
import org.autoinit.nn.layers.MultiHeadAttention;
import org.autoinit.nn.layers.PatchEmbedding;
import org.autoinit.nn.layers.PositionalEmbedding;
import org.autoinit.nn.layers.TokenMean;
import org.autoinit.nn.layers.ZeroPadding2d;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * The zoo's ViT ("vit": 28x28 padded to 32x32, 4x4 patches, pre-LN encoder blocks with fused-qkv attention
 * and a GELU MLP, final LayerNorm, token mean, Dense head) with and without its LayerNorms, under PyTorch's
 * default initialization and AutoInit. The zoo refuses to drop the LayerNorms, so the model is rebuilt here
 * layer for layer (a test checks that with LayerNorms it has the zoo model's parameter count).
 */
final class TransformerExperiment implements Experiment {
    static final List<String> INITS = List.of("pytorch", "autoinit");

    @Override
    public String name() {
        return "transformer";
    }

    @Override
    public String title() {
        return "Vision transformer with and without LayerNorm: initialization";
    }

    /** The zoo's vit layout with model width {@code dim} (4 heads, MLP 2 x dim) and {@code depth} blocks; LayerNorms only when {@code norm}. */
    static Model vit(int[] inputShape, int classes, int dim, int depth, boolean norm) {
        Node in = Model.input("input", inputShape);
        Node x = new ZeroPadding2d("pad", 2, 2, 2, 2).apply(in);
        x = new PatchEmbedding("patch", 4, dim, true).apply(x);
        x = new PositionalEmbedding("pos").apply(x);
        for (int i = 1; i <= depth; i++) {
            String b = "block" + i + ".";
            Node a = norm ? new LayerNorm(b + "ln1", 1, 1e-5).apply(x) : x;
            a = MultiHeadAttention.builder(4).fusedQkv(true).name(b + "attn").build().apply(a);
            Node h = new Add(b + "add1").apply(x, a);
            Node m = norm ? new LayerNorm(b + "ln2", 1, 1e-5).apply(h) : h;
            m = new Dense(b + "fc1", 2 * dim).apply(m);
            m = Activation.builder(ActivationKind.GELU).name(b + "act").build().apply(m);
            m = new Dense(b + "fc2", dim).apply(m);
            x = new Add(b + "add2").apply(h, m);
        }
        if (norm) {
            x = new LayerNorm("ln", 1, 1e-5).apply(x);
        }
        x = new TokenMean("pool").apply(x);
        return Model.of(in, new Dense("head", classes).apply(x));
    }

    @Override
    public ExperimentResult run(Context ctx) {
        int dim = ctx.quick() ? 32 : 64, depth = ctx.quick() ? 2 : 4;
        DataChoice data = ctx.quick() ? ctx.data().limit(256, 200) : ctx.data().limit(10000, 2000);
        TrainSettings ts = new TrainSettings("adam", 0.001, 0.9, 0, "cosine", 20, 1, 64, 0);
        Tensor probe = Inits.sample(data.train(), 64);
        List<String> variants = List.of("with LayerNorm", "without LayerNorm");
        Grid grid = new Grid("model", variants, INITS);
        ResultTable runs = Runs.table("layernorm", "init");
        Map<String, String> headVar = new LinkedHashMap<>();
        for (String variant : variants) {
            boolean norm = variant.equals("with LayerNorm");
            for (String init : INITS) {
                for (long seed : ctx.seeds()) {
                    Model m = vit(data.sampleShape(), data.numClasses(), dim, depth, norm);
                    Inits.apply(init, m, seed, data.train());
                    List<Trial.LayerStat> stats = Trial.weightedOutputs(m, probe);
                    double v = stats.get(stats.size() - 1).variance();
                    headVar.putIfAbsent(variant + "/" + init, Runs.sci(v));
                    Trial.Outcome o = Trial.train(m, data, ts, seed);
                    grid.add(variant, init, o);
                    Runs.add(runs, o, seed, norm, init);
                    ctx.log("transformer: %-17s %-9s seed %d  acc %s  logit var at init %s  (%.1fs)", variant, init, seed, Runs.show(o), Runs.sci(v),
                            o.seconds());
                }
            }
        }
        ResultTable var = new ResultTable(ActivationsExperiment.header("model", INITS));
        for (String variant : variants) {
            List<Object> row = new ArrayList<>();
            row.add(variant);
            for (String init : INITS) row.add(headVar.get(variant + "/" + init));
            var.add(row.toArray());
        }
        Map<String, String> sections = new LinkedHashMap<>();
        sections.put("Variance of the logits at initialization (first seed, 64 training images)", var.markdown());
        List<String> settings = List.of(String.format(Locale.ROOT, "model: the zoo's vit layout at width %d (4 heads, MLP %d, GELU), %d blocks, with or"
                + " without its LayerNorms (the zoo's default is width 128; narrowed to fit the time budget)", dim, 2 * dim, depth),
                "data: " + data.description(), "training: " + ts, "seeds: " + ctx.seeds());
        return new ExperimentResult(grid.summary(), runs, grid.chart("ViT: test accuracy with and without LayerNorm"), sections, Map.of(), settings);
    }
}
