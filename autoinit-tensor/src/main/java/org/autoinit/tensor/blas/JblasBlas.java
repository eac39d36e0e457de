package org.autoinit.tensor.blas;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CopyOnWriteArrayList;

import org.autoinit.tensor.parallel.Parallel;

/**
 * jblas's bundled OpenBLAS (column-major Fortran BLAS). A row-major product {@code C = op(A) op(B)} is the
 * column-major product {@code C^T = op(B)^T op(A)^T}, so operands are passed swapped, with the same
 * transpose flags and no copies.
 *
 * <p>Facts about jblas 1.2.5 that this class and {@link GemmRunner} work around: each call copies every
 * Java array whole into native memory and copies C back whole (so concurrent calls must not share a C
 * array, and a small slice of a large array should be copied out first); inputs are not copied back; the
 * bundled OpenBLAS is single-threaded and unsafe to enter from two threads at once. So each call runs on
 * a {@link JblasInstance} it holds exclusively; up to {@link Parallel#threads()} independent copies of the
 * library are loaded on demand, so that many threads can still run products at once.
 */
public final class JblasBlas implements Blas {
    private static final Logger LOG = System.getLogger(JblasBlas.class.getName());

    static {
        // jblas logs at INFO every temporary file it extracts and deletes; keep its warnings and errors only.
        org.jblas.util.Logger.getLogger().setLevel(org.jblas.util.Logger.WARNING);
    }

    /** Library copies of the whole process (shared by every JblasBlas: the primary copy is one per JVM). */
    private static final CopyOnWriteArrayList<JblasInstance> INSTANCES = new CopyOnWriteArrayList<>();
    private static volatile boolean noMoreCopies;

    /** Loads the native library; throws (LinkageError or IllegalStateException) when it cannot. */
    public JblasBlas() {
        synchronized (JblasBlas.class) {
            if (INSTANCES.isEmpty()) {
                try {
                    INSTANCES.add(JblasInstance.primary());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("jblas: cannot bind org.jblas.NativeBlas", e);
                }
            }
        }
    }

    @Override
    public String name() {
        return "jblas";
    }

    @Override
    public int maxConcurrentCalls() {
        return noMoreCopies ? INSTANCES.size() : Math.max(INSTANCES.size(), Parallel.threads());
    }

    /** Number of library copies loaded so far. */
    static int copies() {
        return INSTANCES.size();
    }

    /** A library copy no other thread is using, locked by the caller; loads another copy when all are busy. */
    static JblasInstance acquire() {
        for (JblasInstance in : INSTANCES) {
            if (in.lock.tryLock()) {
                return in;
            }
        }
        if (!noMoreCopies && INSTANCES.size() < Parallel.threads()) {
            synchronized (JblasBlas.class) {
                if (!noMoreCopies && INSTANCES.size() < Parallel.threads()) {
                    try {
                        JblasInstance in = JblasInstance.isolated();
                        in.lock.lock();
                        INSTANCES.add(in);
                        return in;
                    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                        noMoreCopies = true;
                        LOG.log(Level.WARNING, "jblas: could not load another copy of the native library (" + e
                                + "); native products will run one at a time");
                    }
                }
            }
        }
        JblasInstance in = INSTANCES.get((int) (Thread.currentThread().getId() % INSTANCES.size()));
        in.lock.lock();
        return in;
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        JblasInstance in = acquire();
        try {
            in.sgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k, 1f,
                    b, bOff, transB ? Math.max(1, k) : Math.max(1, n),
                    a, aOff, transA ? Math.max(1, m) : Math.max(1, k),
                    beta, c, cOff, Math.max(1, n));
        } finally {
            in.lock.unlock();
        }
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k,
                      double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff) {
        JblasInstance in = acquire();
        try {
            in.dgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k, 1.0,
                    b, bOff, transB ? Math.max(1, k) : Math.max(1, n),
                    a, aOff, transA ? Math.max(1, m) : Math.max(1, k),
                    beta, c, cOff, Math.max(1, n));
        } finally {
            in.lock.unlock();
        }
    }
}
