package org.autoinit.tensor.blas;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Entry point for matrix products: picks the backend once (jblas when its native library loads, else
 * pure Java) and forwards calls. The backend can be forced with the system property
 * {@code autoinit.blas=java|jblas}.
 */
public final class Gemm {
    private static final Logger LOG = System.getLogger(Gemm.class.getName());
    private static volatile Blas backend;

    private Gemm() {}

    /** The backend in use (loaded on first call). */
    public static Blas backend() {
        Blas b = backend;
        if (b == null) {
            synchronized (Gemm.class) {
                if (backend == null) {
                    backend = load();
                }
                b = backend;
            }
        }
        return b;
    }

    /** Replaces the backend (tests compare backends this way). */
    public static synchronized void setBackend(Blas b) {
        backend = b;
    }

    private static Blas load() {
        String forced = System.getProperty("autoinit.blas", "").trim();
        if (forced.equals("java")) {
            return new JavaBlas();
        }
        try {
            Blas j = new JblasBlas();
            // Force the native library to load now, so a failure falls back here rather than mid-training.
            j.sgemm(false, false, 1, 1, 1, new float[] {1}, 0, new float[] {1}, 0, 0f, new float[1], 0);
            return j;
        } catch (LinkageError | RuntimeException e) {
            if (forced.equals("jblas")) {
                throw new IllegalStateException("autoinit.blas=jblas but the jblas native library failed to load: " + e, e);
            }
            LOG.log(Level.WARNING, "jblas native library could not be loaded (" + e
                    + "); using the pure-Java GEMM, which is several times slower. On Debian/Ubuntu: apt-get install libgfortran5");
            return new JavaBlas();
        }
    }

    /** Row-major {@code C = op(A) op(B) + beta C} in float32; see {@link Blas}. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        if (m == 0 || n == 0) return;
        backend().sgemm(transA, transB, m, n, k, a, aOff, b, bOff, beta, c, cOff);
    }

    /** Row-major {@code C = op(A) op(B) + beta C} in float64; see {@link Blas}. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff) {
        if (m == 0 || n == 0) return;
        backend().dgemm(transA, transB, m, n, k, a, aOff, b, bOff, beta, c, cOff);
    }
}
