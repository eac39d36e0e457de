package org.autoinit.init.rules;

import org.autoinit.tensor.parallel.Parallel;

/**
 * The off-diagonal part of {@link FeatureCovariance#activation}: for every pair i < j, Mehler's
 * {@code Cov(f_i, f_j) = sum_{k=1..K} rho_ij^k b_k(i) b_k(j)} (plus the truncated tail at its leading order) and the
 * pair's share of the energy-spread excess. One row i at a time, each sum vectorized across j (the coefficients
 * stored k-major so that the inner loops stream contiguous arrays); rows are independent, so the result does not
 * depend on how they are spread over the threads.
 */
final class MehlerPairs {
    private MehlerPairs() {}

    /**
     * Fills both triangles of {@code out} ({@code d x d}, row-major) from the coefficients {@code b[i]} (f at 0..K, f^2
     * at K+1..2K+1), the covariance {@code c} and the per-feature tails; returns the summed excess over the pairs.
     */
    static double fill(double[][] b, double[] tail, double[] c, int d, int K, double[] out) {
        int o = K + 1;
        // Rows padded off a 4 KiB multiple: d = 512 would put element j of every stream in one cache set.
        int pad = d % 512 == 0 ? 8 : 0;
        double[][] bt = new double[2 * o][d + pad];
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < 2 * o; k++) {
                bt[k][j] = b[j][k];
            }
            sd[j] = Math.sqrt(Math.max(0, c[j * d + j]));
        }
        double[] rowExcess = new double[d];
        int chunks = Math.max(1, Math.min(Parallel.threads(), d / 64));
        // Rows dealt round-robin: row i costs d - i, so contiguous blocks would leave the first thread most of the work.
        Parallel.forChunks(chunks, ch -> {
            double[] r = new double[d + 2 * pad], p = new double[d + 3 * pad], q = new double[d + 9 * pad], s1 = new double[d + 5 * pad],
                    s2 = new double[d + 7 * pad];
            for (int i = ch; i < d; i += chunks) {
                rowExcess[i] = row(i, bt, tail, c, sd, d, K, out, r, p, q, s1, s2);
            }
        });
        double excess = 0;
        for (int i = 0; i < d; i++) {
            excess += rowExcess[i];
        }
        SquareMatrix.mirrorUpper(out, d);
        return excess;
    }

    /**
     * The highest order whose terms can matter in a row whose correlations are at most {@code rmax} in size: since
     * {@code sum_k |b_k(i) b_k(j)| <= sqrt(v_i v_j)} (Cauchy-Schwarz; {@code sum_k b_k^2} is f's variance, likewise
     * for f^2), the terms of order above t add at most {@code rmax^(t+1) sqrt(v_i v_j)}, which is at most
     * {@code 2^-60 sqrt(v_i v_j)} for {@code t + 1 >= 60 ln 2 / -ln rmax} (as is the tail term {@code rho^(K+1)
     * sqrt(t_i t_j)}, {@code t <= v}, left out too when t < K): below the rounding of the sum, so the row's
     * values are those of the full order K to within an ulp or so. A random layer's correlations are small (about
     * {@code 1/sqrt(fan-in)}: rmax ~ 0.1-0.15 at 512 features, t ~ 19-22 instead of 40).
     */
    static int top(double rmax, int K) {
        if (!(rmax < 1)) {
            return K;
        }
        double t = Math.ceil(60 * Math.log(2) / -Math.log(rmax));
        return (int) Math.max(1, Math.min(K, t));
    }

    /** Row i's pairs (i, j > i) into {@code out[i d + j]}; returns their excess. Scratch arrays of length d. */
    private static double row(int i, double[][] bt, double[] tail, double[] c, double[] sd, int d, int K, double[] out,
            double[] r, double[] p, double[] q, double[] s1, double[] s2) {
        int from = i + 1, o = K + 1;
        double si = sd[i], rmax = 0;
        for (int j = from; j < d; j++) {
            double sj = sd[j];
            r[j] = si > 0 && sj > 0 ? Math.max(-1, Math.min(1, c[i * d + j] / (si * sj))) : 0;
            rmax = Math.max(rmax, Math.abs(r[j]));
            s1[j] = 0;
            s2[j] = 0;
        }
        // Horner in rho: sum_{k=1..K} rho^k c_k = rho (c_1 + rho (c_2 + ... + rho c_K)), one multiply-add per term
        // and pass (a power kept per term took a third pass over the row). Only up to the row's order top(rmax): the
        // terms above it are below 2^-60 sqrt(v_i v_j) together, under the rounding of the sum.
        int top = top(rmax, K), k = top;
        for (; k >= 2; k -= 2) {
            // Two terms per pass (the rows are re-read once per pass), and two simple loops rather than one fused
            // loop over s1 and s2: C2 vectorizes each of them, not the fused one.
            double bk = bt[k][i], bl = bt[k - 1][i], bk2 = bt[o + k][i], bl2 = bt[o + k - 1][i];
            double[] rowK = bt[k], rowL = bt[k - 1], rowK2 = bt[o + k], rowL2 = bt[o + k - 1];
            for (int j = from; j < d; j++) {
                s1[j] = (s1[j] * r[j] + bk * rowK[j]) * r[j] + bl * rowL[j];
            }
            for (int j = from; j < d; j++) {
                s2[j] = (s2[j] * r[j] + bk2 * rowK2[j]) * r[j] + bl2 * rowL2[j];
            }
        }
        for (; k >= 1; k--) {
            double bk = bt[k][i], bk2 = bt[o + k][i];
            double[] row = bt[k], row2 = bt[o + k];
            for (int j = from; j < d; j++) {
                s1[j] = s1[j] * r[j] + bk * row[j];
            }
            for (int j = from; j < d; j++) {
                s2[j] = s2[j] * r[j] + bk2 * row2[j];
            }
        }
        double excess = 0, b0 = bt[0][i], ti = tail[i];
        double[] row0 = bt[0];
        if (top < K) {
            // The tail term rho^(K+1) sqrt(t_i t_j) is below 2^-60 sqrt(v_i v_j) too (t <= v): left out with the others.
            for (int j = from; j < d; j++) {
                double sum = s1[j] * r[j];
                excess += 2 * (s2[j] * r[j] - 2 * sum * sum - 4 * b0 * row0[j] * sum);
                out[i * d + j] = sum;
            }
            return excess;
        }
        // rho^(K+1) by repeated squaring, one vectorizable pass per step (s1 and s2 are final, p is the squares).
        for (int j = from; j < d; j++) {
            p[j] = r[j];
            q[j] = 1;
        }
        for (int e = K + 1; e > 0; e >>= 1) {
            if ((e & 1) != 0) {
                for (int j = from; j < d; j++) {
                    q[j] *= p[j];
                }
            }
            for (int j = from; j < d; j++) {
                p[j] *= p[j];
            }
        }
        for (int j = from; j < d; j++) {
            double sum = s1[j] * r[j];
            excess += 2 * (s2[j] * r[j] - 2 * sum * sum - 4 * b0 * row0[j] * sum);
            // The truncated terms, at the size of their leading order rho^(K+1).
            out[i * d + j] = sum + q[j] * Math.sqrt(ti * tail[j]);
        }
        return excess;
    }
}
