package org.autoinit.nn.init;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.blas.Gemm;
import org.junit.jupiter.api.Test;

/** The CholeskyQR2 path of {@link Orthogonal}: the same Q as Householder with signs fixed, and fast on large weights. */
class OrthogonalTest {

    private static double[] gaussian(int m, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] a = new double[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        return a;
    }

    private static double[] householder(double[] a, int m, int n) {
        double[][] rows = new double[m][n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(a, i * n, rows[i], 0, n);
        }
        double[][] q = Orthogonal.thinQ(rows, m, n);
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(q[i], 0, out, i * n, n);
        }
        return out;
    }

    @Test
    void choleskyQr2GivesHouseholdersQ() {
        for (int[] mn : new int[][] {{64, 64}, {300, 40}, {97, 96}, {1, 1}, {5, 1}}) {
            int m = mn[0], n = mn[1];
            double[] a = gaussian(m, n, m * 31 + n);
            double[] want = householder(a.clone(), m, n);
            double[] got = Orthogonal.orthonormalColumns(a.clone(), m, n);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-10, m + "x" + n + " entry " + i);
            }
        }
    }

    @Test
    void rankDeficientInputFallsBackToHouseholder() {
        int m = 20, n = 6;
        double[] a = gaussian(m, n, 3);
        for (int i = 0; i < m; i++) {
            a[i * n + 5] = a[i * n + 2]; // two equal columns: A^T A is singular
        }
        double[] g = new double[n * n];
        Gemm.dgemm(true, false, n, n, m, a, 0, a, 0, 0.0, g, 0);
        assertNull(Orthogonal.lowerInverseOfCholesky(g, n), "Cholesky of a singular Gram matrix must be refused");
        double[] q = Orthogonal.orthonormalColumns(a.clone(), m, n);
        double[] want = householder(a.clone(), m, n);
        for (int i = 0; i < q.length; i++) {
            assertEquals(want[i], q[i], 0.0, "entry " + i);
        }
    }

    @Test
    void largeConvWeightIsOrthonormalQuickly() {
        // ResNet-50's layer-4 3x3 conv: [512, 512, 3, 3], rows orthonormal over 4608 columns (Householder took ~10 s).
        Tensor t = Tensor.zeros(DType.FLOAT64, 512, 512, 3, 3);
        long t0 = System.nanoTime();
        new Orthogonal(1.0).initialize(t, null, new SplittableRandom(1));
        double seconds = (System.nanoTime() - t0) / 1e9;
        int rows = 512, cols = 4608;
        double[] w = t.doubleData(), g = new double[rows * rows];
        Gemm.dgemm(false, true, rows, rows, cols, w, 0, w, 0, 0.0, g, 0);
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < rows; j++) {
                worst = Math.max(worst, Math.abs(g[i * rows + j] - (i == j ? 1 : 0)));
            }
        }
        assertTrue(worst < 1e-12, "max |W W^T - I| = " + worst);
        assertTrue(seconds < 20, "took " + seconds + " s");
    }
}
