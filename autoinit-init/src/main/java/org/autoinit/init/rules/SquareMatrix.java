package org.autoinit.init.rules;

/**
 * In-place symmetrization of a row-major {@code n x n} matrix, one 32 x 32 tile pair at a time through a local
 * buffer: a plain column walk misses the cache on every element, and for n a multiple of 512 every element of a
 * column maps to the same cache set (4 KiB stride), about 10x slower.
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

    private static void apply(double[] a, int n, boolean average) {
        double[] buf = new double[T * T];
        for (int i0 = 0; i0 < n; i0 += T) {
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
}
