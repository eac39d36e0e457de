package org.autoinit.nn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.autoinit.nn.io.Checkpoints;

/**
 * Saves a training checkpoint ({@link Checkpoints#saveTraining}) into one directory every {@code everyEpochs}
 * epochs and after the last one; each save atomically replaces the previous. Resume with
 * {@link Trainer#resume}.
 */
public final class CheckpointListener implements TrainingListener {
    private final Path dir;
    private final int everyEpochs;
    private TrainingRun run;

    public CheckpointListener(Path dir) {
        this(dir, 1);
    }

    public CheckpointListener(Path dir, int everyEpochs) {
        if (everyEpochs < 1) {
            throw new IllegalArgumentException("CheckpointListener: everyEpochs must be >= 1, got " + everyEpochs);
        }
        this.dir = dir;
        this.everyEpochs = everyEpochs;
    }

    @Override
    public void onTrainStart(TrainingRun r) {
        this.run = r;
    }

    @Override
    public void onEpochEnd(int epoch, EpochMetrics metrics) {
        int completed = epoch + 1;
        if (completed % everyEpochs == 0 || completed == run.epochs() || run.stopRequested()) {
            save();
        }
    }

    private void save() {
        try {
            Checkpoints.saveTraining(dir, run.model(), run.optimizer(), run.state());
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint: could not save to " + dir, e);
        }
    }
}
