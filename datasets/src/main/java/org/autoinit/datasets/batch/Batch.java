package org.autoinit.datasets.batch;

import org.autoinit.tensor.Tensor;

/**
 * One mini-batch: features {@code x} as a float32 tensor {@code [B, ...sampleShape]} (after the
 * loader's transforms), the class label of each row, and which dataset samples the rows are.
 *
 * @param epoch the epoch this batch belongs to
 * @param index the batch's position within its epoch (0-based)
 */
public record Batch(Tensor x, int[] labels, int[] indices, int epoch, int index) {
    /** Number of samples in the batch. */
    public int size() {
        return labels.length;
    }
}
