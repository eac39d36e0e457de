package org.autoinit.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.autoinit.tensor.ops.Erf;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Vector API loops against plain double loops, on lengths with and without vector tails and at offsets. */
class FloatSimdTest {
    private static final int[] LENGTHS = {0, 1, 7, 16, 17, 63, 64, 1000, 4099};

    @BeforeAll
    static void requireSimd() {
        Assumptions.assumeTrue(Simd.enabled(), "Vector API loops not enabled in this JVM");
    }

    private static float[] randn(SplittableRandom r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * scale);
        return a;
    }

    @Test
    void sumsMatchDoubleSums() {
        SplittableRandom r = new SplittableRandom(1);
        for (int n : LENGTHS) {
            float[] a = randn(r, n + 5, 1), b = randn(r, n + 3, 1);
            double s = 0, dot = 0, mean = 0.25, ss = 0, abs = 0;
            for (int i = 0; i < n; i++) {
                s += a[i + 5];
                dot += (double) a[i + 5] * b[i + 3];
                ss += (a[i + 5] - mean) * (a[i + 5] - mean);
                abs += Math.abs(a[i + 5]);
            }
            double tol = 1e-6 * (abs + 1);
            assertEquals(s, FloatSimd.sum(a, 5, n), tol, "sum n=" + n);
            assertEquals(dot, FloatSimd.dot(a, 5, b, 3, n), tol * 4, "dot n=" + n);
            assertEquals(ss, FloatSimd.sumSquaredDeviations(a, 5, n, (float) mean), tol * 4, "squared deviations n=" + n);
            // The fused pass: the same bits as the two separate ones, added to what sums held.
            double[] sums = {0.5, -2.0};
            FloatSimd.sumAndDot(a, 5, b, 3, n, sums);
            assertEquals(0.5 + FloatSimd.sum(a, 5, n), sums[0], 0.0, "sumAndDot sum n=" + n);
            assertEquals(-2.0 + FloatSimd.dot(a, 5, b, 3, n), sums[1], 0.0, "sumAndDot dot n=" + n);
            assertEquals(s + 0.5, sums[0], tol, "sumAndDot sum vs double n=" + n);
        }
    }

    @Test
    void reluBackwardIsExactlyGTimesTheStep() {
        SplittableRandom r = new SplittableRandom(2);
        for (int n : LENGTHS) {
            float[] x = randn(r, n, 1), g = randn(r, n, 1), d = new float[n];
            if (n > 3) {
                x[0] = 0f;
                x[1] = -0f;
                x[2] = Float.NaN;
                g[3] = Float.POSITIVE_INFINITY;
                x[3] = -1f;
            }
            FloatSimd.reluBackward(x, g, d, 0, n);
            for (int i = 0; i < n; i++) {
                float want = (float) (g[i] * (x[i] > 0 ? 1.0 : 0.0));
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(d[i]), "n=" + n + " i=" + i + " x=" + x[i] + " g=" + g[i]);
            }
        }
    }

    @Test
    void geluMatchesTheExactFormulaWithinTheErfApproximation() {
        SplittableRandom r = new SplittableRandom(3);
        for (int n : LENGTHS) {
            float[] x = randn(r, n, 3), g = randn(r, n, 1), y = new float[n], d = new float[n];
            FloatSimd.geluForward(x, y, 0, n);
            FloatSimd.geluBackward(x, g, d, 0, n);
            for (int i = 0; i < n; i++) {
                double v = x[i], cdf = 0.5 * (1 + Erf.erf(v / Math.sqrt(2)));
                double pdf = Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);
                assertEquals(v * cdf, y[i], 5e-7 * Math.max(1, Math.abs(v)), "gelu(" + v + ")");
                assertEquals(g[i] * (cdf + v * pdf), d[i], 1e-6 * Math.max(1, Math.abs(g[i]) * (1 + Math.abs(v))), "gelu'(" + v + ")");
            }
        }
    }

    @Test
    void softmaxRowsMatchDoubleSoftmax() {
        SplittableRandom r = new SplittableRandom(4);
        for (int n : LENGTHS) {
            if (n == 0) continue;
            float[] a = randn(r, n + 2, 4), g = randn(r, n + 1, 1);
            double[] p = new double[n];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int i = 0; i < n; i++) max = Math.max(max, 0.5 * a[i + 2]);
            for (int i = 0; i < n; i++) sum += p[i] = Math.exp(0.5 * a[i + 2] - max);
            double dot = 0;
            for (int i = 0; i < n; i++) dot += (p[i] /= sum) * g[i + 1];
            FloatSimd.softmaxRow(a, 2, n, 0.5f);
            for (int i = 0; i < n; i++) assertEquals(p[i], a[i + 2], 1e-6, "softmax n=" + n + " i=" + i);
            float[] gg = g.clone();
            FloatSimd.softmaxBackwardRow(a, 2, gg, 1, n);
            for (int i = 0; i < n; i++) assertEquals(p[i] * (g[i + 1] - dot), gg[i + 1], 1e-5, "softmax backward n=" + n + " i=" + i);
        }
        float[] masked = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY};
        FloatSimd.softmaxRow(masked, 0, 3, 1f);
        for (float v : masked) assertEquals(0f, v, 0f, "a row with nothing to attend to becomes zeros");
    }

    @Test
    void scalarErfMatchesTheReference() {
        for (double x = -6; x <= 6; x += 0.01) {
            assertEquals(Erf.erf(x), FloatSimd.erf((float) x), 3e-7, "erf(" + x + ")");
        }
    }

    @Test
    void lanesAreSummedInLaneOrder() {
        // The fixed order is what makes the result independent of the JIT (reduceLanes(ADD) leaves the order open).
        SplittableRandom r = new SplittableRandom(5);
        int lanes = FloatSimd.lanes();
        for (int n : LENGTHS) {
            float[] a = randn(r, n + 5, 1e3);
            float[] acc = new float[lanes];
            int vec = n / lanes * lanes;
            for (int i = 0; i < vec; i++) acc[i % lanes] += a[5 + i];
            float want = acc[0];
            for (int j = 1; j < lanes; j++) want += acc[j];
            for (int i = vec; i < n; i++) want += a[5 + i];
            assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(FloatSimd.sum(a, 5, n)), "sum n=" + n);
        }
    }

    @Test
    void geluBackwardVectorLanesAreTheScalarFormulaBitForBitAcrossBlocksAndCompilation() {
        SplittableRandom r = new SplittableRandom(5);
        int n = 2500 + 3; // more than two 1024-element blocks and a scalar tail; from offset 2
        float[] x = randn(r, n, 3), g = randn(r, n, 1), d = new float[n];
        x[10] = 0f;
        x[11] = -12f;
        x[12] = 12f;
        for (int pass = 0; pass < 30; pass++) { // later passes run C2-compiled
            java.util.Arrays.fill(d, 7f);
            FloatSimd.geluBackward(x, g, d, 2, n);
            assertEquals(7f, d[0], 0f, "outside [lo, hi) untouched");
            assertEquals(7f, d[1], 0f, "outside [lo, hi) untouched");
            for (int i = 2; i < n; i++) {
                float v = x[i];
                float cdf = 0.5f * (1f + FloatSimd.erf(v * 0.70710678118654752f));
                float pdf = FloatSimd.exp(v * v * -0.5f) * 0.39894228040143268f;
                float want = g[i] * Math.fma(v, pdf, cdf);
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(d[i]), "pass " + pass + " i=" + i + " x=" + v);
            }
        }
        float[] y = x.clone();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FloatSimd.geluBackward(y, g, y, 0, n));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("geluBackward:"), e.getMessage());
    }

    @Test
    void vectorExpIsTheScalarExpBitForBitAndAccurate() {
        int lanes = FloatSimd.lanes();
        float[] x = new float[lanes * 2000];
        for (int i = 0; i < x.length; i++) x[i] = -90f + 180f * i / x.length;
        x[0] = Float.NEGATIVE_INFINITY;
        x[1] = Float.NaN;
        x[2] = Float.POSITIVE_INFINITY;
        x[3] = 0f;
        x[4] = -0f;
        float[] y = new float[x.length];
        // Repeated so the later passes run C2-compiled (intrinsics) and the first ones interpreted: same bits.
        float[] first = null;
        for (int pass = 0; pass < 40; pass++) {
            for (int i = 0; i < x.length; i += lanes) {
                FloatSimd.exp(jdk.incubator.vector.FloatVector.fromArray(jdk.incubator.vector.FloatVector.SPECIES_PREFERRED, x, i)).intoArray(y, i);
            }
            if (first == null) {
                first = y.clone();
            }
            for (int i = 0; i < x.length; i++) {
                assertEquals(Float.floatToIntBits(first[i]), Float.floatToIntBits(y[i]), "exp(" + x[i] + ") pass " + pass + " vs pass 0");
            }
        }
        for (int i = 0; i < x.length; i++) {
            float s = FloatSimd.exp(x[i]);
            assertEquals(Float.floatToIntBits(s), Float.floatToIntBits(y[i]), "exp(" + x[i] + ") vector vs scalar");
            double e = Math.exp(x[i]);
            if (Float.isNaN(x[i])) {
                assertEquals(Float.NaN, s);
            } else if (x[i] < -87f) {
                assertEquals(0f, s, 0f, "below -87 flushes to 0 (true value < 1.7e-38)");
            } else if (x[i] > 88f) {
                assertEquals(Float.POSITIVE_INFINITY, s, "above 88 overflows");
            } else {
                assertEquals(e, s, 3 * Math.ulp((float) e), "exp(" + x[i] + ")");
            }
        }
        assertEquals(1f, FloatSimd.exp(0f), 0f);
        assertEquals(Math.exp(-1), FloatSimd.exp(-1f), 2 * Math.ulp((float) Math.exp(-1)));
    }

    @Test
    void geluForwardVectorLanesAreTheScalarFormulaBitForBitAcrossBlocksAndCompilation() {
        SplittableRandom r = new SplittableRandom(6);
        int n = 5000 + 3; // more than two 2048-element blocks of FloatPasses and a scalar tail; from offset 2
        float[] x = randn(r, n, 3), y = new float[n];
        x[10] = 0f;
        x[11] = -12f;
        x[12] = 12f;
        x[13] = -0f;
        for (int pass = 0; pass < 30; pass++) { // later passes run C2-compiled
            java.util.Arrays.fill(y, 7f);
            FloatSimd.geluForward(x, y, 2, n);
            assertEquals(7f, y[0], 0f, "outside [lo, hi) untouched");
            assertEquals(7f, y[1], 0f, "outside [lo, hi) untouched");
            for (int i = 2; i < n; i++) {
                float want = 0.5f * x[i] * (1f + FloatSimd.erf(x[i] * 0.70710678118654752f));
                assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(y[i]), "pass " + pass + " i=" + i + " x=" + x[i]);
            }
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FloatSimd.geluForward(x, x, 0, n));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("geluForward:"), e.getMessage());
    }

    @Test
    void softmaxOverManyRowsIsEachRowOnItsOwn() {
        SplittableRandom r = new SplittableRandom(7);
        for (int len : new int[] {1, 16, 37, 64}) {
            int rows = 6;
            float[] a = randn(r, rows * len + 3, 4);
            for (int i = 0; i < len; i++) a[3 + 2 * len + i] = Float.NEGATIVE_INFINITY; // row 2: nothing to attend to
            float[] block = a.clone(), single = a.clone();
            FloatSimd.softmaxRows(block, 3, rows, len, 0.7f);
            for (int row = 0; row < rows; row++) FloatSimd.softmaxRows(single, 3 + row * len, 1, len, 0.7f);
            for (int i = 0; i < a.length; i++) {
                assertEquals(Float.floatToIntBits(single[i]), Float.floatToIntBits(block[i]), "len=" + len + " i=" + i);
            }
            for (int row = 0; row < rows; row++) {
                int o = 3 + row * len;
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int i = 0; i < len; i++) max = Math.max(max, 0.7 * a[o + i]);
                for (int i = 0; i < len; i++) sum += Math.exp(0.7 * a[o + i] - max);
                for (int i = 0; i < len; i++) {
                    double want = row == 2 ? 0 : Math.exp(0.7 * a[o + i] - max) / sum;
                    assertEquals(want, block[o + i], 1e-6, "len=" + len + " row=" + row + " i=" + i);
                }
            }
            for (int i = 0; i < 3; i++) assertEquals(Float.floatToIntBits(a[i]), Float.floatToIntBits(block[i]), "before off untouched");
        }
    }
}
