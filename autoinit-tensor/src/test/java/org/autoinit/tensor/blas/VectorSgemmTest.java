package org.autoinit.tensor.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API kernel on layouts {@link GemmTest} does not reach through {@link Gemm}: C rows wider than n
 * (a block of a larger matrix; the gap must stay untouched), n across several NC blocks, k across several
 * KC slices, every edge of the MR x NR tiles, and all four transpose combinations via strides.
 */
class VectorSgemmTest {
    @BeforeAll
    static void requireVectorApi() {
        StringBuilder why = new StringBuilder();
        Assumptions.assumeTrue(VectorBlas.create(new JavaBlas(), why).isPresent(), () -> "Vector API not usable: " + why);
    }

    @Test
    void stridedBlocksMatchNaiveLoopsAndLeaveTheGapAlone() {
        SplittableRandom r = new SplittableRandom(5);
        int[][] shapes = {{1, 1, 1}, {6, 32, 1}, {7, 33, 2}, {5, 31, 385}, {13, 2100, 30}, {150, 70, 800}, {12, 64, 768}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2], crs = n + 3;
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                for (float beta : new float[] {0f, 1f, 0.75f}) {
                    float[] a = fill(r, m * k + 2), b = fill(r, k * n + 1), c = fill(r, m * crs + 4);
                    float[] c0 = c.clone();
                    int ars = ta ? 1 : k, acs = ta ? m : 1, brs = tb ? 1 : n, bcs = tb ? k : 1;
                    VectorSgemm.gemm(m, n, k, a, 2, ars, acs, b, 1, brs, bcs, beta, c, 4, crs);
                    String what = "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " beta=" + beta;
                    for (int at = 0; at < c.length; at++) {
                        int rel = at - 4, i = Math.floorDiv(rel, crs), j = Math.floorMod(rel, crs);
                        if (rel < 0 || i >= m || j >= n) {
                            assertEquals(c0[at], c[at], 0f, what + ": wrote outside C at " + at);
                            continue;
                        }
                        double want = beta == 0f ? 0 : (double) beta * c0[at], mag = Math.abs(want);
                        for (int p = 0; p < k; p++) {
                            double prod = (double) a[2 + i * ars + p * acs] * b[1 + p * brs + j * bcs];
                            want += prod;
                            mag += Math.abs(prod);
                        }
                        assertEquals(want, c[at], (k + 2) * mag * 0x1p-24 + Double.MIN_NORMAL, what + " C[" + i + "," + j + "]");
                    }
                }
            }
        }
    }

    @Test
    void rowAndColumnBlocksComputedSeparatelyGiveTheSameBits() {
        SplittableRandom r = new SplittableRandom(6);
        int m = 70, n = 90, k = 500;
        float[] a = fill(r, m * k), b = fill(r, k * n), whole = new float[m * n], parts = new float[m * n];
        VectorSgemm.gemm(m, n, k, a, 0, k, 1, b, 0, n, 1, 0f, whole, 0, n);
        // Rows [0, 31) and [31, 70) x columns [0, 45) and [45, 90), each its own call on a slice.
        for (int[] rb : new int[][] {{0, 31}, {31, 70}}) {
            for (int[] cb : new int[][] {{0, 45}, {45, 90}}) {
                VectorSgemm.gemm(rb[1] - rb[0], cb[1] - cb[0], k, a, rb[0] * k, k, 1, b, cb[0], n, 1, 0f, parts, rb[0] * n + cb[0], n);
            }
        }
        for (int i = 0; i < whole.length; i++) {
            assertEquals(Float.floatToIntBits(whole[i]), Float.floatToIntBits(parts[i]), "element " + i);
        }
    }

    @Test
    void columnMajorAReadInPlaceGivesTheBitsOfItsRowMajorCopy() {
        // A weight gradient X^T G reads X^T in place (column-major A); it must sum exactly as a row-major copy does.
        SplittableRandom r = new SplittableRandom(7);
        for (int[] s : new int[][] {{128, 96, 900}, {13, 40, 7}, {6, 33, 385}}) {
            int m = s[0], n = s[1], k = s[2];
            float[] x = fill(r, k * m), g = fill(r, k * n), rowMajor = new float[m * k];
            for (int p = 0; p < k; p++) {
                for (int i = 0; i < m; i++) rowMajor[i * k + p] = x[p * m + i];
            }
            float[] inPlace = new float[m * n], copied = new float[m * n];
            VectorSgemm.gemm(m, n, k, x, 0, 1, m, g, 0, n, 1, 0f, inPlace, 0, n);
            VectorSgemm.gemm(m, n, k, rowMajor, 0, k, 1, g, 0, n, 1, 0f, copied, 0, n);
            for (int i = 0; i < inPlace.length; i++) {
                assertEquals(Float.floatToIntBits(copied[i]), Float.floatToIntBits(inPlace[i]), "m=" + m + " n=" + n + " k=" + k + " element " + i);
            }
        }
    }

    /**
     * B read in place from shifted runs ({@link VectorSgemm#gemmShiftedRows}, the convolution's implicit patches) gives
     * the same bits as packing the same B, and matches naive loops: partial row panels (m = 16, 5), k over several
     * slices (800), n with and without a partial column panel, runs that overlap (shift by one) and jump.
     */
    @Test
    void shiftedRowsReadInPlaceMatchThePackedPathBitForBit() {
        SplittableRandom r = new SplittableRandom(7);
        int[][] shapes = {{16, 99, 27}, {5, 64, 9}, {16, 31, 12}, {13, 300, 800}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2], base = 3;
            int[] rowStart = new int[k];
            for (int p = 0; p < k; p++) rowStart[p] = p % 3 + (p / 3) * 37 % 500;
            float[] src = fill(r, base + 500 + 37 + n + 8), a = fill(r, m * k);
            float[] ap = VectorSgemm.prepackA(m, k, PackedGemm.stridedA(a, 0, k, 1));
            float[] inPlace = fill(r, m * n), packed = new float[m * n];
            VectorSgemm.gemmShiftedRows(m, n, k, ap, src, base, rowStart, inPlace, 0, n);
            VectorSgemm.gemmPrepacked(m, n, k, ap, PackedGemm.shiftedRowsB(src, base, rowStart, n), 0f, packed, 0, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    String what = "m=" + m + " n=" + n + " k=" + k + " C[" + i + "," + j + "]";
                    assertEquals(Float.floatToIntBits(packed[i * n + j]), Float.floatToIntBits(inPlace[i * n + j]), what);
                    double want = 0, mag = 0;
                    for (int p = 0; p < k; p++) {
                        double prod = (double) a[i * k + p] * src[base + rowStart[p] + j];
                        want += prod;
                        mag += Math.abs(prod);
                    }
                    assertEquals(want, inPlace[i * n + j], (k + 2) * mag * 0x1p-24 + Double.MIN_NORMAL, what);
                }
            }
        }
    }

    /**
     * A last column panel of at most one vector goes through {@link HalfPanel}: naive loops on every path that reaches it
     * (A row-major or column-major read in place, a partial row panel, A and B from packers, A prepacked, B from shifted
     * rows), and the same bits as the full-width kernel computes for those columns when B has more columns.
     */
    @Test
    void halfWidthLastPanelsMatchNaiveLoopsAndTheFullKernelBitForBit() {
        SplittableRandom r = new SplittableRandom(8);
        int lanes = VectorSgemm.L, nr = VectorSgemm.NR;
        int[][] shapes = {{12, 1, 5}, {7, lanes, 3}, {13, nr + lanes, 385}, {96, 2 * nr + lanes / 2, 200}, {5, nr + 3, 40}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2], wide = (n + nr - 1) / nr * nr + nr;
            float[] a = fill(r, m * k), b = fill(r, k * wide);
            float[] aT = new float[k * m];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) aT[p * m + i] = a[i * k + p];
            }
            // Reference bits: the same rows of A times B with whole panels only (columns beyond n are extra).
            float[] full = new float[m * wide];
            VectorSgemm.gemm(m, wide, k, a, 0, k, 1, b, 0, wide, 1, 0f, full, 0, wide);
            float[] ap = VectorSgemm.prepackA(m, k, PackedGemm.stridedA(a, 0, k, 1));
            int[] rowStart = new int[k];
            for (int p = 0; p < k; p++) rowStart[p] = p * wide;
            float[][] got = new float[6][m * n];
            VectorSgemm.gemm(m, n, k, a, 0, k, 1, b, 0, wide, 1, 0f, got[0], 0, n);
            VectorSgemm.gemm(m, n, k, aT, 0, 1, m, b, 0, wide, 1, 0f, got[1], 0, n);
            VectorSgemm.gemm(m, n, k, PackedGemm.stridedA(a, 0, k, 1), PackedGemm.stridedB(b, 0, wide, 1), 0f, got[2], 0, n);
            VectorSgemm.gemmPrepacked(m, n, k, ap, PackedGemm.stridedB(b, 0, wide, 1), 0f, got[3], 0, n);
            VectorSgemm.gemmShiftedRows(m, n, k, ap, b, 0, rowStart, got[4], 0, n);
            VectorSgemm.gemmPrepacked(m, n, k, ap, PackedGemm.shiftedRowsB(b, 0, rowStart, n), 0f, got[5], 0, n);
            for (int v = 0; v < got.length; v++) {
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        String what = "path " + v + " m=" + m + " n=" + n + " k=" + k + " C[" + i + "," + j + "]";
                        double want = 0, mag = 0;
                        for (int p = 0; p < k; p++) {
                            double prod = (double) a[i * k + p] * b[p * wide + j];
                            want += prod;
                            mag += Math.abs(prod);
                        }
                        assertEquals(want, got[v][i * n + j], (k + 2) * mag * 0x1p-24 + Double.MIN_NORMAL, what);
                        assertEquals(Float.floatToIntBits(full[i * wide + j]), Float.floatToIntBits(got[v][i * n + j]), what + " bits");
                    }
                }
            }
        }
    }

    private static float[] fill(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }
}
