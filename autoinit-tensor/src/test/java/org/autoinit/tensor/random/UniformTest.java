package org.autoinit.tensor.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.Simd;
import org.junit.jupiter.api.Test;

/** {@link Uniform}: values from the bits, vector/scalar/thread bits, and the moments of the stream. */
class UniformTest {

    @Test
    void valuesAreTheOddGridOverTwoToThe23() {
        long key = 5;
        for (int i = 0; i < 1000; i++) {
            int b = TruncatedNormal.bits(key, i) >> 8;
            assertEquals(((double) (b | 1)) / (1 << 23), Uniform.standard(key, i), 0.0, "entry " + i);
        }
    }

    @Test
    void vectorAndScalarLoopsAndAnyChunkingOrThreadCountGiveTheSameBits() {
        assertTrue(Simd.enabled(), "the test JVM runs with --add-modules jdk.incubator.vector");
        int n = 10_007;
        long key = -987654321L;
        float centre = 0.25f, half = 0.6f;
        float[] scalar = new float[n];
        for (int i = 0; i < n; i++) {
            scalar[i] = centre + half * Uniform.standard(key, i);
        }
        float[] pieces = new float[n];
        int[] cuts = {0, 1, 66, 67, 200, 4999, 5000, 8191, n};
        for (int c = 0; c + 1 < cuts.length; c++) {
            Uniform.fill(pieces, cuts[c], cuts[c + 1], key, centre, half);
        }
        assertArrayEquals(scalar, pieces);
        int before = Parallel.threads();
        try {
            for (int t : new int[] {1, 3}) {
                Parallel.setThreads(t);
                float[] big = new float[300_003];
                Uniform.fill(big, key, centre, half);
                for (int i = 0; i < big.length; i++) {
                    assertEquals(centre + half * Uniform.standard(key, i), big[i], 0f, "threads " + t + " entry " + i);
                }
                double[] d = new double[1000];
                Uniform.fill(d, key, 0.25, 0.6);
                for (int i = 0; i < d.length; i++) {
                    assertEquals(0.25 + 0.6 * Uniform.standard(key, i), d[i], 0.0, "float64 entry " + i);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void momentsAreTheUniformOnMinusOneOne() {
        int n = 1 << 22;
        float[] u = new float[n];
        Uniform.fill(u, 77, 0f, 1f);
        double s = 0, q = 0, below = 0, max = 0;
        for (float v : u) {
            s += v;
            q += (double) v * v;
            below += v < -0.5 ? 1 : 0;
            max = Math.max(max, Math.abs(v));
        }
        double mean = s / n, var = q / n - mean * mean;
        assertEquals(0, mean, 4 * Math.sqrt(1.0 / 3 / n), "mean");
        assertEquals(1.0 / 3, var, 4 * Math.sqrt(4.0 / 45 / n), "variance (SE sqrt(4/45/n))");
        assertEquals(0.25, below / n, 4 * Math.sqrt(0.25 * 0.75 / n), "P(u < -1/2)");
        assertTrue(max < 1 && max > 0.9999, "max |u| " + max);
    }
}
