package org.autoinit.tensor.blas;

import java.util.Optional;

/**
 * float32 products on the JDK Vector API ({@link VectorSgemm}, in place on the Java arrays, split over the
 * cores by {@link GemmRunner}); float64 products on another backend (jblas, or pure Java). The default
 * backend when the JVM runs with {@code --add-modules jdk.incubator.vector} (the {@code ./autoinit}
 * launcher, the test suite and the JMH forks do) on a CPU with 256-bit or wider vectors.
 *
 * <p>Why: jblas copies every Java array it is given in and out of native memory on each call and must
 * be called from one thread at a time (see {@link JblasBlas}); this kernel does neither, so small and
 * medium products, split products and products on slices of large arrays are all cheaper.
 */
public final class VectorBlas implements Blas {
    private final Blas doubles;

    private VectorBlas(Blas doubles) {
        this.doubles = doubles;
    }

    /**
     * The Vector API backend with float64 on {@code doubles}, or empty (with the reason) when the module
     * {@code jdk.incubator.vector} is not in the boot layer or the CPU's vectors are narrower than 256 bits.
     */
    static Optional<VectorBlas> create(Blas doubles, StringBuilder whyNot) {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            whyNot.append("the JVM was started without --add-modules jdk.incubator.vector");
            return Optional.empty();
        }
        try {
            if (!VectorSgemm.worthwhile()) {
                whyNot.append("the CPU's preferred vectors hold only ").append(VectorSgemm.L).append(" floats");
                return Optional.empty();
            }
        } catch (LinkageError e) {
            whyNot.append("the Vector API failed to load: ").append(e);
            return Optional.empty();
        }
        return Optional.of(new VectorBlas(doubles));
    }

    /** The backend that runs float64 products. */
    public Blas doubles() {
        return doubles;
    }

    /** Floats per vector register (16 with AVX-512, 8 with AVX2). */
    public int lanes() {
        return VectorSgemm.L;
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
        VectorSgemm.gemm(m, n, k, a, aOff, transA ? 1 : k, transA ? m : 1, b, bOff, transB ? 1 : n, transB ? k : 1,
                beta, c, cOff, n);
    }

    @Override
    public void dgemm(boolean transA, boolean transB, int m, int n, int k,
                      double[] a, int aOff, double[] b, int bOff, double beta, double[] c, int cOff) {
        doubles.dgemm(transA, transB, m, n, k, a, aOff, b, bOff, beta, c, cOff);
    }
}
