package org.autoinit.datasets.transform;

import java.util.random.RandomGenerator;

import org.autoinit.datasets.Dataset;

/** Seeded shuffling: the same generator state gives the same order, on any machine. */
public final class Shuffle {
    private Shuffle() {}

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates, drawing {@code nextInt(i + 1)} for i = n-1 .. 1). */
    public static int[] permutation(int n, RandomGenerator rng) {
        if (n < 0) {
            throw new IllegalArgumentException("Shuffle.permutation: n must be >= 0, got " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** The dataset's samples in a random order (a copy). */
    public static Dataset shuffled(Dataset d, RandomGenerator rng) {
        return d.select(permutation(d.size(), rng));
    }
}
