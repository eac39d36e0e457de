package org.autoinit.init.rules;

import java.util.SplittableRandom;

/**
 * Attention's mixing when tokens have a per-token scale: token-specific parts {@code e_s = sqrt(r_s) g_s}, g Gaussian,
 * {@code E[r] = 1}, {@code Var(r) = kappa} ({@link Signal#tokenScale()}; log r Gaussian). Two queries of one sample, the
 * tokens of keys 0 and 1 (scales r_0, r_1), score key s with {@code z_is = sqrt(r_s) (a xi_s + sqrt(s2 f r_i) eta_is)},
 * {@code a^2 = s2 (1 - f)}: f is the token-specific share of the query's second moment (its channel means and
 * sample-coherent part do not scale with the query's r and score every key the same way for all queries of the sample,
 * the common xi). A value coordinate is {@code sqrt(r_s)} times a Gaussian with a 1/D share of its variance along each
 * of the score directions xi, eta_1, eta_2 (D the tokens' effective dimension, as in {@link AttentionRule}) and the rest
 * independent of the weights. Averaging over that rest, with {@code A_ij = sum_s p_is p_js r_s}:
 * <pre>E[O_i O_j] = (1 - 3/D) A_ij + (1/D) [(sum p_i sqrt(r) xi)(sum p_j sqrt(r) xi) + the same for eta_1 and eta_2].</pre>
 * Returned: the factor {@code F = E[O_1^2]} (for kappa = 0 and f = 1 this is {@link AttentionRule#mixing}'s
 * {@code (1 - 1/D) P2 + T / (D s2)}: softmax favours keys of large r, whose values are large, so F grows with kappa),
 * the cross moment {@code C = E[O_1 O_2]} (the output's part shared by the queries of a sample: 1/n for equal weights,
 * more when the shared score part xi makes all queries favour the same keys), and the output's own token scale
 * {@code E[A_11^2] / E[A_11]^2 - 1} (the realized single-direction terms are left
 * out, being part of the Gaussian spread of a D-dimensional token). This overstates the measured spread of attention
 * outputs 2.4-5.4x in the ViT without LayerNorm: an output token averages the heads, whose weights are independent given
 * the token scales, which would divide most of it by the number of heads; the overstatement compensates the
 * under-weighted tilt term of an overstated effective dimension D downstream (docs/moment-propagation.md, section 6). Seeded Monte Carlo over
 * {@value #REPLICATES} query pairs (relative standard error of F about 0.5%; same bits every run), memoized.
 */
final class AttentionScaleMixture {
    private AttentionScaleMixture() {}

    static final int REPLICATES = 1 << 14;

    private record Key(int n, double s2, double tokenShare, double invRank, double kappa) {}

    private static final Memo<Key, double[]> MEMO = new Memo<>(512);

    /**
     * {@code {F, C, kappa_out}} (see the class comment) for n keys, total score variance s2, token-specific share f of the query,
     * inverse effective dimension 1/D and token-scale variance kappa.
     */
    static double[] of(int n, double s2, double tokenShare, double invRank, double kappa) {
        if (n < 1 || !(s2 >= 0) || !Double.isFinite(s2) || !(tokenShare >= 0 && tokenShare <= 1) || !(invRank >= 0 && invRank <= 1)
                || !(kappa >= 0) || !Double.isFinite(kappa)) {
            throw new IllegalArgumentException("attention scale mixture: need n >= 1, finite s2 >= 0, token share and 1/D in [0, 1], kappa >= 0; got n="
                    + n + ", s2=" + s2 + ", tokenShare=" + tokenShare + ", invRank=" + invRank + ", kappa=" + kappa);
        }
        return MEMO.get(new Key(n, s2, tokenShare, invRank, kappa), k -> compute(k.n, k.s2, k.tokenShare, k.invRank, k.kappa));
    }

    private static double[] compute(int n, double s2, double f, double invRank, double kappa) {
        SplittableRandom rng = new SplittableRandom(0x5CA1EL ^ n);
        double t = Math.log1p(kappa), sd = Math.sqrt(t);
        double shared = Math.sqrt(s2 * (1 - f)), c = invRank, keep = Math.max(0, 1 - 3 * invRank);
        double[] r = new double[n], rt = new double[n], xi = new double[n], e1 = new double[n], e2 = new double[n], p1 = new double[n],
                p2 = new double[n];
        double sumE = 0, sumX = 0, sumD = 0, sumA = 0, sumA12 = 0;
        for (int rep = 0; rep < REPLICATES; rep++) {
            for (int s = 0; s < n; s++) {
                r[s] = Math.exp(sd * rng.nextGaussian() - t / 2);
                rt[s] = Math.sqrt(r[s]);
                xi[s] = rng.nextGaussian();
                e1[s] = rng.nextGaussian();
                e2[s] = rng.nextGaussian();
            }
            // Queries 1 and 2 are the tokens of keys 0 and 1 (min(1, n - 1)).
            double a1 = Math.sqrt(s2 * f * r[0]), a2 = Math.sqrt(s2 * f * r[Math.min(1, n - 1)]);
            for (int s = 0; s < n; s++) {
                p1[s] = rt[s] * (shared * xi[s] + a1 * e1[s]);
                p2[s] = rt[s] * (shared * xi[s] + a2 * e2[s]);
            }
            softmax(p1);
            softmax(p2);
            double a11 = 0, a12 = 0, a22 = 0, x1 = 0, x2 = 0, y11 = 0, y12 = 0, y21 = 0, y22 = 0;
            for (int s = 0; s < n; s++) {
                a11 += p1[s] * p1[s] * r[s];
                a12 += p1[s] * p2[s] * r[s];
                a22 += p2[s] * p2[s] * r[s];
                x1 += p1[s] * rt[s] * xi[s];
                x2 += p2[s] * rt[s] * xi[s];
                y11 += p1[s] * rt[s] * e1[s];
                y12 += p1[s] * rt[s] * e2[s];
                y21 += p2[s] * rt[s] * e1[s];
                y22 += p2[s] * rt[s] * e2[s];
            }
            // Per value coordinate: E[O_1^2], E[O_2^2] and E[O_1 O_2] over the part of the values not along the scores.
            double q1 = keep * a11 + c * (x1 * x1 + y11 * y11 + y12 * y12);
            double q2 = keep * a22 + c * (x2 * x2 + y21 * y21 + y22 * y22);
            double q12 = keep * a12 + c * (x1 * x2 + y11 * y21 + y12 * y22);
            sumE += (q1 + q2) / 2;
            sumX += q12;
            sumD += (a11 * a11 + a22 * a22) / 2;
            sumA += (a11 + a22) / 2;
            sumA12 += a12;
        }
        double mean = sumE / REPLICATES, cross = Math.min(mean, sumX / REPLICATES), within = sumD / REPLICATES;
        double a = sumA / REPLICATES;
        return new double[] {mean, cross, a > 0 ? Math.max(0, within / (a * a) - 1) : 0};
    }

    /** In place: {@code p = softmax(p)}. */
    private static void softmax(double[] p) {
        double max = Double.NEGATIVE_INFINITY, norm = 0;
        for (double v : p) {
            max = Math.max(max, v);
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(p[i] - max);
            norm += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= norm;
        }
    }
}
