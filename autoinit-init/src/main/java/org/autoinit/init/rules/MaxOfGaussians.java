package org.autoinit.init.rules;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

import org.autoinit.init.moments.numeric.Gaussian;

/**
 * {@code E[f(max_i X_i)^j]}, j = 1, 2, for independent {@code X_i ~ N(M_i, V_i)} with their own means and variances
 * and f non-decreasing (null: the identity): the max has density {@code sum_i phi_i(t) prod_{l != i} Phi_l(t)}.
 * Used for every window of a max-pooled position map ({@link PositionStats}), so a fixed rule, not an adaptive one.
 */
final class MaxOfGaussians {
    private MaxOfGaussians() {}

    /** 8-point Gauss-Legendre nodes and weights on [-1, 1] (positive half). */
    private static final double[] GL_X = {0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363};
    private static final double[] GL_W = {0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763};

    /**
     * Composite 8-point Gauss-Legendre over {@code [min(M - 9 sd), max(M + 9 sd)]}, split at the kinks of f, on panels
     * of at most 2.5 of the smallest sd (the density's narrowest feature; narrower for windows of more than 4):
     * relative error below 1e-7 (tested against the iid order statistics), far below the model's approximations,
     * at a quarter of an adaptive rule's cost. Pieces where the non-decreasing f is 0 at both ends are skipped.
     */
    static double[] moments(double[] mean, double[] var, DoubleUnaryOperator f, double[] kinks) {
        int n = mean.length;
        double smax = 0;
        for (int i = 0; i < n; i++) {
            smax = Math.max(smax, Math.sqrt(var[i]));
        }
        // Written as plain scalar code: C2 of JDK 17 crashed (TypeVect::xmeet) vectorizing an earlier one-line form.
        double[] sd = new double[n];
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY, smin = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            sd[i] = spread(var[i], 1e-6 * Math.max(smax, Math.abs(mean[i])));
            if (sd[i] < smin) {
                smin = sd[i];
            }
            if (mean[i] - 9 * sd[i] < lo) {
                lo = mean[i] - 9 * sd[i];
            }
            if (mean[i] + 9 * sd[i] > hi) {
                hi = mean[i] + 9 * sd[i];
            }
        }
        double[] br = new double[2 + kinks.length];
        int nb = 0;
        br[nb++] = lo;
        br[nb++] = hi;
        for (double kk : kinks) {
            if (kk > lo && kk < hi) {
                br[nb++] = kk;
            }
        }
        double[] breaks = Arrays.copyOf(br, nb); // sorted without a stream (one per pooled window class: thousands per model)
        Arrays.sort(breaks);
        double[] cdf = new double[n], pdf = new double[n];
        // Entries equal to an earlier one of the window (an interior window reads one position class) reuse its
        // Phi and phi: the same doubles, computed once.
        int[] same = new int[n];
        for (int i = 0; i < n; i++) {
            same[i] = i;
            for (int l = 0; l < i; l++) {
                if (mean[l] == mean[i] && sd[l] == sd[i]) {
                    same[i] = l;
                    break;
                }
            }
        }
        // The max of n concentrates as n grows (its spread shrinks like 1 / sqrt(log n)): narrower panels.
        double panel = 2.5 * smin / Math.sqrt(Math.max(1, Math.log(n) / Math.log(4)));
        double s1 = 0, s2 = 0;
        for (int piece = 0; piece + 1 < breaks.length; piece++) {
            double a = breaks[piece], b = breaks[piece + 1];
            if (f != null && f.applyAsDouble(a) == 0 && f.applyAsDouble(b) == 0) {
                continue; // f is non-decreasing, so it is 0 on the whole piece (relu below its kink)
            }
            int panels = (int) Math.min(400, Math.max(1, Math.ceil((b - a) / panel)));
            double width = (b - a) / panels;
            for (int p = 0; p < panels; p++) {
                double center = a + (p + 0.5) * width, half = 0.5 * width;
                for (int node = 0; node < 8; node++) {
                    double t = center + (node < 4 ? -half * GL_X[node] : half * GL_X[node - 4]);
                    double dens = 0;
                    for (int i = 0; i < n; i++) {
                        if (same[i] != i) {
                            cdf[i] = cdf[same[i]];
                            pdf[i] = pdf[same[i]];
                            continue;
                        }
                        // phi and Phi from one exponential (Gaussian.cdf(z, e)): a third of the node's cost.
                        double z = (t - mean[i]) / sd[i], e = Math.exp(-0.5 * z * z);
                        cdf[i] = Gaussian.cdf(z, e);
                        pdf[i] = Gaussian.INV_SQRT_2PI * e / sd[i];
                    }
                    for (int i = 0; i < n; i++) {
                        double d = pdf[i];
                        for (int l = 0; l < n && d != 0; l++) {
                            if (l != i) {
                                d *= cdf[l];
                            }
                        }
                        dens += d;
                    }
                    double y = f == null ? t : f.applyAsDouble(t), wt = half * GL_W[node % 4] * dens;
                    s1 += y * wt;
                    s2 += y * y * wt;
                }
            }
        }
        return new double[] {s1, s2};
    }

    /** sqrt(v), at least {@code floor}: a (near-)constant entry's CDF step becomes a steep, integrable ramp. */
    private static double spread(double v, double floor) {
        double s = Math.sqrt(v);
        if (s < floor) {
            s = floor;
        }
        return s > 0 ? s : Double.MIN_NORMAL;
    }
}
