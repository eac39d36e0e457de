package org.autoinit.tensor.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads behind {@link Parallel#forChunks}: daemon workers that spin briefly for the next job before parking,
 * so the back-to-back parallel regions of a training step (one or more per op, many lasting only tens of
 * microseconds) are handed over in about a microsecond instead of an executor's tens of microseconds. The calling
 * thread runs chunk 0 and then claims remaining chunks with the workers; it waits (spinning, then yielding) until
 * every chunk has finished. One job at a time: a caller that finds the pool busy (another thread's job, or a
 * nested call) runs its chunks itself.
 */
final class WorkerPool {
    /** How long an idle worker spins for the next job before parking. */
    private static final long SPIN_NANOS = 200_000;

    private static final class Job {
        final Parallel.Chunk task;
        final int chunks, helpers;
        final AtomicInteger next = new AtomicInteger(1);
        final AtomicInteger remaining;
        volatile Throwable error;

        Job(Parallel.Chunk task, int chunks, int helpers) {
            this.task = task;
            this.chunks = chunks;
            this.helpers = helpers;
            this.remaining = new AtomicInteger(chunks);
        }

        /** Claims and runs chunks until none are left. */
        void work() {
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                run(c);
            }
        }

        void run(int c) {
            try {
                task.run(c);
            } catch (Throwable t) {
                if (error == null) error = t;
            } finally {
                remaining.decrementAndGet();
            }
        }
    }

    private final class Worker extends Thread {
        volatile boolean parked;
        private final int index;
        private long seen;

        Worker(int index) {
            super("autoinit-worker-" + (index + 1));
            this.index = index;
            setDaemon(true);
        }

        @Override
        public void run() {
            Parallel.markWorker();
            long idleSince = System.nanoTime();
            for (;;) {
                long g = generation;
                if (g != seen) {
                    seen = g;
                    Job j = job;
                    if (j != null && index < j.helpers) j.work();
                    idleSince = System.nanoTime();
                    continue;
                }
                if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (generation == seen) LockSupport.park(this);
                parked = false;
                idleSince = System.nanoTime();
            }
        }
    }

    private final List<Worker> workers = new ArrayList<>();
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job job;
    private volatile long generation;

    /** Runs {@code task(0..chunks-1)} with up to {@code helpers} workers; returns false (nothing run) if the pool is busy. */
    boolean tryRun(int chunks, int helpers, Parallel.Chunk task) {
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        Job j;
        try {
            ensureWorkers(helpers);
            j = new Job(task, chunks, helpers);
            job = j;
            generation = generation + 1;
            for (int i = 0; i < Math.min(helpers, workers.size()); i++) {
                Worker w = workers.get(i);
                if (w.parked) LockSupport.unpark(w);
            }
            j.run(0);
            j.work();
            long start = System.nanoTime();
            while (j.remaining.get() > 0) {
                if (System.nanoTime() - start < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        } finally {
            job = null;
            busy.set(false);
        }
        Throwable t = j.error;
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error e) throw e;
        if (t != null) throw new IllegalStateException(t);
        return true;
    }

    private void ensureWorkers(int n) {
        while (workers.size() < n) {
            Worker w = new Worker(workers.size());
            workers.add(w);
            w.start();
        }
    }
}
