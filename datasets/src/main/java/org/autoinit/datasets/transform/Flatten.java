package org.autoinit.datasets.transform;

import java.util.random.RandomGenerator;

import org.autoinit.datasets.Dataset;

/** Reshapes each sample to one dimension ({@code [1, 28, 28] -> [784]}); the data is already contiguous. */
public final class Flatten implements BatchTransform {
    @Override
    public int[] outputShape(int[] sampleShape) {
        int n = 1;
        for (int d : sampleShape) {
            n *= d;
        }
        return new int[] {n};
    }

    @Override
    public float[] apply(float[] batch, int batchSize, int[] sampleShape, RandomGenerator rng) {
        return batch;
    }

    /** The same dataset with flat samples (shares the feature array). */
    public static Dataset apply(Dataset d) {
        return d.withFeatures(d.rawFeatures(), new int[] {d.sampleSize()});
    }
}
