package org.autoinit.tensor.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both backends against naive loops over many shapes and layouts, through Gemm's splitting and copying. */
class GemmTest {
    /** m, n, k: tiny, k = 0, vectors, skinny both ways, k and n across the Java kernel's blocks, split sizes. */
    static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 1}, {3, 5, 0}, {2, 3, 4}, {5, 1, 9}, {1, 300, 17}, {300, 1, 17}, {4, 4, 257},
        {37, 53, 29}, {13, 600, 40}, {600, 13, 40}, {70, 45, 300}, {2, 2, 1000}, {129, 70, 513},
        {320, 150, 100}, {100, 330, 130},
    };

    static Blas backend(String name) {
        if (name.equals("java")) {
            return new JavaBlas();
        }
        if (name.equals("vector")) {
            StringBuilder why = new StringBuilder();
            return VectorBlas.create(new JavaBlas(), why).orElseGet(() -> {
                Assumptions.abort("Vector API backend not usable here: " + why);
                return null;
            });
        }
        Blas j = new JblasBlas();
        try {
            j.sgemm(false, false, 1, 1, 1, new float[] {1}, 0, new float[] {1}, 0, 0f, new float[1], 0);
        } catch (LinkageError | RuntimeException e) {
            Assumptions.abort("jblas native library not loadable here: " + e);
        }
        return j;
    }

    static <T> T with(Blas blas, Callable<T> body) throws Exception {
        Blas previous = Gemm.backend();
        Gemm.setBackend(blas);
        try {
            return body.call();
        } finally {
            Gemm.setBackend(previous);
        }
    }

    static List<GemmCase> cases() {
        List<GemmCase> all = new ArrayList<>();
        long seed = 1;
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                for (double beta : new double[] {0, 1, -0.5}) {
                    for (int pad = 0; pad < 3; pad++) {
                        all.add(new GemmCase(seed++, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], beta, pad));
                    }
                }
            }
        }
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "jblas", "vector"})
    void matchesNaiveLoopsInBothPrecisions(String name) throws Exception {
        Blas blas = backend(name);
        for (GemmCase g : cases()) {
            float[] cf = with(blas, g::runFloat);
            double[] cd = with(blas, g::runDouble);
            for (int at = 0; at < g.c0.length; at++) {
                int rel = at - g.cOff;
                if (rel < 0 || rel >= g.m * g.n) {
                    assertEquals(GemmCase.SENTINEL, cf[at], 0, name + " sgemm wrote outside C: " + g);
                    assertEquals(GemmCase.SENTINEL, cd[at], 0, name + " dgemm wrote outside C: " + g);
                    continue;
                }
                int i = rel / g.n, j = rel % g.n;
                double want = g.expected(i, j), bound = (g.k + 2) * g.magnitude(i, j) + Double.MIN_NORMAL;
                assertEquals(want, cf[at], bound * 0x1p-24, name + " sgemm C[" + i + "," + j + "] " + g);
                assertEquals(want, cd[at], bound * 0x1p-53, name + " dgemm C[" + i + "," + j + "] " + g);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "jblas", "vector"})
    void repeatedCallsGiveIdenticalBits(String name) throws Exception {
        Blas blas = backend(name);
        for (GemmCase g : List.of(new GemmCase(7, false, true, 320, 150, 100, 0.5, 1),
                new GemmCase(8, true, false, 100, 330, 130, 0, 2), new GemmCase(9, false, false, 33, 17, 65, 1, 0))) {
            float[] f = with(blas, g::runFloat);
            double[] d = with(blas, g::runDouble);
            for (int r = 0; r < 4; r++) {
                assertArrayEquals(f, with(blas, g::runFloat), name + " sgemm " + g);
                assertArrayEquals(d, with(blas, g::runDouble), name + " dgemm " + g);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "vector"})
    void inPlaceResultsDoNotDependOnThreadCount(String name) throws Exception {
        Blas blas = backend(name);
        int saved = Parallel.threads();
        try {
            for (GemmCase g : List.of(new GemmCase(11, true, true, 700, 90, 300, -0.5, 1),
                    new GemmCase(12, false, true, 60, 900, 200, 0, 0))) {
                Parallel.setThreads(1);
                float[] f1 = with(blas, g::runFloat);
                double[] d1 = with(blas, g::runDouble);
                for (int threads : new int[] {2, 3, 5}) {
                    Parallel.setThreads(threads);
                    assertArrayEquals(f1, with(blas, g::runFloat), threads + " threads, sgemm " + g);
                    assertArrayEquals(d1, with(blas, g::runDouble), threads + " threads, dgemm " + g);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void splitBlocksCoverTheRangeWithoutOverlap() {
        for (int d : new int[] {64, 65, 129, 1000, 4097}) {
            for (int chunks = 1; chunks <= Math.max(1, d / GemmRunner.MIN_BLOCK); chunks++) {
                assertEquals(0, GemmRunner.bound(0, chunks, d));
                assertEquals(d, GemmRunner.bound(chunks, chunks, d));
                for (int c = 0; c < chunks; c++) {
                    assertTrue(GemmRunner.bound(c, chunks, d) < GemmRunner.bound(c + 1, chunks, d),
                            "empty block " + c + " of " + chunks + " over " + d);
                }
            }
        }
    }

    @Test
    void sizeErrorsNameTheOperandAndShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Gemm.sgemm(false, true, 3, 4, 5,
                new float[15], 0, new float[19], 0, 0f, new float[12], 0));
        assertEquals("sgemm: B (stored 4x5) needs 20 elements from offset 0 but its array has 19", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.dgemm(true, false, 3, 4, 5,
                new double[15], 1, new double[20], 0, 0, new double[12], 0));
        assertEquals("dgemm: A (stored 5x3) needs 15 elements from offset 1 but its array has 15", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gemm.sgemm(false, false, -1, 4, 5,
                new float[0], 0, new float[20], 0, 0f, new float[0], 0));
        assertEquals("sgemm: sizes must be non-negative, got m=-1, n=4, k=5", e.getMessage());
    }
}
