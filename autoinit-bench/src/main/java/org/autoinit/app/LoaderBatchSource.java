package org.autoinit.app;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.random.RandomGenerator;

import org.autoinit.datasets.Dataset;
import org.autoinit.datasets.batch.BatchIterator;
import org.autoinit.datasets.batch.DataLoader;
import org.autoinit.nn.train.Batch;
import org.autoinit.nn.train.BatchSource;

/**
 * A {@link DataLoader} seen as the trainer's {@link BatchSource}. Each epoch's order and augmentation come
 * from one {@code nextLong()} of the generator the trainer passes (the trainer owns and checkpoints it), so a
 * resumed run sees exactly the batches an uninterrupted one would. An epoch's prefetch thread stops when the
 * epoch is exhausted, when the next epoch starts, or at {@link #close()} (after a training failure).
 */
public final class LoaderBatchSource implements BatchSource, AutoCloseable {
    private final DataLoader loader;
    private BatchIterator current;

    public LoaderBatchSource(DataLoader loader) {
        this.loader = loader;
    }

    /** Shuffled training batches of {@code batchSize} (the last one may be smaller). */
    public static LoaderBatchSource training(Dataset d, int batchSize) {
        return new LoaderBatchSource(DataLoader.builder(d).batchSize(batchSize).shuffle(true).build());
    }

    /** Batches in dataset order, for evaluation. */
    public static LoaderBatchSource inOrder(Dataset d, int batchSize) {
        return new LoaderBatchSource(DataLoader.builder(d).batchSize(batchSize).shuffle(false).build());
    }

    @Override
    public synchronized Iterator<Batch> epoch(int epoch, RandomGenerator rng) {
        close();
        BatchIterator it = loader.epoch(epoch, rng);
        current = it;
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                if (it.hasNext()) {
                    return true;
                }
                it.close();
                return false;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("LoaderBatchSource: epoch " + epoch + " has no more batches");
                }
                org.autoinit.datasets.batch.Batch b = it.next();
                return new Batch(b.x(), b.labels());
            }
        };
    }

    @Override
    public int batchesPerEpoch() {
        return loader.batchesPerEpoch();
    }

    /** Stops the current epoch's prefetch thread, if any. */
    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
