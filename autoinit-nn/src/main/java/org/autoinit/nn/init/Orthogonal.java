package org.autoinit.nn.init;

import java.util.random.RandomGenerator;

import org.autoinit.nn.Fans;
import org.autoinit.tensor.Tensor;

/**
 * (Semi-)orthogonal weights times {@code gain} (Saxe et al. 2014), as torch.nn.init.orthogonal_: view the
 * tensor as {@code [rows = dim 0, cols = rest]} (conv {@code [O, C/g, kh, kw]} becomes {@code [O, C/g*kh*kw]}),
 * take a Gaussian matrix of the taller orientation, QR it (Householder), fix signs so R has a positive
 * diagonal (making Q Haar-distributed), transpose back if needed. Rows (or columns, whichever are fewer)
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
        double[][] a = new double[m][n];
        // Sample in the tensor's own row-major order (then transpose), as PyTorch does.
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double z = rng.nextGaussian();
                if (transpose) {
                    a[c][r] = z;
                } else {
                    a[r][c] = z;
                }
            }
        }
        double[][] q = thinQ(a, m, n);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                target.setFlat(r * cols + c, gain * (transpose ? q[c][r] : q[r][c]));
            }
        }
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
