package org.autoinit.tensor.blas;

/**
 * Pure-Java GEMM, used when the native library cannot load. Loops are ordered so the innermost loop runs
 * over contiguous rows of B and C (auto-vectorized by the JIT); transposed operands are first copied to
 * plain layout. Single-threaded: {@link Gemm} splits large problems over threads.
 */
public final class JavaBlas implements Blas {
    @Override
    public String name() {
        return "java";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        float[] bp = b;
        int bo = bOff;
        if (transB) {
            bp = new float[k * n];
            for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) bp[p * n + j] = b[bOff + j * k + p];
            bo = 0;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            if (beta == 0f) {
                java.util.Arrays.fill(c, ci, ci + n, 0f);
            } else if (beta != 1f) {
                for (int j = 0; j < n; j++) c[ci + j] *= beta;
            }
            for (int p = 0; p < k; p++) {
                float av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                if (av == 0f) continue;
                int bi = bo + p * n;
                for (int j = 0; j < n; j++) c[ci + j] += av * bp[bi + j];
            }
        }
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k,
                      double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff) {
        double[] bp = b;
        int bo = bOff;
        if (transB) {
            bp = new double[k * n];
            for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) bp[p * n + j] = b[bOff + j * k + p];
            bo = 0;
        }
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * n;
            if (beta == 0) {
                java.util.Arrays.fill(c, ci, ci + n, 0);
            } else if (beta != 1) {
                for (int j = 0; j < n; j++) c[ci + j] *= beta;
            }
            for (int p = 0; p < k; p++) {
                double av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
                if (av == 0) continue;
                int bi = bo + p * n;
                for (int j = 0; j < n; j++) c[ci + j] += av * bp[bi + j];
            }
        }
    }
}
