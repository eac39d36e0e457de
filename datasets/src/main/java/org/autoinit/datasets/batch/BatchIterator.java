package org.autoinit.datasets.batch;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.SynchronousQueue;

/**
 * The batches of one epoch of a {@link DataLoader}. With prefetch, one daemon thread prepares batch
 * {@code b + 1} while the caller works on batch {@code b} (a synchronous hand-off, so at most one batch
 * is prepared ahead). A failure while preparing a batch is thrown from {@link #next()} when the caller
 * reaches that batch, as an {@link IllegalStateException} whose cause is the original exception; the
 * same happens without prefetch, so behaviour does not depend on it. {@link #close()} stops the thread.
 */
public final class BatchIterator implements Iterator<Batch>, AutoCloseable {
    private final DataLoader loader;
    private final int epoch;
    private final long epochSeed;
    private final int[] order;
    private final int numBatches;
    private final SynchronousQueue<Object> handoff;
    private final Thread worker;
    private int next;
    private volatile boolean closed;

    /** What the prefetch thread hands over when preparing a batch failed. */
    private record Failure(Throwable error) {}

    BatchIterator(DataLoader loader, int epoch, long epochSeed, boolean prefetch) {
        this.loader = loader;
        this.epoch = epoch;
        this.epochSeed = epochSeed;
        this.order = loader.order(epochSeed);
        this.numBatches = loader.batchesPerEpoch();
        if (prefetch && numBatches > 0) {
            this.handoff = new SynchronousQueue<>();
            this.worker = new Thread(this::prefetchLoop, "autoinit-prefetch-" + loader.dataset().name() + "-epoch-" + epoch);
            this.worker.setDaemon(true);
            this.worker.start();
        } else {
            this.handoff = null;
            this.worker = null;
        }
    }

    private void prefetchLoop() {
        for (int b = 0; b < numBatches && !closed; b++) {
            Object item;
            try {
                item = loader.prepare(epoch, epochSeed, b, order);
            } catch (Throwable t) { // handed to the caller, who decides
                item = new Failure(t);
            }
            try {
                handoff.put(item);
            } catch (InterruptedException e) {
                return; // close() was called
            }
            if (item instanceof Failure) {
                return;
            }
        }
    }

    /** Number of batches this epoch yields in total. */
    public int numBatches() {
        return numBatches;
    }

    @Override
    public boolean hasNext() {
        return !closed && next < numBatches;
    }

    @Override
    public Batch next() {
        if (closed) {
            throw new IllegalStateException("BatchIterator: epoch " + epoch + " was closed");
        }
        if (next >= numBatches) {
            throw new NoSuchElementException("BatchIterator: epoch " + epoch + " has only " + numBatches + " batches");
        }
        int b = next++;
        Object item;
        if (worker == null) {
            try {
                item = loader.prepare(epoch, epochSeed, b, order);
            } catch (RuntimeException | Error e) {
                item = new Failure(e);
            }
        } else {
            try {
                item = handoff.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("BatchIterator: interrupted while waiting for batch " + b + " of epoch " + epoch, e);
            }
        }
        if (item instanceof Failure f) {
            next = numBatches;
            throw new IllegalStateException("BatchIterator: preparing batch " + b + " of epoch " + epoch + " of '"
                    + loader.dataset().name() + "' failed: " + f.error(), f.error());
        }
        return (Batch) item;
    }

    /** Stops the prefetch thread (waiting for it to finish the batch it is on); idempotent. */
    @Override
    public void close() {
        closed = true;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
