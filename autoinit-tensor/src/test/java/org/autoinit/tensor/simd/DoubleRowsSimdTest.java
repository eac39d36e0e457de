package org.autoinit.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class DoubleRowsSimdTest {
    /** The fused chain written independently: s = fma(a[j][t], b[t][x], s) for t = 0, 1, ... */
    private static double naive(double[] a, int aOff, int q, double[] b, int bOff, int n, int j, int x) {
        double s = 0;
        for (int t = 0; t < q; t++) {
            s = Math.fma(a[aOff + j * q + t], b[bOff + t * n + x], s);
        }
        return s;
    }

    @Test
    void everyEntryIsTheFusedChainBitForBitWhateverTheRowRange() {
        assumeTrue(Simd.enabled(), "Vector API not enabled");
        SplittableRandom r = new SplittableRandom(11);
        int l = DoubleRowsSimd.lanes();
        // Row counts around the 4-row blocks, column counts around one and two vectors and with scalar tails.
        int[] rows = {1, 3, 4, 5, 9};
        int[] cols = {1, l - 1, l, l + 3, 2 * l, 2 * l + 1, 5 * l + 2};
        for (int m : rows) {
            for (int n : cols) {
                for (int q : new int[] {1, 7, 130}) {
                    int aOff = r.nextInt(5), bOff = r.nextInt(5), cOff = r.nextInt(5);
                    double[] a = new double[aOff + m * q + 3], b = new double[bOff + q * n + 3];
                    for (int i = 0; i < a.length; i++) {
                        a[i] = r.nextGaussian();
                    }
                    for (int i = 0; i < b.length; i++) {
                        b[i] = r.nextGaussian() * (1 + i % 3);
                    }
                    double[] whole = new double[cOff + m * n], split = new double[whole.length];
                    DoubleRowsSimd.product(a, aOff, q, b, bOff, n, whole, cOff, 0, m);
                    int cut = r.nextInt(m + 1);
                    DoubleRowsSimd.product(a, aOff, q, b, bOff, n, split, cOff, cut, m);
                    DoubleRowsSimd.product(a, aOff, q, b, bOff, n, split, cOff, 0, cut);
                    for (int j = 0; j < m; j++) {
                        for (int x = 0; x < n; x++) {
                            double want = naive(a, aOff, q, b, bOff, n, j, x);
                            String what = m + "x" + q + " times " + q + "x" + n + " at (" + j + ", " + x + ")";
                            assertEquals(want, whole[cOff + j * n + x], 0.0, what);
                            assertEquals(want, split[cOff + j * n + x], 0.0, what + ", rows split at " + cut);
                        }
                    }
                    for (int i = 0; i < cOff; i++) {
                        assertEquals(0.0, whole[i], 0.0, "entries before cOff untouched");
                    }
                }
            }
        }
    }

    @Test
    void floatEntriesGiveTheBitsOfTheirWidenedAndSquaredCopies() {
        assumeTrue(Simd.enabled(), "Vector API not enabled");
        SplittableRandom r = new SplittableRandom(17);
        int l = DoubleRowsSimd.lanes();
        for (int m : new int[] {1, 4, 7}) {
            for (int n : new int[] {1, l, 2 * l, 5 * l, 5 * l + 3}) {
                int q = 61, aOff = r.nextInt(4);
                float[] a = new float[aOff + m * q];
                double[] wide = new double[a.length], sq = new double[a.length], b = new double[q * n];
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) (0.1 * r.nextGaussian());
                    wide[i] = a[i];
                    sq[i] = wide[i] * wide[i];
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = r.nextGaussian();
                }
                for (boolean square : new boolean[] {false, true}) {
                    double[] want = new double[m * n], got = new double[m * n];
                    DoubleRowsSimd.product(square ? sq : wide, aOff, q, b, 0, n, want, 0, 0, m);
                    int cut = r.nextInt(m + 1);
                    DoubleRowsSimd.product(a, square, aOff, q, b, 0, n, got, 0, cut, m);
                    DoubleRowsSimd.product(a, square, aOff, q, b, 0, n, got, 0, 0, cut);
                    for (int e = 0; e < want.length; e++) {
                        assertEquals(want[e], got[e], 0.0, m + "x" + q + " times " + q + "x" + n + (square ? " squared" : "") + " entry " + e);
                    }
                }
            }
        }
    }

    @Test
    void matchesPlainSumsWithinRounding() {
        assumeTrue(Simd.enabled(), "Vector API not enabled");
        // Not the same expression as the chain above: a plain multiply-then-add sum, to 1e-14 of the sum of |terms|.
        SplittableRandom r = new SplittableRandom(3);
        int m = 6, q = 500, n = 37;
        double[] a = new double[m * q], b = new double[q * n], c = new double[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextDouble() - 0.5;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextDouble();
        }
        DoubleRowsSimd.product(a, 0, q, b, 0, n, c, 0, 0, m);
        for (int j = 0; j < m; j++) {
            for (int x = 0; x < n; x++) {
                double s = 0, abs = 0;
                for (int t = 0; t < q; t++) {
                    s += a[j * q + t] * b[t * n + x];
                    abs += Math.abs(a[j * q + t] * b[t * n + x]);
                }
                assertTrue(Math.abs(c[j * n + x] - s) <= 1e-14 * abs, "(" + j + ", " + x + "): " + c[j * n + x] + " vs " + s);
            }
        }
    }

    @Test
    void rejectsRangesOutsideTheArrays() {
        double[] a = new double[8], b = new double[8], c = new double[8];
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> DoubleRowsSimd.product(a, 0, 4, b, 0, 2, c, 0, 0, 3));
        assertTrue(e.getMessage().contains("DoubleRowsSimd"), e.getMessage());
    }
}
