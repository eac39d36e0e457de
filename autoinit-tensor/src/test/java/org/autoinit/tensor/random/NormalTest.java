package org.autoinit.tensor.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoinit.tensor.ops.Erf;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.Simd;
import org.junit.jupiter.api.Test;

/** {@link Normal}: the inversion against a double erfinv, vector/scalar/thread bits, and the moments of the stream. */
class NormalTest {

    @Test
    void inverseMatchesDoubleErfinvWithinOneMillionth() {
        double worst = 0;
        // Every 97th of the 2^24 grid points, plus the ends, the two around 0 and every point of the outer tail (w >= 5).
        for (long b = -(1L << 23); b < (1L << 23); b += 97) {
            worst = Math.max(worst, relErr((int) b));
        }
        for (int b = (1 << 23) - 40_000; b < (1 << 23); b++) {
            worst = Math.max(worst, relErr(b));
            worst = Math.max(worst, relErr(-b - 1));
        }
        for (int b : new int[] {-(1 << 23), (1 << 23) - 1, -1, 0}) {
            worst = Math.max(worst, relErr(b));
        }
        assertTrue(worst < 1e-6, "worst relative error " + worst);
        assertEquals(5.29, Math.abs(Normal.fromBits(((1 << 23) - 1) << 8)), 0.01, "largest |z|: P(|Z| > z) = 2^-23");
    }

    /** Relative error of z for 24 bits b (top bits of a word) against the z solving erf(z / sqrt 2) = x in double. */
    private static double relErr(int b) {
        float z = Normal.fromBits(b << 8);
        double x = (double) (b | 1) / (1 << 23);
        double ref = z;
        for (int it = 0; it < 6; it++) { // Newton on erf(r / sqrt 2) = x from the float value
            ref -= (Erf.erf(ref / Math.sqrt(2)) - x) / (Math.sqrt(2 / Math.PI) * Math.exp(-ref * ref / 2));
        }
        assertTrue(Math.abs(Erf.erf(ref / Math.sqrt(2)) - x) < 1e-15, "Newton did not converge at bits " + b);
        return Math.abs(z - ref) / Math.abs(ref);
    }

    @Test
    void vectorAndScalarLoopsAndAnyChunkingOrThreadCountGiveTheSameBits() {
        assertTrue(Simd.enabled(), "the test JVM runs with --add-modules jdk.incubator.vector");
        int n = 10_007;
        float scale = 0.37f;
        long key = 123456789L;
        float[] scalar = new float[n];
        for (int i = 0; i < n; i++) {
            scalar[i] = Normal.standard(key, i) * scale;
        }
        float[] pieces = new float[n];
        int[] cuts = {0, 1, 66, 67, 200, 4999, 5000, 8191, n};
        for (int c = 0; c + 1 < cuts.length; c++) {
            Normal.fill(pieces, cuts[c], cuts[c + 1], key, scale);
        }
        assertArrayEquals(scalar, pieces);
        int before = Parallel.threads();
        try {
            for (int t : new int[] {1, 3}) {
                Parallel.setThreads(t);
                float[] big = new float[300_003];
                Normal.fill(big, key, scale);
                for (int i = 0; i < big.length; i++) {
                    assertEquals(Normal.standard(key, i) * scale, big[i], 0f, "threads " + t + " entry " + i);
                }
                double[] d = new double[1000];
                Normal.fill(d, key, 0.37);
                for (int i = 0; i < d.length; i++) {
                    assertEquals(0.37 * Normal.standard(key, i), d[i], 0.0, "float64 entry " + i);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void momentsAreTheStandardNormals() {
        int n = 1 << 22;
        float[] z = new float[n];
        Normal.fill(z, 77, 1f);
        double s = 0, q = 0, k = 0, inside1 = 0, beyond3 = 0;
        for (float v : z) {
            double v2 = (double) v * v;
            s += v;
            q += v2;
            k += v2 * v2;
            inside1 += Math.abs(v) < 1 ? 1 : 0;
            beyond3 += Math.abs(v) > 3 ? 1 : 0;
        }
        double mean = s / n, var = q / n - mean * mean;
        double p1 = Erf.erf(1 / Math.sqrt(2)), p3 = 1 - Erf.erf(3 / Math.sqrt(2));
        assertEquals(0, mean, 4 / Math.sqrt(n), "mean");
        assertEquals(1, var, 4 * Math.sqrt(2.0 / n), "variance (SE sqrt(2/n))");
        assertEquals(3, k / n, 4 * Math.sqrt(96.0 / n), "fourth moment (SE sqrt(96/n))");
        assertEquals(p1, inside1 / n, 4 * Math.sqrt(p1 * (1 - p1) / n), "P(|z| < 1)");
        assertEquals(p3, beyond3 / n, 4 * Math.sqrt(p3 / n), "P(|z| > 3)");
        float[] other = new float[64];
        Normal.fill(other, 78, 1f);
        boolean differs = false;
        for (int i = 0; i < 64; i++) {
            differs |= other[i] != z[i];
        }
        assertTrue(differs, "another key gives another stream");
    }
}
