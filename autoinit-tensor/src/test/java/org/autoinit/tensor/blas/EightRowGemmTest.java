package org.autoinit.tensor.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link EightRowGemm}: the in-place shifted-rows product on 8-row panels matches naive loops and gives the same bits
 * as the 6-row {@link VectorSgemm#gemmShiftedRows} (the convolutions switch between them by row count), on full and
 * partial row panels, k over several slices, a partial last column panel, and C rows wider than n (gap untouched).
 */
class EightRowGemmTest {
    @BeforeAll
    static void requireVectorApi() {
        StringBuilder why = new StringBuilder();
        Assumptions.assumeTrue(VectorBlas.create(new JavaBlas(), why).isPresent(), () -> "Vector API not usable: " + why);
    }

    @Test
    void choosesEightRowsOnlyWhereSixRowPanelsPadMore() {
        Assumptions.assumeTrue(PackedGemm.available(), "Vector API backend not selected");
        for (int m : new int[] {8, 15, 16, 32, 40, 64}) assertTrue(EightRowGemm.better(m), "m=" + m);
        for (int m : new int[] {1, 4, 6, 12, 20, 24, 48, 96, 192}) assertFalse(EightRowGemm.better(m), "m=" + m);
    }

    @Test
    void shiftedRowsMatchNaiveLoopsAndTheSixRowProductBitForBit() {
        SplittableRandom r = new SplittableRandom(11);
        int nr = VectorSgemm.NR;
        int[][] shapes = {{16, 3 * nr, 144}, {32, 9 * nr, 288}, {64, 2 * nr + nr / 2, 576}, {15, nr + 3, 27}, {8, 5, 800},
                {3, nr, 9}, {40, 4 * nr, 1000}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2], base = 5, crs = n + 2;
            int[] rowStart = new int[k];
            for (int p = 0; p < k; p++) rowStart[p] = p % 3 + (p / 3) * 41 % 700;
            float[] src = fill(r, base + 700 + 41 + n + 2 * nr), a = fill(r, m * k);
            float[] ap8 = EightRowGemm.prepackA(m, k, EightRowGemm.stridedA(a, 0, k, 1));
            float[] ap6 = VectorSgemm.prepackA(m, k, PackedGemm.stridedA(a, 0, k, 1));
            float[] got = fill(r, m * crs), six = new float[m * n], before = got.clone();
            EightRowGemm.gemmShiftedRows(m, n, k, ap8, src, base, rowStart, got, 0, crs);
            VectorSgemm.gemmShiftedRows(m, n, k, ap6, src, base, rowStart, six, 0, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < crs; j++) {
                    String what = "m=" + m + " n=" + n + " k=" + k + " C[" + i + "," + j + "]";
                    float v = got[i * crs + j];
                    if (j >= n) {
                        assertEquals(before[i * crs + j], v, 0f, what + ": wrote outside C");
                        continue;
                    }
                    assertEquals(Float.floatToIntBits(six[i * n + j]), Float.floatToIntBits(v), what + " bits vs 6-row panels");
                    double want = 0, mag = 0;
                    for (int p = 0; p < k; p++) {
                        double prod = (double) a[i * k + p] * src[base + rowStart[p] + j];
                        want += prod;
                        mag += Math.abs(prod);
                    }
                    assertEquals(want, v, (k + 2) * mag * 0x1p-24 + Double.MIN_NORMAL, what);
                }
            }
        }
    }

    /**
     * A panel of two runs ({@link EightRowGemm#gemmTwoRunPanel}, channel-last dW panels straddling two kernel rows)
     * matches naive loops and gives the same bits as the one-run product on a copy where the two runs are adjacent;
     * a half-used panel (nr <= L) reads only the first run.
     */
    @Test
    void twoRunPanelsMatchNaiveLoopsAndTheOneRunProductBitForBit() {
        SplittableRandom r = new SplittableRandom(12);
        int lanes = VectorSgemm.L, nr = VectorSgemm.NR;
        int[][] shapes = {{16, nr, 800}, {32, nr, 144}, {15, nr, 50}, {16, lanes, 384}, {8, lanes - 3, 20}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2], first = 3, second = 3 + 2 * lanes + 50, crs = n + 1;
            int[] rowStart = new int[k];
            for (int p = 0; p < k; p++) rowStart[p] = p * 7 % 300;
            float[] src = fill(r, second + 300 + 2 * lanes), a = fill(r, m * k);
            // The same B with the two runs adjacent: row p at joined[p * NR ..].
            float[] joined = new float[k * nr];
            int[] ramp = new int[k];
            for (int p = 0; p < k; p++) {
                ramp[p] = p * nr;
                for (int j = 0; j < nr; j++) joined[p * nr + j] = j < lanes ? src[first + rowStart[p] + j] : src[second + rowStart[p] + j - lanes];
            }
            float[] ap = EightRowGemm.prepackA(m, k, EightRowGemm.stridedA(a, 0, k, 1));
            float[] got = fill(r, m * crs), oneRun = new float[m * n], before = got.clone();
            EightRowGemm.gemmTwoRunPanel(m, n, k, ap, src, first, second, rowStart, got, 0, crs);
            EightRowGemm.gemmShiftedRows(m, n, k, ap, joined, 0, ramp, oneRun, 0, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < crs; j++) {
                    String what = "m=" + m + " n=" + n + " k=" + k + " C[" + i + "," + j + "]";
                    float v = got[i * crs + j];
                    if (j >= n) {
                        assertEquals(before[i * crs + j], v, 0f, what + ": wrote outside C");
                        continue;
                    }
                    assertEquals(Float.floatToIntBits(oneRun[i * n + j]), Float.floatToIntBits(v), what + " bits vs one run");
                    double want = 0, mag = 0;
                    for (int p = 0; p < k; p++) {
                        double prod = (double) a[i * k + p] * joined[p * nr + j];
                        want += prod;
                        mag += Math.abs(prod);
                    }
                    assertEquals(want, v, (k + 2) * mag * 0x1p-24 + Double.MIN_NORMAL, what);
                }
            }
        }
    }

    /**
     * Row ranges ({@code rowFrom} a multiple of 8, the threads' split of ChannelLastWeightGrad): the rows computed equal the
     * whole product's bit for bit, for one and two runs, and rows outside the range are left untouched.
     */
    @Test
    void rowRangesGiveTheWholeProductsBitsAndTouchNothingElse() {
        SplittableRandom r = new SplittableRandom(13);
        int lanes = VectorSgemm.L, nr = VectorSgemm.NR;
        int[][] shapes = {{32, nr, 300, 8, 24}, {32, 2 * nr + 5, 800, 16, 32}, {15, nr, 40, 8, 15}, {64, nr, 100, 0, 8}, {16, lanes, 90, 8, 16}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2], from = sh[3], to = sh[4], first = 2, second = 2 + 3 * lanes;
            int[] rowStart = new int[k];
            for (int p = 0; p < k; p++) rowStart[p] = p * 5 % 200;
            float[] src = fill(r, second + 200 + 3 * nr + n), a = fill(r, m * k);
            float[] ap = EightRowGemm.prepackA(m, k, EightRowGemm.stridedA(a, 0, k, 1));
            float[] whole = new float[m * n], part = fill(r, m * n), before = part.clone();
            EightRowGemm.gemmShiftedRows(m, n, k, ap, src, first, rowStart, whole, 0, n);
            EightRowGemm.gemmShiftedRows(m, from, to, n, k, ap, src, first, rowStart, part, 0, n);
            float[] wholeTwo = new float[m * n], partTwo = before.clone();
            int width = Math.min(n, nr);
            EightRowGemm.gemmTwoRunPanel(m, width, k, ap, src, first, second, rowStart, wholeTwo, 0, n);
            EightRowGemm.gemmTwoRunPanel(m, from, to, width, k, ap, src, first, second, rowStart, partTwo, 0, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    String what = "m=" + m + " rows [" + from + ", " + to + ") n=" + n + " k=" + k + " C[" + i + "," + j + "]";
                    boolean in = i >= from && i < to;
                    assertEquals(Float.floatToIntBits(in ? whole[i * n + j] : before[i * n + j]), Float.floatToIntBits(part[i * n + j]), what);
                    boolean inTwo = in && j < width;
                    assertEquals(Float.floatToIntBits(inTwo ? wholeTwo[i * n + j] : before[i * n + j]),
                            Float.floatToIntBits(partTwo[i * n + j]), what + " (two runs)");
                }
            }
        }
        float[] none = new float[8];
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EightRowGemm.gemmShiftedRows(16, 4, 16, 1, 1, none, none, 0, new int[1], none, 0, 1));
    }

    private static float[] fill(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() * 2 - 1);
        return v;
    }
}
