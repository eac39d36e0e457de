package org.autoinit.datasets.transform;

import java.util.random.RandomGenerator;

/** Mirrors each {@code [C, H, W]} image left-right with the given probability, decided per sample. */
public final class HorizontalFlip implements BatchTransform {
    private final double probability;

    public HorizontalFlip(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("HorizontalFlip: probability must be in [0, 1], got " + probability);
        }
        this.probability = probability;
    }

    /** Flips with probability 1/2. */
    public HorizontalFlip() {
        this(0.5);
    }

    @Override
    public float[] apply(float[] batch, int batchSize, int[] sampleShape, RandomGenerator rng) {
        BatchTransform.requireImage("HorizontalFlip", sampleShape);
        int c = sampleShape[0], h = sampleShape[1], w = sampleShape[2];
        for (int s = 0; s < batchSize; s++) {
            // Always draw, so each sample consumes the same randomness whatever the outcome.
            if (rng.nextDouble() >= probability) {
                continue;
            }
            for (int row = 0; row < c * h; row++) {
                int base = (s * c * h + row) * w;
                for (int i = 0, j = w - 1; i < j; i++, j--) {
                    float t = batch[base + i];
                    batch[base + i] = batch[base + j];
                    batch[base + j] = t;
                }
            }
        }
        return batch;
    }
}
