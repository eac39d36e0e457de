package org.autoinit.nn.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.io.Checkpoints;
import org.autoinit.nn.io.TrainingState;
import org.autoinit.nn.optim.GradClip;
import org.autoinit.nn.optim.LrSchedule;
import org.autoinit.nn.optim.Optimizer;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;
import org.autoinit.tensor.memory.StepStorage;

/**
 * Mini-batch training: batch -> forward -> loss -> backward -> clip -> step -> listeners, then validation
 * once per epoch. Every step is checked for a non-finite loss and gradients ({@link TrainingDivergedException}
 * names the first offending node or layer: after a non-finite loss the step's forward pass is run again, with the
 * same dropout draws, checking every node's output; a layer whose output is non-finite only sometimes, with the same
 * weights and batch, is reported as a non-finite loss). Randomness comes from two
 * {@link Xoshiro256} streams split from the seed (data order, dropout), so the same seed gives the same
 * losses and weights bit for bit, and a run resumed from a checkpoint continues exactly as if uninterrupted.
 */
public final class Trainer {
    private final Optimizer optimizer;
    private final Loss loss;
    private final LrSchedule schedule;
    private final double clipNorm;
    private final long seed;
    private final List<TrainingListener> listeners;

    private Trainer(Builder b) {
        if (b.optimizer == null) {
            throw new IllegalArgumentException("Trainer: an optimizer is required (Trainer.builder().optimizer(...))");
        }
        this.optimizer = b.optimizer;
        this.loss = b.loss;
        this.schedule = b.schedule;
        this.clipNorm = b.clipNorm;
        this.seed = b.seed;
        this.listeners = List.copyOf(b.listeners);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Trains {@code model} for {@code epochs} epochs from scratch; {@code validation} may be null. */
    public History fit(Model model, BatchSource train, BatchSource validation, int epochs) {
        return run(model, train, validation, epochs, null);
    }

    /**
     * Loads the training checkpoint in {@code checkpointDir} into the model and this trainer's optimizer and
     * continues until {@code epochs} epochs are complete in total.
     */
    public History resume(Path checkpointDir, Model model, BatchSource train, BatchSource validation, int epochs) throws IOException {
        TrainingState state = Checkpoints.loadTraining(checkpointDir, model, optimizer);
        return run(model, train, validation, epochs, state);
    }

    private History run(Model model, BatchSource train, BatchSource validation, int epochs, TrainingState resumed) {
        TrainingRun run = new TrainingRun(model, optimizer, epochs, train.batchesPerEpoch(), seed, resumed);
        DivergenceGuard guard = new DivergenceGuard(run);
        List<Tensor> params = new ArrayList<>(optimizer.parameters().values());
        listeners.forEach(l -> l.onTrainStart(run));
        for (int epoch = run.epoch(); epoch < epochs && !run.stopRequested(); epoch++) {
            run.beginEpoch(epoch);
            for (Iterator<Batch> it = train.epoch(epoch, run.dataRng()); it.hasNext(); ) {
                Batch batch = it.next();
                if (schedule != null) optimizer.setLearningRate(schedule.lr(run.step()));
                double lossValue;
                int correct;
                // The step's activations and gradients are recycled by the next step (StepStorage): nothing below reads
                // a tensor of this step after the scope closes, and the parameters and their gradients are kept.
                try (StepStorage.Scope scope = StepStorage.open()) {
                    // No observer on the step's own pass (an observer turns fusion off and reads every output): a
                    // non-finite loss is traced afterwards by re-running this pass, same dropout draws, observed.
                    long[] dropoutState = run.dropoutRngState();
                    Tensor out = model.forward(ForwardContext.training(run.dropoutRng()), batch.x());
                    scope.keep(out);   // read by correct() after backward
                    Tensor l = loss.compute(out, batch.labels());
                    if (!Double.isFinite(l.item())) {
                        model.forward(ForwardContext.training(Xoshiro256.fromState(dropoutState)).observe(guard), batch.x());
                    }
                    guard.checkLoss(l);
                    optimizer.zeroGrad();
                    l.backward();
                    guard.checkGradients(clipNorm > 0 ? GradClip.clipGradNorm(params, clipNorm) : GradClip.globalNorm(params));
                    optimizer.step();
                    correct = correct(out, batch.labels());
                    lossValue = l.item();
                    scope.keep(params);
                }
                run.endBatch(batch.size(), lossValue, correct);
                double acc = correct < 0 ? Double.NaN : (double) correct / batch.size();
                for (TrainingListener li : listeners) li.onBatchEnd(run.step(), lossValue, acc, run.samplesPerSecond());
            }
            double[] val = validation == null ? new double[] {Double.NaN, Double.NaN} : validate(model, validation, epoch);
            EpochMetrics m = run.endEpoch(val[0], val[1]);
            for (TrainingListener li : listeners) li.onEpochEnd(epoch, m);
        }
        listeners.forEach(l -> l.onTrainEnd(run.history()));
        StepStorage.trim();   // the recycled step arrays are not needed after the run
        return run.history();
    }

    /** Mean loss and accuracy over a source in eval mode, without recording a graph. */
    private double[] validate(Model model, BatchSource source, int epoch) {
        double lossSum = 0;
        long n = 0, correct = 0, scored = 0;
        // Its own generator, fixed per epoch: a source that shuffles must neither disturb the training streams
        // nor depend on the seed (a resumed run may be built with another one).
        Xoshiro256 rng = new Xoshiro256(0x9E3779B97F4A7C15L * (epoch + 1));
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (Iterator<Batch> it = source.epoch(epoch, rng); it.hasNext(); ) {
                Batch b = it.next();
                Tensor out = model.forward(ForwardContext.eval(), b.x());
                lossSum += loss.compute(out, b.labels()).item() * b.size();
                n += b.size();
                int c = correct(out, b.labels());
                if (c >= 0) {
                    correct += c;
                    scored += b.size();
                }
            }
        }
        return new double[] {n == 0 ? Double.NaN : lossSum / n, scored == 0 ? Double.NaN : (double) correct / scored};
    }

    /** Correct argmax predictions of {@code [N, C]} outputs, or -1 for outputs of another rank. */
    private static int correct(Tensor out, int[] labels) {
        if (out.rank() != 2) return -1;
        int[] pred = Evaluation.argmax(out);
        int c = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == labels[i]) c++;
        return c;
    }

    /** Accumulates a full {@link Evaluation} (confusion matrix, per-class metrics) of a model over a source. */
    public static EvaluationStats evaluate(Model model, BatchSource source, int numClasses) {
        Evaluation ev = new Evaluation(numClasses);
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (Iterator<Batch> it = source.epoch(0, new Xoshiro256(0)); it.hasNext(); ) {
                Batch b = it.next();
                ev.add(model.forward(ForwardContext.eval(), b.x()), b.labels());
            }
        }
        return ev.stats();
    }

    /** Settings of a {@link Trainer}: the optimizer is required; loss defaults to cross-entropy, seed to 0. */
    public static final class Builder {
        private Optimizer optimizer;
        private Loss loss = Loss.crossEntropy();
        private LrSchedule schedule;
        private double clipNorm;
        private long seed;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder() {}

        public Builder optimizer(Optimizer o) { this.optimizer = o; return this; }
        public Builder loss(Loss l) { this.loss = l; return this; }
        /** Sets the optimizer's learning rate before every step; without one the optimizer's rate stays as built. */
        public Builder schedule(LrSchedule s) { this.schedule = s; return this; }

        /** Clips gradients to this global L2 norm before each step; 0 (the default) disables clipping. */
        public Builder clipNorm(double maxNorm) {
            if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
                throw new IllegalArgumentException("Trainer: clip norm must be finite and >= 0, got " + maxNorm);
            }
            this.clipNorm = maxNorm;
            return this;
        }

        /** Seed of the data-order and dropout streams (weights are initialized by the model's own seed). */
        public Builder seed(long s) { this.seed = s; return this; }
        public Builder listener(TrainingListener l) { this.listeners.add(l); return this; }

        public Trainer build() {
            return new Trainer(this);
        }
    }
}
