package org.autoinit.init.rules;

import org.autoinit.tensor.blas.Gemm;
import org.autoinit.tensor.parallel.Parallel;

/**
 * {@link FeatureCovariance#through}'s {@code W^T C W} for a large float32 weight, in float32 on the GEMM (the Vector
 * API kernel, several times float64's speed) and syrk style: only the blocks on and above the diagonal are computed,
 * about 56% of the full product, and mirrored. The weights are float32 already; the float32 sums over d inputs leave
 * each entry within about {@code sqrt(d) 2^-24} of its scale (1e-6 relative at d = 784), far below what the
 * covariance is used for (correlations feeding Mehler's expansion, variances compared with Monte Carlo at percents).
 * Blocks are fixed by n alone and the GEMM splits only along rows or columns, so the bits do not depend on the thread
 * count. The upper triangle goes by column panels ({@link #upper}), every product untransposed.
 */
final class SymmetricProduct {
    /** {@code d n^2} from which float32 is used (smaller products cost little in float64 and keep its precision). */
    static final long FLOAT32_WORK = 1L << 22;
    /** Columns per panel of {@link #upper}: with the lower parts of the diagonal blocks, 56% of the full product at n = 512. */
    static final int PANEL = 64;

    private SymmetricProduct() {}

    /** {@code W^T diag(c) W} (n x n, both triangles) for a {@code [d, n]} weight: {@code A^T A} with {@code A = sqrt(c) W}. */
    static double[] diagonal(float[] w, double[] c, int d, int n) {
        float[] s = new float[d];
        for (int i = 0; i < d; i++) {
            s[i] = (float) Math.sqrt(Math.max(0, c[i * d + i]));
        }
        float[] a = new float[d * n];
        Parallel.forRange(d, 64, (from, to) -> {
            for (int i = from; i < to; i++) {
                for (int b = 0; b < n; b++) {
                    a[i * n + b] = s[i] * w[i * n + b];
                }
            }
        });
        return upper(transpose(w, s, d, n), a, n, d);
    }

    /**
     * {@code W^T C W} (n x n) for a {@code [d, n]} weight and a full {@code d x d} C; also returns {@code W^T C}
     * ({@code [n, d]}, float32) in {@code wtc[0]} (the transpose of the cross-covariance {@code C W}).
     */
    static double[] full(float[] w, double[] c, int d, int n, float[][] wtc) {
        float[] c32 = new float[d * d];
        for (int i = 0; i < c32.length; i++) {
            c32[i] = (float) c[i];
        }
        float[] left = new float[n * d];
        Gemm.sgemm(true, false, n, d, d, w, 0, c32, 0, 0f, left, 0);
        wtc[0] = left;
        return upper(left, w, n, d);
    }

    /**
     * {@code t[a][i] = s_i w[i][a]} ({@code [n, d]}) for a {@code [d, n]} weight (s null: 1), in 32 x 32 tiles: a plain
     * column walk writes every entry to another cache line (784 x 512: 0.4 M scattered writes).
     */
    static float[] transpose(float[] w, float[] s, int d, int n) {
        float[] t = new float[n * d];
        // Blocks of 32 rows of t (columns of w) over the threads: each entry written once, by one thread.
        Parallel.forRange((n + 31) / 32, 4, (fromBlock, toBlock) -> {
            for (int i0 = 0; i0 < d; i0 += 32) {
                int i1 = Math.min(d, i0 + 32);
                for (int a0 = fromBlock * 32; a0 < Math.min(n, toBlock * 32); a0 += 32) {
                    int a1 = Math.min(n, a0 + 32);
                    for (int a = a0; a < a1; a++) {
                        for (int i = i0; i < i1; i++) {
                            t[a * d + i] = s == null ? w[i * n + a] : s[i] * w[i * n + a];
                        }
                    }
                }
            }
        });
        return t;
    }

    /**
     * {@code out[a][b] = sum_i x[a][i] yt[i][b]} for b >= a ({@code x} is {@code [n, d]}, {@code yt} is {@code [d, n]}),
     * mirrored onto b < a. Column panels of {@link #PANEL}: panel {@code [b0, b1)} needs rows {@code [0, b1)} only, a
     * plain {@code [b1, d] x [d, b1 - b0]} product from the panel copied contiguous (d runs of its width). Row blocks
     * against a transposed operand, as before, ran at ~34 GFMA/s per thread for 64-row blocks against ~54 for these
     * (the GEMM packs a transposed B again on every call).
     */
    private static double[] upper(float[] x, float[] yt, int n, int d) {
        double[] out = new double[n * n];
        int width = Math.min(PANEL, n);
        float[] panel = new float[d * width], buf = new float[n * width];
        for (int b0 = 0; b0 < n; b0 += width) {
            int pw = Math.min(width, n - b0), b1 = b0 + pw;
            for (int i = 0; i < d; i++) {
                System.arraycopy(yt, i * n + b0, panel, i * pw, pw);
            }
            Gemm.sgemm(false, false, b1, pw, d, x, 0, panel, 0, 0f, buf, 0);
            for (int a = 0; a < b1; a++) {
                for (int j = Math.max(0, a - b0); j < pw; j++) {
                    out[a * n + b0 + j] = buf[a * pw + j];
                }
            }
        }
        SquareMatrix.mirrorUpper(out, n);
        return out;
    }

    /** {@code C W} ({@code [d, n]}, float64) from {@link #full}'s {@code W^T C} ({@code [n, d]}). */
    static double[] transposed(float[] wtc, int n, int d) {
        double[] k = new double[d * n];
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < d; i++) {
                k[i * n + a] = wtc[a * d + i];
            }
        }
        return k;
    }
}
