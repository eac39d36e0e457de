package org.autoinit.init.rules;

import org.autoinit.tensor.parallel.Parallel;

/**
 * In-place symmetrization of a row-major {@code n x n} matrix, one 32 x 32 tile pair at a time through a local
 * buffer: a plain column walk misses the cache on every element, and for n a multiple of 512 every element of a
 * column maps to the same cache set (4 KiB stride), about 10x slower. Large matrices are split over the threads by
 * tile rows (pure copies and pairwise averages: the same bits whatever the split).
 */
final class SquareMatrix {
    private SquareMatrix() {}

    private static final int T = 32;

    /** {@code A <- (A + A^T) / 2}. */
    static void symmetrize(double[] a, int n) {
        apply(a, n, true);
    }

    /** Copies the strict upper triangle onto the lower one. */
    static void mirrorUpper(double[] a, int n) {
        apply(a, n, false);
    }

    /** Sizes from which the tile rows are spread over the threads (each tile pair is read and written by one thread). */
    static final int PARALLEL_MIN = 256;

    private static void apply(double[] a, int n, boolean average) {
        int rows = (n + T - 1) / T;
        int chunks = n >= PARALLEL_MIN ? Math.max(1, Math.min(Parallel.threads(), rows)) : 1;
        // Tile rows dealt round-robin: tile row r holds rows - r tile pairs, contiguous blocks would be unbalanced.
        // Each pair (i0, j0) touches only the tiles (i0, j0) and (j0, i0), so the threads never share an element.
        Parallel.forChunks(chunks, ch -> {
            double[] buf = new double[T * T];
            for (int r = ch; r < rows; r += chunks) {
                tileRow(a, n, r * T, average, buf);
            }
        });
    }

    /** The tile pairs {@code (i0, j0 >= i0)} of the tile row starting at row i0. */
    private static void tileRow(double[] a, int n, int i0, boolean average, double[] buf) {
        int ih = Math.min(n, i0 + T);
        for (int j0 = i0; j0 < n; j0 += T) {
            int jh = Math.min(n, j0 + T);
            if (average) { // the lower tile, transposed into buf (row reads)
                for (int j = j0; j < jh; j++) {
                    for (int i = i0; i < ih; i++) {
                        buf[(i - i0) * T + (j - j0)] = a[j * n + i];
                    }
                }
            }
            for (int i = i0; i < ih; i++) {
                for (int j = Math.max(j0, i + 1); j < jh; j++) {
                    int q = (i - i0) * T + (j - j0);
                    double x = average ? 0.5 * (a[i * n + j] + buf[q]) : a[i * n + j];
                    a[i * n + j] = x;
                    buf[q] = x;
                }
            }
            for (int j = j0; j < jh; j++) {
                for (int i = i0; i < Math.min(ih, j); i++) {
                    a[j * n + i] = buf[(i - i0) * T + (j - j0)];
                }
            }
        }
    }
}
