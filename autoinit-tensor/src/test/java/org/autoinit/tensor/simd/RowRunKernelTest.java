package org.autoinit.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link RowRunKernel#accumulate} against a double loop: overlapping and repeated runs, C rows wider than a vector, kc 0..300. */
class RowRunKernelTest {
    @BeforeAll
    static void requireSimd() {
        Assumptions.assumeTrue(Simd.enabled(), "Vector API loops not enabled in this JVM");
    }

    @Test
    void addsTheRunProductsToC() {
        SplittableRandom r = new SplittableRandom(3);
        int lanes = RowRunKernel.lanes(), rows = RowRunKernel.ROWS, crs = lanes + 5, co = 2;
        for (int kc : new int[] {0, 1, 7, 300}) {
            float[] a = new float[kc + 400], b = new float[3 + kc * lanes], c = new float[co + rows * crs];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            for (int i = 0; i < c.length; i++) c[i] = (float) r.nextGaussian();
            int[] starts = new int[rows];
            for (int q = 0; q < rows; q++) starts[q] = q == rows - 1 ? starts[q - 1] : q * 33 % 397; // last row repeats one
            float[] c0 = c.clone();
            RowRunKernel.accumulate(kc, a, starts, b, 3, c, co, crs);
            for (int at = 0; at < c.length; at++) {
                int rel = at - co, q = Math.floorDiv(rel, crs), j = Math.floorMod(rel, crs);
                if (rel < 0 || q >= rows || j >= lanes) {
                    assertEquals(c0[at], c[at], 0f, "kc=" + kc + ": wrote outside the tile at " + at);
                    continue;
                }
                double want = c0[at], mag = Math.abs(want);
                for (int p = 0; p < kc; p++) {
                    double prod = (double) a[starts[q] + p] * b[3 + p * lanes + j];
                    want += prod;
                    mag += Math.abs(prod);
                }
                assertEquals(want, c[at], (kc + 2) * mag * 0x1p-24 + Double.MIN_NORMAL, "kc=" + kc + " row " + q + " column " + j);
            }
        }
    }
}
