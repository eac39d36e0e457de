package org.autoinit.datasets.batch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.autoinit.datasets.Dataset;
import org.autoinit.datasets.transform.BatchTransform;
import org.autoinit.datasets.transform.Shuffle;
import org.autoinit.tensor.Tensor;

/**
 * Cuts a dataset into mini-batches, epoch after epoch:
 * <pre>
 * DataLoader loader = DataLoader.builder(train).batchSize(128).shuffle(true).seed(42)
 *         .transforms(new RandomCrop(4), new HorizontalFlip(), normalizer).build();
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     try (BatchIterator it = loader.epoch(epoch)) {
 *         while (it.hasNext()) { Batch b = it.next(); ... }
 *     }
 * }
 * </pre>
 * Batch {@code b} of epoch {@code e} depends only on an epoch seed and b: the epoch's order is a
 * permutation drawn from a generator seeded with {@code mix(epochSeed, -1)}, and the random transforms of
 * batch b draw from one seeded with {@code mix(epochSeed, b)}. With {@link #epoch(int)} the epoch seed
 * is {@code mix(seed, e)}; with {@link #epoch(int, RandomGenerator)} it is one {@code nextLong()} of the
 * caller's generator (for trainers that own and checkpoint their randomness). So results are the same
 * with or without prefetch, and an epoch can be replayed on its own. Transforms run in the order given
 * (put {@code Flatten} last).
 */
public final class DataLoader {
    private final Dataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final Long seed;
    private final boolean dropLast;
    private final boolean prefetch;
    private final List<BatchTransform> transforms;
    private final int[] outputShape;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seedSet;
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
        this.transforms = List.copyOf(b.transforms);
        int[] shape = dataset.sampleShape();
        for (BatchTransform t : transforms) {
            shape = t.outputShape(shape);
        }
        this.outputShape = shape;
    }

    public static Builder builder(Dataset dataset) {
        return new Builder(dataset);
    }

    /** Builder; {@link #batchSize} is required, and {@link #seed} when shuffling with {@link #epoch(int)}. */
    public static final class Builder {
        private final Dataset dataset;
        private int batchSize = -1;
        private boolean shuffle;
        private Long seedSet;
        private boolean dropLast;
        private boolean prefetch = true;
        private final List<BatchTransform> transforms = new ArrayList<>();

        private Builder(Dataset dataset) {
            if (dataset == null) {
                throw new IllegalArgumentException("DataLoader: dataset must not be null");
            }
            this.dataset = dataset;
        }

        public Builder batchSize(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("DataLoader: batch size must be positive, got " + n);
            }
            this.batchSize = n;
            return this;
        }

        /** Visit samples in a new random order each epoch (default: dataset order). */
        public Builder shuffle(boolean on) {
            this.shuffle = on;
            return this;
        }

        /** Seed of the shuffling and of random transforms used by {@link #epoch(int)} (default 0 without shuffle). */
        public Builder seed(long s) {
            this.seedSet = s;
            return this;
        }

        /** Drop the last batch of an epoch if it is smaller than the batch size (default: keep it). */
        public Builder dropLast(boolean on) {
            this.dropLast = on;
            return this;
        }

        /** Prepare the next batch on a background thread while the current one is used (default: on). */
        public Builder prefetch(boolean on) {
            this.prefetch = on;
            return this;
        }

        public Builder transforms(BatchTransform... ts) {
            transforms.addAll(Arrays.asList(ts));
            return this;
        }

        public DataLoader build() {
            if (batchSize < 0) {
                throw new IllegalStateException("DataLoader: batchSize(int) is required");
            }
            return new DataLoader(this);
        }
    }

    public Dataset dataset() {
        return dataset;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Per-sample shape of the batches, after the transforms. */
    public int[] sampleShape() {
        return outputShape.clone();
    }

    /** Number of batches in each epoch. */
    public int batchesPerEpoch() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * An iterator over the batches of one epoch, randomized by the loader's seed; close it
     * (try-with-resources) to stop its prefetch thread.
     */
    public BatchIterator epoch(int epoch) {
        checkEpoch(epoch);
        if (shuffle && seed == null) {
            throw new IllegalStateException("DataLoader: shuffle(true) needs an explicit seed(long) so runs are reproducible,"
                    + " or pass a generator to epoch(int, RandomGenerator)");
        }
        return new BatchIterator(this, epoch, mix(seed == null ? 0 : seed, epoch), prefetch);
    }

    /**
     * An iterator over the batches of one epoch, randomized by one {@code nextLong()} drawn from
     * {@code rng} now, on the calling thread (the loader's own seed is not used).
     */
    public BatchIterator epoch(int epoch, RandomGenerator rng) {
        checkEpoch(epoch);
        return new BatchIterator(this, epoch, rng.nextLong(), prefetch);
    }

    private static void checkEpoch(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("DataLoader.epoch: epoch must be >= 0, got " + epoch);
        }
    }

    /** The order in which the samples of an epoch are visited. */
    int[] order(long epochSeed) {
        if (!shuffle) {
            int[] p = new int[dataset.size()];
            Arrays.setAll(p, i -> i);
            return p;
        }
        return Shuffle.permutation(dataset.size(), new SplittableRandom(mix(epochSeed, -1)));
    }

    /** Builds batch {@code b} of an epoch from the given order. */
    Batch prepare(int epoch, long epochSeed, int b, int[] order) {
        int from = b * batchSize;
        int n = Math.min(batchSize, order.length - from);
        int[] indices = Arrays.copyOfRange(order, from, from + n);
        float[] buf = new float[n * dataset.sampleSize()];
        dataset.gather(indices, buf);
        int[] shape = dataset.sampleShape();
        RandomGenerator rng = new SplittableRandom(mix(epochSeed, b));
        for (BatchTransform t : transforms) {
            int[] next = t.outputShape(shape);
            buf = t.apply(buf, n, shape, rng);
            long expect = (long) n * Arrays.stream(next).asLongStream().reduce(1, (p, q) -> p * q);
            if (buf.length != expect) {
                throw new IllegalStateException(t.getClass().getSimpleName() + " returned " + buf.length + " values for "
                        + n + " samples of shape " + Arrays.toString(next));
            }
            shape = next;
        }
        int[] full = new int[shape.length + 1];
        full[0] = n;
        System.arraycopy(shape, 0, full, 1, shape.length);
        return new Batch(Tensor.of(buf, full), dataset.labels(indices), indices, epoch, b);
    }

    /** SplitMix64's finalizer over a combination of two values: well-spread, distinct seeds per (a, b). */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
