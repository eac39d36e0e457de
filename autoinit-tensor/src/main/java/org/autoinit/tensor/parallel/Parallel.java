package org.autoinit.tensor.parallel;

/**
 * Splits loops over the cores. The calling thread runs the first chunk itself; other chunks go to a
 * small pool of daemon workers that spin briefly between jobs ({@link WorkerPool}), so handing a loop over
 * costs about a microsecond. Loops shorter than their grain run inline, so small tensors pay no threading
 * cost. Nested calls from a worker run inline (no oversubscription).
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
    private static final WorkerPool POOL = new WorkerPool();

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

    /**
     * Runs {@code task(0..chunks-1)} concurrently, chunk 0 on the calling thread, the rest shared by the calling
     * thread and up to {@link #threads()} - 1 workers; rethrows the first failure. Runs every chunk on the calling
     * thread when one thread is configured, inside a worker, or while another parallel loop holds the workers.
     */
    public static void forChunks(int chunks, Chunk task) {
        int helpers = Math.min(threads, chunks) - 1;
        if (chunks <= 1 || helpers < 1 || IN_WORKER.get() || !POOL.tryRun(chunks, helpers, task)) {
            for (int c = 0; c < chunks; c++) {
                task.run(c);
            }
        }
    }

    /** Marks the current thread as a pool worker (nested loops then run inline). */
    static void markWorker() {
        IN_WORKER.set(true);
    }
}
