package org.autoinit.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.autoinit.app.DataChoice;
import org.autoinit.app.LoaderBatchSource;
import org.autoinit.app.TrainSettings;
import org.autoinit.nn.Block;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.train.Trainer;
import org.autoinit.nn.train.TrainingDivergedException;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;

/** One training run of an experiment, and the per-layer statistics experiments report at initialization. */
public final class Trial {
    /**
     * What a run produced.
     *
     * @param accuracy   test accuracy after training (NaN when diverged)
     * @param diverged   training hit a non-finite loss, output or gradient ({@link TrainingDivergedException})
     * @param divergence the trainer's message when diverged, else ""
     * @param seconds    wall time of training and evaluation
     */
    public record Outcome(double accuracy, boolean diverged, String divergence, double seconds) {}

    private Trial() {}

    /** Trains an initialized model on {@code data.train()} and evaluates it on {@code data.test()}; divergence is an outcome, not an error. */
    public static Outcome train(Model model, DataChoice data, TrainSettings settings, long seed) {
        long t0 = System.nanoTime();
        try (LoaderBatchSource train = LoaderBatchSource.training(data.train(), settings.batch());
             LoaderBatchSource test = LoaderBatchSource.inOrder(data.test(), 500)) {
            Trainer trainer = Trainer.builder().optimizer(settings.newOptimizer(model)).schedule(settings.newSchedule(train.batchesPerEpoch()))
                    .clipNorm(settings.clipNorm()).seed(seed).build();
            try {
                trainer.fit(model, train, null, settings.epochs());
            } catch (TrainingDivergedException e) {
                return new Outcome(Double.NaN, true, e.getMessage(), (System.nanoTime() - t0) / 1e9);
            }
            double acc = Trainer.evaluate(model, test, data.numClasses()).accuracy();
            return new Outcome(acc, false, "", (System.nanoTime() - t0) / 1e9);
        }
    }

    /** Output statistics of one weighted node. */
    public record LayerStat(String node, double mean, double variance) {}

    /**
     * Mean and variance over batch and units of every weighted node's output (pre-activation), in a training-mode
     * forward pass (dropout active with a fixed seed) of {@code batch}, without recording gradients.
     */
    public static List<LayerStat> weightedOutputs(Model model, Tensor batch) {
        List<LayerStat> out = new ArrayList<>();
        ForwardContext ctx = ForwardContext.training(new SplittableRandom(12345)).observe((node, t) -> {
            if (!node.isInput() && !(node.layer() instanceof Block) && hasWeight(node.layer().parameters()) && out.stream().noneMatch(s -> s.node().equals(node.name()))) {
                double[] mv = meanVariance(t);
                out.add(new LayerStat(node.name(), mv[0], mv[1]));
            }
        });
        GradMode.Scope noGrad = GradMode.noGrad();
        try {
            model.forward(ctx, batch);
        } finally {
            noGrad.close();
        }
        return out;
    }

    private static boolean hasWeight(List<Parameter> ps) {
        for (Parameter p : ps) {
            if (p.kind() == ParamKind.WEIGHT) return true;
        }
        return false;
    }

    /** Mean and population variance of all entries, accumulated in double. */
    static double[] meanVariance(Tensor t) {
        int n = t.numel();
        double s = 0;
        for (int i = 0; i < n; i++) s += t.getFlat(i);
        double m = s / n, q = 0;
        for (int i = 0; i < n; i++) {
            double d = t.getFlat(i) - m;
            q += d * d;
        }
        return new double[] {m, q / n};
    }
}
