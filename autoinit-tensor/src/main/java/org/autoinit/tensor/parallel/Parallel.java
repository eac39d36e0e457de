package org.autoinit.tensor.parallel;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits loops over the cores. The calling thread runs the first chunk itself; other chunks go to a
 * small pool of daemon workers. Loops shorter than their grain run inline, so small tensors pay no
 * threading cost. Nested calls from a worker run inline (no oversubscription).
 *
 * <p>The thread count defaults to the number of processors, can be set with the system property
 * {@code autoinit.threads} or {@link #setThreads(int)}.
 */
public final class Parallel {
    /** Body of a parallel loop over {@code [from, to)}. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> false);
    private static volatile int threads = initialThreads();
    private static volatile ExecutorService pool;

    private Parallel() {}

    private static int initialThreads() {
        String p = System.getProperty("autoinit.threads");
        if (p != null) {
            try {
                return Math.max(1, Integer.parseInt(p.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("system property autoinit.threads must be a positive integer, got '" + p + "'", e);
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Number of threads parallel loops (and split GEMMs) use. */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads (>= 1) used from now on. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("setThreads: thread count must be >= 1, got " + n);
        }
        threads = n;
    }

    private static ExecutorService pool() {
        ExecutorService p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) {
                    AtomicInteger count = new AtomicInteger();
                    ThreadFactory tf = r -> {
                        Thread t = new Thread(() -> {
                            IN_WORKER.set(true);
                            r.run();
                        }, "autoinit-worker-" + count.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    };
                    pool = Executors.newCachedThreadPool(tf);
                }
                p = pool;
            }
        }
        return p;
    }

    /** True when called from one of the pool's workers. */
    public static boolean inWorker() {
        return IN_WORKER.get();
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} contiguous chunks; inline
     * when {@code n < grain}, when one thread is configured, or when already inside a worker.
     */
    public static void forRange(int n, int grain, Range body) {
        int t = threads;
        if (n <= 0) {
            return;
        }
        int chunks = (int) Math.min(t, Math.max(1L, (long) n / Math.max(1, grain)));
        if (chunks <= 1 || IN_WORKER.get()) {
            body.run(0, n);
            return;
        }
        forChunks(chunks, c -> {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            body.run(from, to);
        });
    }

    /** Body of a task indexed by chunk number. */
    @FunctionalInterface
    public interface Chunk {
        void run(int chunk);
    }

    /** Runs {@code task(0..chunks-1)} concurrently, chunk 0 on the calling thread; rethrows the first failure. */
    public static void forChunks(int chunks, Chunk task) {
        if (chunks == 1 || IN_WORKER.get()) {
            for (int c = 0; c < chunks; c++) {
                task.run(c);
            }
            return;
        }
        Future<?>[] futures = new Future<?>[chunks];
        ExecutorService p = pool();
        for (int c = 1; c < chunks; c++) {
            int cc = c;
            futures[c] = p.submit(() -> task.run(cc));
        }
        RuntimeException first = null;
        try {
            task.run(0);
        } catch (RuntimeException e) {
            first = e;
        }
        for (int c = 1; c < chunks; c++) {
            try {
                futures[c].get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a parallel chunk", e);
            } catch (java.util.concurrent.ExecutionException e) {
                if (first == null) {
                    Throwable cause = e.getCause();
                    first = cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
