package org.autoinit.datasets;

import java.util.Arrays;

/** A train/test pair. */
public record Split(Dataset train, Dataset test) {
    public Split {
        if (train == null || test == null) {
            throw new IllegalArgumentException("Split: train and test must not be null");
        }
        if (!Arrays.equals(train.sampleShape(), test.sampleShape()) || train.numClasses() != test.numClasses()) {
            throw new IllegalArgumentException("Split: train (" + train + ") and test (" + test + ") differ in sample shape or classes");
        }
    }

    /**
     * A deterministic stratified split without randomness: within each class, the first
     * {@code floor(trainFraction * count)} samples in file order go to train and the rest to test;
     * both keep file order. For datasets published without a split (MNIST-10k, UCI digits).
     */
    public static Split stratified(Dataset all, double trainFraction) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("Split.stratified: trainFraction must be in (0, 1), got " + trainFraction);
        }
        int[] counts = all.classCounts();
        int[] quota = new int[counts.length];
        int nTrain = 0;
        for (int c = 0; c < counts.length; c++) {
            quota[c] = (int) Math.floor(trainFraction * counts[c]);
            nTrain += quota[c];
        }
        int[] train = new int[nTrain];
        int[] test = new int[all.size() - nTrain];
        int[] seen = new int[counts.length];
        int a = 0, b = 0;
        for (int i = 0; i < all.size(); i++) {
            int c = all.label(i);
            if (seen[c]++ < quota[c]) {
                train[a++] = i;
            } else {
                test[b++] = i;
            }
        }
        return new Split(all.select(train).named(all.name() + "/train"), all.select(test).named(all.name() + "/test"));
    }
}
