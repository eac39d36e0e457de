package org.autoinit.tensor.blas;

/**
 * Pure-Java GEMM: blocked, cache-tiled kernels ({@link JavaSgemm}, {@link JavaDgemm}) that the JIT
 * vectorizes. Single-threaded per call; {@link Gemm} splits large problems over threads, and because every
 * element is summed in the same order however the problem is split, the result does not depend on the
 * thread count. Used when the native library cannot load, or when forced with {@code autoinit.blas=java}.
 */
public final class JavaBlas implements Blas {
    @Override
    public String name() {
        return "java";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        JavaSgemm.gemm(m, n, k, a, aOff, transA ? 1 : k, transA ? m : 1, b, bOff, transB ? 1 : n, transB ? k : 1,
                beta, c, cOff, n, 1);
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k,
                      double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff) {
        JavaDgemm.gemm(m, n, k, a, aOff, transA ? 1 : k, transA ? m : 1, b, bOff, transB ? 1 : n, transB ? k : 1,
                beta, c, cOff, n, 1);
    }
}
