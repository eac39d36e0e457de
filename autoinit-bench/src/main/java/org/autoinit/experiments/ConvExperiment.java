package org.autoinit.experiments;

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
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.GlobalAvgPool;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * All-CNN-C (Springenberg et al. 2015) without normalization on 28x28 Fashion-MNIST, narrowed to fit the time
 * budget (widths 32/64 instead of 96/192; same nine convolutions, strides and global average pooling), per
 * activation: PyTorch's default initialization vs AutoInit.
 */
final class ConvExperiment implements Experiment {
    static final List<String> ACTIVATIONS = List.of("relu", "gelu", "swish", "selu", "tanh");
    static final List<String> INITS = List.of("pytorch", "autoinit");
    static final int NARROW = 32, WIDE = 64;

    @Override
    public String name() {
        return "conv";
    }

    @Override
    public String title() {
        return "All-CNN-C-style network (no normalization) on 28x28 images: activation x initialization";
    }

    /**
     * The All-CNN-C layout with widths {@code w1} (stage 1) and {@code w2} (stage 2): conv3x3(w1) x2, conv3x3/2(w1),
     * conv3x3(w2) x2, conv3x3/2(w2), conv3x3 valid(w2), conv1x1(w2), conv1x1(classes), each conv followed by the
     * activation, then global average pooling. The zoo's allcnnc is this with 96/192.
     */
    static Model allCnnC(int[] inputShape, int classes, int w1, int w2, ActivationKind act) {
        Node in = Model.input("input", inputShape);
        Node x = conv(in, "conv1", w1, 3, 1, 1, act);
        x = conv(x, "conv2", w1, 3, 1, 1, act);
        x = conv(x, "conv3", w1, 3, 2, 1, act);
        x = conv(x, "conv4", w2, 3, 1, 1, act);
        x = conv(x, "conv5", w2, 3, 1, 1, act);
        x = conv(x, "conv6", w2, 3, 2, 1, act);
        x = conv(x, "conv7", w2, 3, 1, 0, act);
        x = conv(x, "conv8", w2, 1, 1, 0, act);
        x = conv(x, "conv9", classes, 1, 1, 0, act);
        return Model.of(in, new GlobalAvgPool("gap").apply(x));
    }

    private static Node conv(Node x, String name, int out, int k, int stride, int pad, ActivationKind act) {
        Node y = Conv2d.builder(out, k).stride(stride).padding(pad).name(name).build().apply(x);
        return Activation.builder(act).name(name + "_act").build().apply(y);
    }

    @Override
    public ExperimentResult run(Context ctx) {
        List<String> acts = ctx.quick() ? List.of("relu") : ACTIVATIONS;
        DataChoice data = ctx.quick() ? ctx.data().limit(256, 200) : ctx.data().limit(6000, 2000);
        TrainSettings ts = new TrainSettings("sgd", 0.01, 0.9, 0, "cosine", 20, 1, 64, 0);
        Tensor probe = Inits.sample(data.train(), 128);
        Grid grid = new Grid("activation", acts, INITS);
        ResultTable runs = Runs.table("activation", "init");
        for (String act : acts) {
            for (String init : INITS) {
                for (long seed : ctx.seeds()) {
                    Model m = allCnnC(data.sampleShape(), data.numClasses(), NARROW, WIDE, ActivationKind.fromId(act));
                    Inits.apply(init, m, seed, data.train());
                    List<Trial.LayerStat> stats = Trial.weightedOutputs(m, probe);
                    Trial.Outcome o = Trial.train(m, data, ts, seed);
                    grid.add(act, init, o);
                    Runs.add(runs, o, seed, act, init);
                    ctx.log("conv: %-6s %-9s seed %d  acc %s  conv9 var at init %s  (%.1fs)", act, init, seed, Runs.show(o),
                            Runs.sci(stats.get(stats.size() - 1).variance()), o.seconds());
                }
            }
        }
        List<String> settings = List.of(String.format(Locale.ROOT, "model: All-CNN-C layout, widths %d/%d (the paper's 96/192 narrowed to fit the time"
                + " budget), every conv with bias and the activation, global average pooling, no normalization", NARROW, WIDE),
                "data: " + data.description(), "training: " + ts, "seeds: " + ctx.seeds());
        return new ExperimentResult(grid.summary(), runs, grid.chart("All-CNN-C-style: test accuracy by activation and init"), Map.of(), Map.of(),
                settings);
    }
}
