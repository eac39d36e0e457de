package org.autoinit.tensor.blas;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Locale;
import java.util.Optional;

/**
 * Entry point for matrix products: picks the backend once and runs each product on it, split over the
 * cores when large (see {@link GemmRunner}). Default: {@link VectorBlas} (float32 on the JDK Vector API,
 * float64 on jblas) when the JVM has {@code jdk.incubator.vector}; else jblas when its native library
 * loads; else pure Java. Forced with the system property {@code autoinit.blas=vector|jblas|java}.
 *
 * <p>Safe to call from many threads at once, including calls that write disjoint parts of one C array.
 * For a given backend and thread count the result is deterministic (same inputs, same bits).
 */
public final class Gemm {
    private static final Logger LOG = System.getLogger(Gemm.class.getName());
    private static volatile Blas backend;
    /** Why the pure-Java backend is in use, when it was not asked for; null otherwise. */
    private static volatile String fallbackReason;
    /** Why the Vector API backend is not in use, when it was not disabled; null otherwise. */
    private static volatile String vectorUnavailable;

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

    /** Why jblas was not used although not disabled ({@code autoinit.blas=java}); null when it was not a fallback. */
    static String fallbackReason() {
        backend();
        return fallbackReason;
    }

    private static Blas load() {
        String forced = System.getProperty("autoinit.blas", "").trim().toLowerCase(Locale.ROOT);
        if (!forced.isEmpty() && !forced.equals("jblas") && !forced.equals("java") && !forced.equals("vector")) {
            throw new IllegalStateException("system property autoinit.blas must be 'vector', 'jblas' or 'java', got '" + forced + "'");
        }
        Blas base = forced.equals("java") ? new JavaBlas() : loadJblas(forced.equals("jblas"));
        if (forced.equals("java") || forced.equals("jblas")) {
            return base;
        }
        StringBuilder whyNot = new StringBuilder();
        Optional<VectorBlas> v = VectorBlas.create(base, whyNot);
        if (v.isPresent()) {
            return v.get();
        }
        if (forced.equals("vector")) {
            throw new IllegalStateException("autoinit.blas=vector but the Vector API cannot be used: " + whyNot);
        }
        vectorUnavailable = whyNot.toString();
        LOG.log(Level.INFO, "float32 GEMM on " + base.name() + ", not the faster Vector API kernel: " + whyNot);
        return base;
    }

    /** Why the default Vector API backend is not in use, when it was not disabled; null otherwise. */
    static String vectorUnavailable() {
        backend();
        return vectorUnavailable;
    }

    private static Blas loadJblas(boolean required) {
        try {
            Blas j = new JblasBlas();
            // Force the native library to load now, so a failure falls back here rather than mid-training.
            j.sgemm(false, false, 1, 1, 1, new float[] {1}, 0, new float[] {1}, 0, 0f, new float[1], 0);
            Optional<String> warning = BlasInfo.coreTypeWarning(BlasInfo.openblasCoreType(), BlasInfo.recommendedCoreType());
            if (warning.isPresent()) {
                LOG.log(Level.WARNING, warning.get());
            }
            return j;
        } catch (LinkageError | RuntimeException e) {
            if (required) {
                throw new IllegalStateException("autoinit.blas=jblas but the jblas native library failed to load: " + e, e);
            }
            fallbackReason = "jblas native library could not be loaded (" + e + ")";
            LOG.log(Level.WARNING, fallbackReason
                    + "; using the pure-Java GEMM, which is several times slower. On Debian/Ubuntu: apt-get install libgfortran5");
            return new JavaBlas();
        }
    }

    /** Row-major {@code C = op(A) op(B) + beta C} in float32; see {@link Blas} for the layout. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        check("sgemm", transA, transB, m, n, k, a.length, aOff, b.length, bOff, c.length, cOff);
        GemmRunner.run(Prec.F32, backend(), transA, transB, m, n, k, a, aOff, b, bOff, beta, c, cOff);
    }

    /** Row-major {@code C = op(A) op(B) + beta C} in float64; see {@link Blas} for the layout. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff) {
        check("dgemm", transA, transB, m, n, k, a.length, aOff, b.length, bOff, c.length, cOff);
        GemmRunner.run(Prec.F64, backend(), transA, transB, m, n, k, a, aOff, b, bOff, beta, c, cOff);
    }

    /** Native code must never see an out-of-bounds operand, so sizes are checked here, in the caller's terms. */
    private static void check(String op, boolean ta, boolean tb, int m, int n, int k,
                              int aLen, int aOff, int bLen, int bOff, int cLen, int cOff) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": sizes must be non-negative, got m=" + m + ", n=" + n + ", k=" + k);
        }
        operand(op, "A", ta ? k : m, ta ? m : k, aLen, aOff);
        operand(op, "B", tb ? n : k, tb ? k : n, bLen, bOff);
        operand(op, "C", m, n, cLen, cOff);
    }

    private static void operand(String op, String name, int rows, int cols, int len, int off) {
        long need = (long) rows * cols;
        if (off < 0 || (need > 0 && off + need > len)) {
            throw new IllegalArgumentException(op + ": " + name + " (stored " + rows + "x" + cols + ") needs " + need
                    + " elements from offset " + off + " but its array has " + len);
        }
    }
}
