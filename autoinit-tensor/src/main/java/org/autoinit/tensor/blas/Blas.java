package org.autoinit.tensor.blas;

/**
 * Row-major general matrix multiply {@code C = op(A) op(B) + beta C}, where {@code op(A)} is m x k and
 * {@code op(B)} is k x n. A transposed operand is stored as its transpose (k x m, n x k), row-major and
 * contiguous from its offset. Implementations must be safe to call from several threads at once as long
 * as each call writes its own C array.
 */
public interface Blas {
    /** Short name, e.g. "jblas" or "java". */
    String name();

    /** How many calls can usefully run at once ({@link Gemm} splits a product over at most this many threads). */
    default int maxConcurrentCalls() {
        return Integer.MAX_VALUE;
    }

    void sgemm(boolean transA, boolean transB, int m, int n, int k,
               float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff);

    void dgemm(boolean transA, boolean transB, int m, int n, int k,
               double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff);
}
