package org.autoinit.tensor.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.tensor.ops.Erf;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.Simd;
import org.junit.jupiter.api.Test;

class TruncatedNormalTest {
    /** N(0, 1) cut at +-2: standard deviation sqrt(1 - 4 phi(2) / (2 Phi(2) - 1)). */
    private static final double TRUNC2_STD = 0.87962566103423978;

    @Test
    void wordsAreSplittableRandomsStream() {
        for (long key : new long[] {0, 42, -7, 0x123456789abcdefL}) {
            SplittableRandom r = new SplittableRandom(key);
            for (long j = 0; j < 100; j++) {
                long w = r.nextLong();
                assertEquals(w, TruncatedNormal.mix64(key + (j + 1) * TruncatedNormal.GOLDEN), "key " + key + " word " + j);
            }
        }
    }

    @Test
    void inverseMatchesDoubleErfinvWithinOneMillionth() {
        double erfSqrt2 = Erf.erf(Math.sqrt(2));
        double worst = 0;
        // Every 97th of the 2^24 grid points, plus both ends and the two around 0.
        for (long b = -(1L << 23); b < (1L << 23); b += 97) {
            worst = Math.max(worst, relErr(erfSqrt2, (int) b));
        }
        for (int b : new int[] {-(1 << 23), (1 << 23) - 1, -1, 0}) {
            worst = Math.max(worst, relErr(erfSqrt2, b));
        }
        assertTrue(worst < 1e-6, "worst relative error " + worst);
    }

    /** Relative error of the float z for 24 bits b (as the top bits of a word) against z solving erf(z / sqrt 2) = x in double. */
    private static double relErr(double erfSqrt2, int b) {
        float z = TruncatedNormal.fromBits(b << 8);
        double x = (double) (b | 1) * erfSqrt2 / (1 << 23);
        assertTrue(Math.abs(z) < 2, "z " + z + " for bits " + b);
        double ref = z;
        for (int it = 0; it < 4; it++) { // Newton on erf(r / sqrt 2) = x from the float value
            ref -= (Erf.erf(ref / Math.sqrt(2)) - x) / (Math.sqrt(2 / Math.PI) * Math.exp(-ref * ref / 2));
        }
        assertTrue(Math.abs(Erf.erf(ref / Math.sqrt(2)) - x) < 1e-15, "Newton did not converge at bits " + b);
        return Math.abs(z - ref) / Math.abs(ref);
    }

    @Test
    void vectorAndScalarLoopsAndAnyChunkingGiveTheSameBits() {
        assertTrue(Simd.enabled(), "the test JVM runs with --add-modules jdk.incubator.vector");
        int n = 10_007;
        float scale = 0.37f;
        long key = 123456789L;
        float[] scalar = new float[n];
        for (int i = 0; i < n; i++) {
            scalar[i] = TruncatedNormal.standard(key, i) * scale;
        }
        float[] whole = new float[n];
        TruncatedNormal.fill(whole, 0, n, key, scale);
        assertArrayEquals(scalar, whole);
        float[] pieces = new float[n];
        int[] cuts = {0, 1, 66, 67, 200, 4999, 5000, 8191, n};
        for (int c = 0; c + 1 < cuts.length; c++) {
            TruncatedNormal.fill(pieces, cuts[c], cuts[c + 1], key, scale);
        }
        assertArrayEquals(scalar, pieces);
        int before = Parallel.threads();
        try {
            for (int t : new int[] {1, 3}) {
                Parallel.setThreads(t);
                float[] big = new float[200_003];
                TruncatedNormal.fill(big, key, scale);
                for (int i = 0; i < big.length; i += 101) {
                    assertEquals(TruncatedNormal.standard(key, i) * scale, big[i], 0f, "threads " + t + " entry " + i);
                }
                double[] d = new double[1000];
                TruncatedNormal.fill(d, key, 0.37);
                for (int i = 0; i < d.length; i++) {
                    assertEquals(0.37 * TruncatedNormal.standard(key, i), d[i], 0.0, "float64 entry " + i);
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void distributionIsTheNormalCutAtTwo() {
        int n = 1 << 21;
        float[] z = new float[n];
        TruncatedNormal.fill(z, 77, 1f);
        double s = 0, q = 0, inside1 = 0, max = 0;
        for (float v : z) {
            s += v;
            q += (double) v * v;
            inside1 += Math.abs(v) < 1 ? 1 : 0;
            max = Math.max(max, Math.abs(v));
        }
        double mean = s / n, var = q / n - mean * mean, p1 = inside1 / n;
        double want1 = Erf.erf(1 / Math.sqrt(2)) / Erf.erf(Math.sqrt(2)); // P(|z| < 1 | |z| < 2)
        assertEquals(0, mean, 4 * TRUNC2_STD / Math.sqrt(n), "mean");
        // Kurtosis of the cut normal ~2.6: SE(var) ~ var sqrt(1.6 / n).
        assertEquals(TRUNC2_STD * TRUNC2_STD, var, 4 * TRUNC2_STD * TRUNC2_STD * Math.sqrt(1.6 / n), "variance");
        assertEquals(want1, p1, 4 * Math.sqrt(want1 * (1 - want1) / n), "P(|z| < 1)");
        assertTrue(max < 2 && max > 1.999, "max |z| " + max);
        float[] other = new float[64];
        TruncatedNormal.fill(other, 78, 1f);
        boolean differs = false;
        for (int i = 0; i < 64; i++) {
            differs |= other[i] != z[i];
        }
        assertTrue(differs, "another key gives another stream");
    }
}
