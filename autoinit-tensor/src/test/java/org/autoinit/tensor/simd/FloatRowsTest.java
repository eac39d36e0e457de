package org.autoinit.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layer-norm row loops bit for bit against the scalar formulas, with and without vector tails, at an offset, interpreted and compiled. */
class FloatRowsTest {
    private static final int[] LENGTHS = {0, 1, 7, 16, 17, 63, 64, 128, 131};
    private static final int OFF = 3;

    @BeforeAll
    static void requireSimd() {
        Assumptions.assumeTrue(Simd.enabled(), "Vector API loops not enabled in this JVM");
    }

    private static float[] randn(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static void assertBits(float want, float got, String what) {
        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(got), what + ": want " + want + ", got " + got);
    }

    @Test
    void normalizeIsTheScalarFormulaInEveryAffineCase() {
        SplittableRandom r = new SplittableRandom(1);
        float mean = 0.3f, rstd = 1.7f;
        for (int pass = 0; pass < 20; pass++) { // later passes run C2-compiled
            for (int len : LENGTHS) {
                float[] x = randn(r, OFF + len + 2), gam = randn(r, len), bet = randn(r, len);
                if (len > 2) x[OFF + 1] = mean; // (x - mean) = 0: times a negative gamma gives -0, which + 0f turns into +0
                if (len > 2) gam[1] = -2f;
                for (int c = 0; c < 4; c++) {
                    float[] g = (c & 1) != 0 ? gam : null, b = (c & 2) != 0 ? bet : null;
                    float[] y = new float[x.length];
                    y[0] = 9f;
                    FloatRows.normalize(x, y, OFF, len, mean, rstd, g, b);
                    assertEquals(9f, y[0], 0f, "before off untouched");
                    for (int i = 0; i < len; i++) {
                        float v = (x[OFF + i] - mean) * rstd;
                        float want = g == null && b == null ? v : g == null ? v + b[i] : b == null ? v * g[i] + 0f : v * g[i] + b[i];
                        assertBits(want, y[OFF + i], "len=" + len + " case=" + c + " i=" + i);
                    }
                    for (int i = OFF + len; i < y.length; i++) assertEquals(0f, y[i], 0f, "after the row untouched");
                }
            }
        }
    }

    @Test
    void backwardRowLoopsAreTheScalarFormulas() {
        SplittableRandom r = new SplittableRandom(2);
        float mean = -0.2f, rstd = 0.9f, a = 1.3f, b = -0.4f, c = 0.05f;
        for (int pass = 0; pass < 20; pass++) {
            for (int len : LENGTHS) {
                float[] g = randn(r, OFF + len), x = randn(r, OFF + len), gam = randn(r, len);
                float[] pg = randn(r, len), pb = randn(r, len), pg0 = pg.clone(), pb0 = pb.clone();
                FloatRows.accumulateAffineGrads(g, x, OFF, len, mean, rstd, pg, pb);
                float[] gg = new float[len];
                FloatRows.scale(g, OFF, gam, gg, len);
                float[] d = new float[OFF + len];
                FloatRows.combine(a, gg, b, x, c, d, OFF, len);
                for (int i = 0; i < len; i++) {
                    float gv = g[OFF + i];
                    assertBits(pg0[i] + gv * ((x[OFF + i] - mean) * rstd), pg[i], "dgamma partial len=" + len + " i=" + i);
                    assertBits(pb0[i] + gv, pb[i], "dbeta partial len=" + len + " i=" + i);
                    assertBits(gv * gam[i], gg[i], "g gamma len=" + len + " i=" + i);
                    assertBits(a * gg[i] + b * x[OFF + i] + c, d[OFF + i], "dx len=" + len + " i=" + i);
                }
                for (int i = 0; i < OFF; i++) assertEquals(0f, d[i], 0f, "before off untouched");
            }
        }
    }
    @Test
    void addRowAddsTheBiasToTheRowOnly() {
        SplittableRandom r = new SplittableRandom(3);
        for (int pass = 0; pass < 20; pass++) {
            for (int len : LENGTHS) {
                float[] y = randn(r, OFF + len + 2), b = randn(r, len), y0 = y.clone();
                FloatRows.addRow(y, OFF, b, len);
                for (int i = 0; i < y.length; i++) {
                    boolean in = i >= OFF && i < OFF + len;
                    assertBits(in ? y0[i] + b[i - OFF] : y0[i], y[i], "len=" + len + " i=" + i);
                }
            }
        }
    }
}
