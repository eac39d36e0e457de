package org.autoinit.tensor.blas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;

/**
 * What the GEMM layer runs on: backend, OpenBLAS core type, the core type this CPU should use, and a
 * quick sgemm throughput measurement.
 *
 * <p>Why the core type matters: jblas 1.2.5 bundles an OpenBLAS that mis-detects recent CPUs as a generic
 * core (about 3x slower). The environment variable {@code OPENBLAS_CORETYPE} overrides the detection, but
 * only if set before the JVM starts (OpenBLAS reads it when the library loads; Java cannot set it).
 */
public final class BlasInfo {
    static final String CORETYPE_ENV = "OPENBLAS_CORETYPE";

    private BlasInfo() {}

    /** Short name of the backend in use: "vector", "jblas" or "java". */
    public static String backendName() {
        return Gemm.backend().name();
    }

    /** The backend in words, e.g. "jblas (native OpenBLAS)" or "java (pure-Java fallback: ...)". */
    public static String backendDescription() {
        String name = backendName();
        if (name.equals("vector") && Gemm.backend() instanceof VectorBlas v) {
            return "vector (float32 on the Java Vector API, " + v.lanes() + " floats per vector; float64 on " + v.doubles().name() + ")";
        }
        if (name.equals("jblas")) {
            String why = Gemm.vectorUnavailable();
            return "jblas (native OpenBLAS)" + (why == null ? "" : "; the faster Vector API float32 kernel is off: " + why);
        }
        if (name.equals("java")) {
            String why = Gemm.fallbackReason();
            return why == null ? "java (pure Java, selected with autoinit.blas=java)" : "java (pure-Java fallback: " + why + ")";
        }
        return name;
    }

    /** The value of {@code OPENBLAS_CORETYPE} in this process's environment, or "unset". */
    public static String openblasCoreType() {
        String v = System.getenv(CORETYPE_ENV);
        return v == null || v.isBlank() ? "unset" : v.trim();
    }

    /**
     * The {@code OPENBLAS_CORETYPE} this CPU should use, from the flags in /proc/cpuinfo: SKYLAKEX with
     * AVX-512 (F and BW), HASWELL with AVX2; empty when unknown (not Linux/x86, or an older CPU, where
     * OpenBLAS's own detection is fine).
     */
    public static Optional<String> recommendedCoreType() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags")).findFirst().flatMap(BlasInfo::recommendFromFlags);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The core type for a /proc/cpuinfo "flags" line. */
    static Optional<String> recommendFromFlags(String flagsLine) {
        int colon = flagsLine.indexOf(':');
        String padded = " " + (colon >= 0 ? flagsLine.substring(colon + 1) : flagsLine).trim().replaceAll("\\s+", " ") + " ";
        if (padded.contains(" avx512f ") && padded.contains(" avx512bw ")) {
            return Optional.of("SKYLAKEX");
        }
        if (padded.contains(" avx2 ")) {
            return Optional.of("HASWELL");
        }
        return Optional.empty();
    }

    /** The warning to log when jblas runs with the core type unset on a CPU that has a better one; else empty. */
    static Optional<String> coreTypeWarning(String current, Optional<String> recommended) {
        if (!current.equals("unset") || recommended.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("jblas: " + CORETYPE_ENV + " is not set; OpenBLAS will use a generic kernel (~3x slower here). Set "
                + CORETYPE_ENV + "=" + recommended.get() + " in the environment before starting the JVM.");
    }

    /**
     * Measured float32 GEMM throughput in GFLOP/s (2n^3 flops per product) through {@link Tensor#matmul}
     * of two n x n tensors, so it includes everything a model's matmul pays: warm-up (at least 10 products
     * and 1.5 s: with 0.3 s the JIT had not yet compiled the Vector API kernel and the reading was about half the
     * steady rate), then the best of 10 timed products.
     */
    @SuppressWarnings("try") // the no-grad scope is only opened and closed
    public static double measureSgemmGflops(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("measureSgemmGflops: matrix size must be >= 1, got " + n);
        }
        SplittableRandom rng = new SplittableRandom(42);
        Tensor a = Tensor.randn(rng, DType.FLOAT32, n, n);
        Tensor b = Tensor.randn(rng, DType.FLOAT32, n, n);
        try (GradMode.Scope s = GradMode.noGrad()) {
            long warmStart = System.nanoTime();
            for (int calls = 0; calls < 10 || (calls < 500 && System.nanoTime() - warmStart < 1_500_000_000L); calls++) {
                a.matmul(b);
            }
            long best = Long.MAX_VALUE;
            for (int r = 0; r < 10; r++) {
                long t0 = System.nanoTime();
                a.matmul(b);
                best = Math.min(best, System.nanoTime() - t0);
            }
            return 2.0 * n * n * n / Math.max(1, best); // flops per nanosecond = GFLOP/s
        }
    }
}
