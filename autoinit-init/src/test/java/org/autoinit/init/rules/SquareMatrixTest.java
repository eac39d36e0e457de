package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The tiled symmetrization against the plain double loop, at sizes below, at and across the tile size. */
class SquareMatrixTest {
    @Test
    void symmetrizeAndMirrorMatchPlainLoops() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int n : new int[] {1, 5, 32, 33, 70, 512}) {
            double[] a = new double[n * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = rng.nextDouble(-1, 1);
            }
            double[] avg = a.clone(), mir = a.clone();
            SquareMatrix.symmetrize(avg, n);
            SquareMatrix.mirrorUpper(mir, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double want = i == j ? a[i * n + i] : 0.5 * (a[i * n + j] + a[j * n + i]);
                    assertEquals(want, avg[i * n + j], 0.0, "symmetrize n=" + n + " (" + i + ", " + j + ")");
                    double up = j >= i ? a[i * n + j] : a[j * n + i];
                    assertEquals(up, mir[i * n + j], 0.0, "mirror n=" + n + " (" + i + ", " + j + ")");
                }
            }
        }
    }
}
