package org.autoinit.nn.train;

import org.autoinit.nn.Model;
import org.autoinit.nn.io.TrainingState;
import org.autoinit.nn.optim.Optimizer;

/**
 * The live position of one {@link Trainer#fit} call, shared with listeners: model, optimizer, epoch and step,
 * the history so far, and the two random streams (data order, dropout) whose states checkpoints store.
 */
public final class TrainingRun {
    private final Model model;
    private final Optimizer optimizer;
    private final int epochs;
    private final int batchesPerEpoch;
    private final History history;
    private final Xoshiro256 dataRng;
    private final Xoshiro256 dropoutRng;
    private int epoch;
    private long step;
    private int batchInEpoch;
    private String stopReason;
    // running sums of the current epoch
    private double lossSum;
    private long correct;
    private long samples;
    private long accuracySamples;
    private long epochStartNanos;

    TrainingRun(Model model, Optimizer optimizer, int epochs, int batchesPerEpoch, long seed, TrainingState resumed) {
        this.model = model;
        this.optimizer = optimizer;
        this.epochs = epochs;
        this.batchesPerEpoch = batchesPerEpoch;
        if (resumed == null) {
            Xoshiro256 root = new Xoshiro256(seed);
            this.dataRng = root.split();
            this.dropoutRng = root.split();
            this.history = new History();
        } else {
            this.dataRng = Xoshiro256.fromState(resumed.dataRng());
            this.dropoutRng = Xoshiro256.fromState(resumed.dropoutRng());
            this.history = History.fromJsonList(resumed.history());
            this.epoch = resumed.epoch();
            this.step = resumed.step();
        }
    }

    public Model model() { return model; }
    public Optimizer optimizer() { return optimizer; }
    /** Total epochs of this fit (the loop runs while {@code epoch() < epochs()}). */
    public int epochs() { return epochs; }
    /** Batches per epoch as the source reports it, -1 when unknown. */
    public int batchesPerEpoch() { return batchesPerEpoch; }
    /** The current epoch (0-based); after an epoch ends and before the next begins, the number of completed epochs. */
    public int epoch() { return epoch; }
    /** Optimizer steps taken so far (the schedule position). */
    public long step() { return step; }
    /** Batches done in the current epoch. */
    public int batchInEpoch() { return batchInEpoch; }
    public History history() { return history; }

    /** Asks the trainer to stop after the current epoch's listeners have run. */
    public void requestStop(String reason) {
        if (stopReason == null) stopReason = reason;
    }

    public boolean stopRequested() { return stopReason != null; }
    /** Why training stopped early, or null. */
    public String stopReason() { return stopReason; }

    /** Copies of the generator states, for checkpoints. */
    public long[] dataRngState() { return dataRng.state(); }
    public long[] dropoutRngState() { return dropoutRng.state(); }

    /** Everything a checkpoint needs besides model weights and optimizer state. */
    public TrainingState state() {
        return new TrainingState(epoch, step, optimizer.learningRate(), dataRng.state(), dropoutRng.state(), history.toJsonList());
    }

    /** Samples per second in the current epoch so far. */
    public double samplesPerSecond() {
        double s = epochSeconds();
        return s > 0 ? samples / s : 0;
    }

    /** Seconds since the current epoch began. */
    public double epochSeconds() {
        return (System.nanoTime() - epochStartNanos) / 1e9;
    }

    Xoshiro256 dataRng() { return dataRng; }
    Xoshiro256 dropoutRng() { return dropoutRng; }

    void beginEpoch(int e) {
        epoch = e;
        batchInEpoch = 0;
        lossSum = 0;
        correct = 0;
        samples = 0;
        accuracySamples = 0;
        epochStartNanos = System.nanoTime();
    }

    /** Records a finished step; {@code correctCount} is -1 when the output is not [N, classes]. */
    void endBatch(int size, double loss, int correctCount) {
        step++;
        batchInEpoch++;
        samples += size;
        lossSum += loss * size;
        if (correctCount >= 0) {
            correct += correctCount;
            accuracySamples += size;
        }
    }

    /** Closes the epoch: its metrics go into the history, and {@link #epoch()} becomes the completed count. */
    EpochMetrics endEpoch(double valLoss, double valAccuracy) {
        double seconds = (System.nanoTime() - epochStartNanos) / 1e9;
        EpochMetrics m = new EpochMetrics(epoch, step, samples == 0 ? Double.NaN : lossSum / samples,
                accuracySamples == 0 ? Double.NaN : (double) correct / accuracySamples, valLoss, valAccuracy,
                optimizer.learningRate(), seconds);
        history.add(m);
        epoch++;
        return m;
    }
}
