package org.autoinit.nn.train;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.random.RandomGenerator;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * Mini-batches, one pass per epoch. The trainer passes the epoch number and a generator it owns (and
 * checkpoints) for shuffling and augmentation, so a resumed run sees exactly the batches an uninterrupted
 * run would have seen. A source must draw randomness only from that generator.
 */
public interface BatchSource {
    /** The batches of one epoch (0-based), drawing any randomness from {@code rng}. */
    Iterator<Batch> epoch(int epoch, RandomGenerator rng);

    /** Batches per epoch, or -1 when unknown (progress bars then show no ETA). */
    default int batchesPerEpoch() {
        return -1;
    }

    /** The same fixed batches every epoch. */
    static BatchSource of(List<Batch> batches) {
        List<Batch> copy = List.copyOf(batches);
        return new BatchSource() {
            @Override
            public Iterator<Batch> epoch(int epoch, RandomGenerator rng) {
                return copy.iterator();
            }

            @Override
            public int batchesPerEpoch() {
                return copy.size();
            }
        };
    }

    /**
     * Batches of {@code batchSize} rows of an in-memory dataset ({@code x} has one row per label), reshuffled
     * every epoch with a Fisher-Yates permutation when {@code shuffle}; the last batch may be smaller.
     */
    static BatchSource inMemory(Tensor x, int[] labels, int batchSize, boolean shuffle) {
        if (x.rank() < 1 || x.dim(0) != labels.length) {
            throw new IllegalArgumentException("BatchSource.inMemory: inputs of shape " + Arrays.toString(x.shape()) + " but "
                    + labels.length + " labels");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("BatchSource.inMemory: batch size must be >= 1, got " + batchSize);
        }
        int n = labels.length;
        int rowSize = n == 0 ? 0 : x.numel() / n;
        int[] shape = x.shape();
        return new BatchSource() {
            @Override
            public Iterator<Batch> epoch(int epoch, RandomGenerator rng) {
                int[] order = new int[n];
                for (int i = 0; i < n; i++) order[i] = i;
                if (shuffle) {
                    for (int i = n - 1; i > 0; i--) {
                        int j = rng.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                }
                // Lazy: one batch is copied out at a time, never the whole epoch.
                return new Iterator<>() {
                    private int start;

                    @Override
                    public boolean hasNext() {
                        return start < n;
                    }

                    @Override
                    public Batch next() {
                        if (!hasNext()) {
                            throw new java.util.NoSuchElementException("BatchSource: epoch " + epoch + " has no more batches");
                        }
                        int m = Math.min(batchSize, n - start);
                        int[] bs = shape.clone();
                        bs[0] = m;
                        Tensor bx = Tensor.zeros(x.dtype(), bs);
                        int[] by = new int[m];
                        for (int r = 0; r < m; r++) {
                            int src = order[start + r];
                            by[r] = labels[src];
                            if (x.dtype() == DType.FLOAT32) {
                                System.arraycopy(x.floatData(), src * rowSize, bx.floatData(), r * rowSize, rowSize);
                            } else {
                                System.arraycopy(x.doubleData(), src * rowSize, bx.doubleData(), r * rowSize, rowSize);
                            }
                        }
                        start += m;
                        return new Batch(bx, by);
                    }
                };
            }

            @Override
            public int batchesPerEpoch() {
                return (n + batchSize - 1) / batchSize;
            }
        };
    }
}
