package org.autoinit.datasets.transform;

import java.util.random.RandomGenerator;

/**
 * A transform applied to a batch of samples stored one after another in a float array, as the
 * {@link org.autoinit.datasets.batch.BatchIterator} prepares them. Random transforms draw only from the
 * generator passed in, which the iterator derives from its seed, the epoch and the batch number, so
 * results do not depend on threads or timing.
 */
public interface BatchTransform {
    /** Per-sample shape after this transform, given the shape before it (default: unchanged). */
    default int[] outputShape(int[] sampleShape) {
        return sampleShape.clone();
    }

    /**
     * Transforms {@code batchSize} samples of shape {@code sampleShape}; may work in place and return
     * {@code batch}, or return a new array holding {@code batchSize} samples of {@link #outputShape}.
     */
    float[] apply(float[] batch, int batchSize, int[] sampleShape, RandomGenerator rng);

    /** Checks the sample shape is channel-first image-like {@code [C, H, W]}. */
    static void requireImage(String op, int[] sampleShape) {
        if (sampleShape.length != 3) {
            throw new IllegalArgumentException(op + ": sample shape " + java.util.Arrays.toString(sampleShape)
                    + " must have rank 3 (C, H, W)");
        }
    }
}
