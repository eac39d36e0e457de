package org.autoinit.nn.train;

/**
 * Observes a training run; progress display, checkpoints and early stopping are listeners. All methods
 * default to doing nothing. Epochs count from 0; {@code step} is the number of optimizer steps taken.
 */
public interface TrainingListener {
    /** Before the first batch; keep {@code run} to read the model, optimizer and position, or to request a stop. */
    default void onTrainStart(TrainingRun run) {}

    /** After each optimizer step, with that batch's loss and accuracy and the epoch's running throughput. */
    default void onBatchEnd(long step, double loss, double accuracy, double samplesPerSec) {}

    /** After each epoch's validation, once its metrics are in the history. */
    default void onEpochEnd(int epoch, EpochMetrics metrics) {}

    /** After the last epoch (or an early stop); not called when training throws. */
    default void onTrainEnd(History history) {}
}
