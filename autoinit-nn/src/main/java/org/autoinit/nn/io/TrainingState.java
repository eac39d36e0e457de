package org.autoinit.nn.io;

import java.util.List;
import java.util.Map;

/**
 * The position of a training run besides weights and optimizer state, as a training checkpoint stores it.
 *
 * @param epoch        completed epochs (the epoch a resumed run starts with)
 * @param step         optimizer steps taken (the learning-rate schedule position)
 * @param learningRate the rate of the last step (informative; schedules recompute it from {@code step})
 * @param dataRng      state of the data-order generator (4 longs, see Xoshiro256)
 * @param dropoutRng   state of the dropout generator
 * @param history      per-epoch metrics so far, as JSON-ready maps
 */
public record TrainingState(int epoch, long step, double learningRate, long[] dataRng, long[] dropoutRng,
                            List<Map<String, Object>> history) {
    public TrainingState {
        if (epoch < 0 || step < 0) {
            throw new IllegalArgumentException("TrainingState: epoch and step must be >= 0, got " + epoch + ", " + step);
        }
        if (dataRng.length != 4 || dropoutRng.length != 4) {
            throw new IllegalArgumentException("TrainingState: generator states must have 4 words");
        }
        dataRng = dataRng.clone();
        dropoutRng = dropoutRng.clone();
        history = List.copyOf(history);
    }
}
