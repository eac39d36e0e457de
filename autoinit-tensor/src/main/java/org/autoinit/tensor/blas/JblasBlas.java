package org.autoinit.tensor.blas;

import java.util.concurrent.locks.ReentrantLock;

import org.jblas.NativeBlas;
import org.jblas.util.Logger;

/**
 * jblas's bundled OpenBLAS (column-major Fortran BLAS). A row-major product {@code C = op(A) op(B)} is the
 * column-major product {@code C^T = op(B)^T op(A)^T}, so operands are passed swapped, with the same
 * transpose flags and no copies.
 *
 * <p>Facts about jblas 1.2.5 that {@link GemmRunner} works around: each call copies every Java array
 * whole into native memory and copies C back whole (so concurrent calls must not share a C array, and a
 * small slice of a large array should be copied out first); inputs are not copied back; the bundled
 * OpenBLAS is single-threaded, and not safe to call from two threads at once: its buffer allocator claims
 * a slot without a lock, so two concurrent calls can share packing buffers and silently return wrong
 * results (seen here, rarely). Calls are therefore serialized.
 */
public final class JblasBlas implements Blas {
    static {
        // jblas logs at INFO every temporary file it extracts and deletes; keep its warnings and errors only.
        Logger.getLogger().setLevel(Logger.WARNING);
    }

    private static final ReentrantLock NATIVE = new ReentrantLock();

    @Override
    public int maxConcurrentCalls() {
        return 1;
    }

    @Override
    public String name() {
        return "jblas";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        NATIVE.lock();
        try {
            NativeBlas.sgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k, 1f,
                    b, bOff, transB ? Math.max(1, k) : Math.max(1, n),
                    a, aOff, transA ? Math.max(1, m) : Math.max(1, k),
                    beta, c, cOff, Math.max(1, n));
        } finally {
            NATIVE.unlock();
        }
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k,
                      double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff) {
        NATIVE.lock();
        try {
            NativeBlas.dgemm(transB ? 'T' : 'N', transA ? 'T' : 'N', n, m, k, 1.0,
                    b, bOff, transB ? Math.max(1, k) : Math.max(1, n),
                    a, aOff, transA ? Math.max(1, m) : Math.max(1, k),
                    beta, c, cOff, Math.max(1, n));
        } finally {
            NATIVE.unlock();
        }
    }
}
