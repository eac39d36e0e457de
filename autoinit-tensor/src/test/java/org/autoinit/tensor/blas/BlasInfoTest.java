package org.autoinit.tensor.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class BlasInfoTest {

    @Test
    void coreTypeFollowsCpuFlags() {
        assertEquals(Optional.of("SKYLAKEX"), BlasInfo.recommendFromFlags("flags\t\t: fpu sse2 avx2 avx512f avx512dq avx512bw"));
        assertEquals(Optional.of("HASWELL"), BlasInfo.recommendFromFlags("flags\t\t: fpu sse2 avx2 avx512f avx512dq"),
                "AVX-512 without BW is not SKYLAKEX");
        assertEquals(Optional.of("HASWELL"), BlasInfo.recommendFromFlags("flags : avx512fx avx512bw avx2"),
                "flags match whole words only");
        assertEquals(Optional.empty(), BlasInfo.recommendFromFlags("flags : fpu sse2 avx avx2x"));
        assertEquals(Optional.of("HASWELL"), BlasInfo.recommendFromFlags("avx2"), "a bare flag list works too");
    }

    @Test
    void warnsOnlyWhenUnsetAndABetterCoreIsKnown() {
        assertEquals(Optional.of("jblas: OPENBLAS_CORETYPE is not set; OpenBLAS will use a generic kernel (~3x slower here). "
                        + "Set OPENBLAS_CORETYPE=SKYLAKEX in the environment before starting the JVM."),
                BlasInfo.coreTypeWarning("unset", Optional.of("SKYLAKEX")));
        assertEquals(Optional.empty(), BlasInfo.coreTypeWarning("HASWELL", Optional.of("SKYLAKEX")));
        assertEquals(Optional.empty(), BlasInfo.coreTypeWarning("unset", Optional.empty()));
    }

    @Test
    void coreTypeIsTheEnvironmentValueOrUnset() {
        String env = System.getenv("OPENBLAS_CORETYPE");
        String want = env == null || env.isBlank() ? "unset" : env.trim();
        assertEquals(want, BlasInfo.openblasCoreType());
    }

    @Test
    void backendIsNamedAndDescribed() {
        String name = BlasInfo.backendName();
        assertTrue(name.equals("vector") || name.equals("jblas") || name.equals("java"), name);
        assertTrue(BlasInfo.backendDescription().startsWith(name + " ("), BlasInfo.backendDescription());
    }

    @Test
    void measuresAPositiveRateAndRejectsBadSizes() {
        double g = BlasInfo.measureSgemmGflops(24);
        assertTrue(g > 0 && Double.isFinite(g), "GFLOP/s " + g);
        var e = assertThrows(IllegalArgumentException.class, () -> BlasInfo.measureSgemmGflops(0));
        assertEquals("measureSgemmGflops: matrix size must be >= 1, got 0", e.getMessage());
    }
}
