package org.autoinit.nn.train;

import java.util.Arrays;

import org.autoinit.tensor.Tensor;

/** One mini-batch: inputs {@code x} with a leading batch dimension and one class label per sample. */
public record Batch(Tensor x, int[] labels) {
    public Batch {
        if (x.rank() < 1 || x.dim(0) != labels.length) {
            throw new IllegalArgumentException("Batch: inputs of shape " + Arrays.toString(x.shape()) + " but " + labels.length + " labels");
        }
    }

    /** Number of samples. */
    public int size() {
        return labels.length;
    }
}
