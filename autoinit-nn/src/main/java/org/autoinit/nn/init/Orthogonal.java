package org.autoinit.nn.init;

import java.util.random.RandomGenerator;

import org.autoinit.nn.Fans;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.blas.Gemm;

/**
 * (Semi-)orthogonal weights times {@code gain} (Saxe et al. 2014), as torch.nn.init.orthogonal_: view the
 * tensor as {@code [rows = dim 0, cols = rest]} (conv {@code [O, C/g, kh, kw]} becomes {@code [O, C/g*kh*kw]}),
 * take a Gaussian matrix of the taller orientation, QR it with R's diagonal positive (making Q
 * Haar-distributed; CholeskyQR2 on the GEMM, Householder as the fallback), transpose back if needed. Rows (or columns, whichever are fewer)
 * are orthonormal, so entries have variance {@code gain^2 / max(rows, cols)}.
 */
public record Orthogonal(double gain) implements Initializer {
    public Orthogonal {
        if (!Double.isFinite(gain)) {
            throw new IllegalArgumentException("Orthogonal: gain must be finite, got " + gain);
        }
    }

    @Override
    public void initialize(Tensor target, Fans fans, RandomGenerator rng) {
        if (target.rank() < 2) {
            throw new IllegalArgumentException("Orthogonal: only tensors with 2 or more dimensions are supported, got shape "
                    + java.util.Arrays.toString(target.shape()));
        }
        int rows = target.dim(0);
        int cols = target.numel() / rows;
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows, n = transpose ? rows : cols;
        double[] a = new double[m * n];
        // Sample in the tensor's own row-major order (then transpose), as PyTorch does.
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                a[transpose ? c * n + r : r * n + c] = rng.nextGaussian();
            }
        }
        double[] q = orthonormalColumns(a, m, n);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                target.setFlat(r * cols + c, gain * q[transpose ? c * n + r : r * n + c]);
            }
        }
    }

    /**
     * The Q of A = QR with diag(R) > 0 for a row-major {@code m x n} A (m >= n): CholeskyQR2 (Q = A R^-1 with
     * {@code R^T R = A^T A}, repeated once to wash out the rounding error), whose work is three GEMMs per pass
     * instead of Householder's column-by-column updates (ResNet-50 in seconds, not minutes). Each pass
     * multiplies by an upper triangular matrix with a positive diagonal, so the result is the same unique Q as
     * Householder's with signs fixed. If a Cholesky factor does not exist in floating point (A near rank
     * deficient) or the columns are still not orthonormal to 1e-12 after three passes, Householder is used.
     */
    static double[] orthonormalColumns(double[] a, int m, int n) {
        double[] q = a, g = new double[n * n];
        for (int pass = 0; pass < 4; pass++) {
            Gemm.dgemm(true, false, n, n, m, q, 0, q, 0, 0.0, g, 0);
            if (pass > 0 && offIdentity(g, n) < 1e-12) {
                return q;
            }
            double[] linv = pass < 3 ? lowerInverseOfCholesky(g, n) : null;
            if (linv == null) {
                break;
            }
            double[] next = new double[m * n];
            Gemm.dgemm(false, true, m, n, n, q, 0, linv, 0, 0.0, next, 0); // Q L^-T = Q R^-1
            q = next;
        }
        double[][] rowsOfA = new double[m][n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(a, i * n, rowsOfA[i], 0, n);
        }
        double[][] h = thinQ(rowsOfA, m, n);
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(h[i], 0, out, i * n, n);
        }
        return out;
    }

    /** max |G - I|. */
    private static double offIdentity(double[] g, int n) {
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                worst = Math.max(worst, Math.abs(g[i * n + j] - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }

    /**
     * {@code L^-1} (row-major, lower) for the Cholesky factor {@code G = L L^T} of a symmetric {@code n x n} G,
     * or null when a pivot is not clearly positive (G numerically singular).
     */
    static double[] lowerInverseOfCholesky(double[] g, int n) {
        double[] l = new double[n * n];
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int j = 0; j <= i; j++) {
                int rj = j * n;
                double s = g[ri + j];
                for (int k = 0; k < j; k++) {
                    s -= l[ri + k] * l[rj + k];
                }
                if (i == j) {
                    if (!(s > 1e-10 * g[ri + i])) {
                        return null;
                    }
                    l[ri + i] = Math.sqrt(s);
                } else {
                    l[ri + j] = s / l[rj + j];
                }
            }
        }
        // Row i of L^-1: (e_i - sum_{k<i} L[i][k] row k of L^-1) / L[i][i]; rows are contiguous, so each step is an axpy.
        double[] inv = new double[n * n];
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int k = 0; k < i; k++) {
                double c = l[ri + k];
                if (c == 0) {
                    continue;
                }
                int rk = k * n;
                for (int j = 0; j <= k; j++) {
                    inv[ri + j] -= c * inv[rk + j];
                }
            }
            inv[ri + i] += 1;
            double d = l[ri + i];
            for (int j = 0; j <= i; j++) {
                inv[ri + j] /= d;
            }
        }
        return inv;
    }

    /** Thin Q (m x n, m >= n) of A = QR by Householder reflections, columns signed so diag(R) >= 0. Overwrites a. */
    static double[][] thinQ(double[][] a, int m, int n) {
        double[][] v = new double[n][];
        double[] rdiag = new double[n];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += a[i][k] * a[i][k];
            }
            norm = Math.sqrt(norm);
            double alpha = a[k][k] > 0 ? -norm : norm; // reflect away from x to avoid cancellation
            double[] vk = new double[m - k];
            for (int i = k; i < m; i++) {
                vk[i - k] = a[i][k];
            }
            vk[0] -= alpha;
            double vn = 0;
            for (double x : vk) {
                vn += x * x;
            }
            v[k] = vk;
            rdiag[k] = alpha;
            if (vn == 0) {
                continue;
            }
            for (int j = k; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += vk[i - k] * a[i][j];
                }
                double f = 2 * dot / vn;
                for (int i = k; i < m; i++) {
                    a[i][j] -= f * vk[i - k];
                }
            }
        }
        // Q = H_0 ... H_{n-1} applied to the first n columns of the identity, back to front.
        double[][] q = new double[m][n];
        for (int i = 0; i < n; i++) {
            q[i][i] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            double[] vk = v[k];
            double vn = 0;
            for (double x : vk) {
                vn += x * x;
            }
            if (vn == 0) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                double dot = 0;
                for (int i = k; i < m; i++) {
                    dot += vk[i - k] * q[i][j];
                }
                double f = 2 * dot / vn;
                for (int i = k; i < m; i++) {
                    q[i][j] -= f * vk[i - k];
                }
            }
        }
        for (int j = 0; j < n; j++) {
            if (rdiag[j] < 0) {
                for (int i = 0; i < m; i++) {
                    q[i][j] = -q[i][j];
                }
            }
        }
        return q;
    }
}
