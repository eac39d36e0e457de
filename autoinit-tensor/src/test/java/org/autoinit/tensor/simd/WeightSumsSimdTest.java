package org.autoinit.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class WeightSumsSimdTest {
    /** Runs of both tap counts: shorter than one round, whole rounds, with tails, and across several flushes. */
    private static final int[] CHANNELS = {1, 3, 16, 17, 64, 100, 512, 1000};

    @Test
    void matchesFloat64LoopsWithinFloatRounding() {
        assumeTrue(Simd.enabled() && WeightSumsSimd.supports(9), "Vector API not enabled");
        SplittableRandom r = new SplittableRandom(5);
        for (int taps : new int[] {1, 9}) {
            for (int ch : CHANNELS) {
                int n = ch * taps, off = r.nextInt(40);
                float[] w = new float[off + n + r.nextInt(40)];
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) (0.05 * r.nextGaussian());
                }
                float[] cm = new float[n], cv = new float[n];
                for (int k = 0; k < n; k++) {
                    cm[k] = (float) (r.nextDouble() - 0.3);
                    cv[k] = (float) (0.1 + r.nextDouble());
                }
                double[] a = new double[taps];
                double b = WeightSumsSimd.sums(w, off, n, taps, cm, cv, a);
                // Independent float64 reference, tap by tap, and the scale each sum is judged against.
                double[] ea = new double[taps], absA = new double[taps];
                double eb = 0;
                for (int k = 0; k < n; k++) {
                    double x = w[off + k];
                    ea[k % taps] += x * cm[k];
                    absA[k % taps] += Math.abs(x * cm[k]);
                    eb += x * x * cv[k];
                }
                String c = "taps " + taps + ", " + ch + " channels";
                for (int t = 0; t < taps; t++) {
                    assertEquals(ea[t], a[t], 1e-6 * absA[t] + 1e-300, c + ", tap " + t);
                }
                assertEquals(eb, b, 1e-6 * eb, c + ", B");
                // Same run again (and on another thread): the same bits.
                double[] a2 = new double[taps];
                double[] fromThread = new double[taps + 1];
                Thread th = new Thread(() -> fromThread[taps] = WeightSumsSimd.sums(w, off, n, taps, cm, cv, fromThread));
                th.start();
                try {
                    th.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                assertEquals(Double.doubleToLongBits(b), Double.doubleToLongBits(WeightSumsSimd.sums(w, off, n, taps, cm, cv, a2)), c);
                assertArrayEquals(a, a2, 0.0, c);
                assertEquals(Double.doubleToLongBits(b), Double.doubleToLongBits(fromThread[taps]), c + " (other thread)");
                assertArrayEquals(a, java.util.Arrays.copyOf(fromThread, taps), 0.0, c + " (other thread)");
            }
        }
    }

    @Test
    void periodicCoefficientsGiveTheSameBits() {
        assumeTrue(Simd.enabled() && WeightSumsSimd.supports(9), "Vector API not enabled");
        SplittableRandom r = new SplittableRandom(9);
        for (int taps : new int[] {1, 9}) {
            for (int ch : CHANNELS) {
                int n = ch * taps, off = r.nextInt(40);
                float[] w = new float[off + n + r.nextInt(40)];
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) (0.05 * r.nextGaussian());
                }
                // Every channel the same law: one mean, a second-moment factor per tap.
                float m = (float) (r.nextDouble() - 0.3);
                float[] perTap = new float[taps];
                for (int t = 0; t < taps; t++) {
                    perTap[t] = (float) (0.1 + r.nextDouble());
                }
                float[] cm = new float[n], cv = new float[n];
                for (int k = 0; k < n; k++) {
                    cm[k] = m;
                    cv[k] = perTap[k % taps];
                }
                double[] general = new double[taps], periodic = new double[taps];
                double bg = WeightSumsSimd.sums(w, off, n, taps, cm, cv, general, false);
                double bp = WeightSumsSimd.sums(w, off, n, taps, cm, cv, periodic, true);
                String c = "taps " + taps + ", " + ch + " channels";
                assertEquals(Double.doubleToLongBits(bg), Double.doubleToLongBits(bp), c + ", B");
                for (int t = 0; t < taps; t++) {
                    assertEquals(Double.doubleToLongBits(general[t]), Double.doubleToLongBits(periodic[t]), c + ", tap " + t);
                }
                // And against an independent float64 loop (the error bound of the class comment).
                double eb = 0;
                double[] ea = new double[taps], absA = new double[taps];
                for (int k = 0; k < n; k++) {
                    double x = w[off + k];
                    ea[k % taps] += x * m;
                    absA[k % taps] += Math.abs(x * m);
                    eb += x * x * perTap[k % taps];
                }
                assertEquals(eb, bp, 1e-6 * eb, c + ", B against float64");
                for (int t = 0; t < taps; t++) {
                    assertEquals(ea[t], periodic[t], 1e-6 * absA[t] + 1e-300, c + ", tap " + t + " against float64");
                }
            }
        }
    }

    @Test
    void handWorkedNineTaps() {
        assumeTrue(Simd.enabled() && WeightSumsSimd.supports(9), "Vector API not enabled");
        // 32 channels x 9 taps of weight 1 (two whole rounds of 16-lane vectors, four of 8-lane ones): channel i
        // has mean i and coefficient 2, so a[t] = sum_i i = 496 and B = 32 * 9 * 2 = 576.
        int n = 32 * 9;
        float[] w = new float[n], cm = new float[n], cv = new float[n];
        for (int k = 0; k < n; k++) {
            w[k] = 1;
            cm[k] = k / 9;
            cv[k] = 2;
        }
        double[] a = new double[9];
        assertEquals(576.0, WeightSumsSimd.sums(w, 0, n, 9, cm, cv, a), 0.0);
        for (double x : a) {
            assertEquals(496.0, x, 0.0);
        }
    }

    @Test
    void overflowAndNonFiniteWeightsFallBackToFloat64() {
        assumeTrue(Simd.enabled() && WeightSumsSimd.supports(1), "Vector API not enabled");
        int n = 256;
        float[] w = new float[n], cm = new float[n], cv = new float[n];
        java.util.Arrays.fill(w, 1e20f); // w^2 = 1e40 overflows a float, not a double
        java.util.Arrays.fill(cm, 1);
        java.util.Arrays.fill(cv, 1);
        double[] a = new double[1];
        double b = WeightSumsSimd.sums(w, 0, n, 1, cm, cv, a);
        double x = 1e20f;
        assertEquals(256 * (x * x), b, 1e-12 * 256 * (x * x), "B in float64");
        assertEquals(256 * (double) 1e20f, a[0], 0.0);
        w[100] = Float.POSITIVE_INFINITY;
        assertEquals(Double.POSITIVE_INFINITY, WeightSumsSimd.sums(w, 0, n, 1, cm, cv, a));
        assertEquals(Double.POSITIVE_INFINITY, a[0]);
        w[100] = Float.NaN;
        assertTrue(Double.isNaN(WeightSumsSimd.sums(w, 0, n, 1, cm, cv, a)));
    }

    @Test
    void rejectsRunsOutsideTheArrays() {
        assumeTrue(Simd.enabled() && WeightSumsSimd.supports(1), "Vector API not enabled");
        float[] w = new float[100], c = new float[50];
        double[] a = new double[1];
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> WeightSumsSimd.sums(w, 60, 50, 1, c, c, a));
        assertTrue(e.getMessage().contains("run of 50 at 60 of 100 weights"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> WeightSumsSimd.sums(w, 0, 60, 1, c, c, a));
    }
}
