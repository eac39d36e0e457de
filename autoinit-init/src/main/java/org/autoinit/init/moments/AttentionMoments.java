package org.autoinit.init.moments;

import org.autoinit.init.moments.numeric.GaussKronrod;
import org.autoinit.init.moments.numeric.Gaussian;

/**
 * Moment rules around softmax: attention weights and softmax outputs.
 *
 * <p>{@code E[sum_j p_j^2]} for {@code p = softmax(S)}, S_1..S_n iid N(0, s2), is computed exactly (up to
 * quadrature error ~1e-11) from a one-dimensional representation: with {@code 1/D^2 = integral_0^inf t
 * e^{-tD} dt}, {@code D = sum_l e^{S_l}} and independence,
 * {@code E[sum p_j^2] = n integral_0^inf t E[e^{2S} e^{-t e^S}] (E[e^{-t e^S}])^{n-1} dt}. Substituting
 * {@code t = e^u} gives {@code n integral E[h(u + S)] (1 - E[g(u + S)])^{n-1} du} with
 * {@code h(w) = e^{2w - e^w}} and {@code g(w) = 1 - e^{-e^w}}, both bounded, so nothing overflows for any
 * score variance or n. The inner expectations are Gauss-Kronrod integrals over z ~ N(0,1). Memoized.
 */
public final class AttentionMoments {
    private AttentionMoments() {}

    private static final double OUTER_ABS_TOL = 1e-14;
    private static final double OUTER_REL_TOL = 1e-11;
    private static final double INNER_ABS_TOL = 1e-15;
    private static final double INNER_REL_TOL = 1e-13;

    private record Key(int n, double scoreVariance) {}

    private static final MemoCache<Key, Double> CACHE = new MemoCache<>(1024);

    /**
     * Variance of a scaled dot-product score {@code c * sum_{i<d} q_i k_i} with independent zero-mean
     * entries of variances v_q and v_k: {@code d c^2 v_q v_k} (its mean is 0).
     */
    public static double scoreVariance(int headDim, double scale, double queryVariance, double keyVariance) {
        if (headDim < 1 || !Double.isFinite(scale) || !(queryVariance >= 0) || !(keyVariance >= 0)) {
            throw new IllegalArgumentException("attention: need headDim >= 1, finite scale and variances >= 0, got headDim="
                    + headDim + ", scale=" + scale + ", queryVariance=" + queryVariance + ", keyVariance=" + keyVariance);
        }
        return headDim * scale * scale * queryVariance * keyVariance;
    }

    /**
     * {@code E[sum_j p_j^2]} for softmax weights over n keys with iid N(0, scoreVariance) scores: exactly
     * 1/n for scoreVariance 0, rising towards 1 (one-hot) as the variance grows.
     */
    public static double expectedSumOfSquares(int n, double scoreVariance) {
        if (n < 1 || !(scoreVariance >= 0) || !Double.isFinite(scoreVariance)) {
            throw new IllegalArgumentException("attention: E[sum p^2] needs n >= 1 keys and a finite score variance >= 0, got n="
                    + n + ", scoreVariance=" + scoreVariance);
        }
        if (n == 1) {
            return 1.0;
        }
        if (scoreVariance == 0.0) {
            return 1.0 / n;
        }
        return CACHE.get(new Key(n, scoreVariance), k -> compute(k.n, Math.sqrt(k.scoreVariance)));
    }

    /**
     * Output of attention {@code sum_j p_j V_j} with values of moments {@code values}, independent of the
     * weights: mean {@code mu_V}, second moment {@code mu_V^2 + v_V E[sum p_j^2]}.
     */
    public static Moments output(Moments values, int n, double scoreVariance) {
        double e = expectedSumOfSquares(n, scoreVariance);
        double mu = values.mean();
        return new Moments(mu, mu * mu + values.variance() * e);
    }

    /**
     * Softmax over K classes with iid N(., logitVariance) logits (a common mean cancels): each output has
     * mean exactly 1/K and second moment {@code E[sum p^2] / K} by symmetry.
     */
    public static Moments softmax(int classes, double logitVariance) {
        double e = expectedSumOfSquares(classes, logitVariance);
        return new Moments(1.0 / classes, e / classes);
    }

    private static double compute(int n, double sigma) {
        // h(u + S) lives where u + sigma z is within about [-25, 5]; z in [-12, 12].
        double lo = -25 - 12 * sigma, hi = 5 + 12 * sigma;
        double mode = -Math.log(n) - 0.5 * sigma * sigma; // where 1/D roughly sits: spends a breakpoint there
        double[] breaks = mode > lo && mode < hi ? new double[] {lo, mode, hi} : new double[] {lo, hi};
        double[] r = GaussKronrod.integrate((u, out) -> {
            double[] inner = inner(u, sigma);
            // log B from whichever of B = E[e^{-e^w}] and 1 - B = E[g] is small, to keep it relatively accurate.
            double logB = inner[2] < 0.5 ? Math.log(inner[2]) : Math.log1p(-inner[1]);
            out[0] = inner[0] * Math.exp((n - 1) * logB);
        }, 1, breaks, OUTER_ABS_TOL, OUTER_REL_TOL);
        return Math.min(1.0, Math.max(1.0 / n, n * r[0]));
    }

    /** {@code [E h(u + sigma Z), E g(u + sigma Z), 1 - E g(u + sigma Z)]}, split where h peaks (w = ln 2) and g switches (w = 0). */
    private static double[] inner(double u, double sigma) {
        double zPeak = (Math.log(2) - u) / sigma, zStep = -u / sigma;
        double a = Math.min(zPeak, zStep), b = Math.max(zPeak, zStep);
        double[] breaks = a > -12 && b < 12 ? new double[] {-12, a, b, 12}
                : a > -12 && a < 12 ? new double[] {-12, a, 12}
                : b > -12 && b < 12 ? new double[] {-12, b, 12}
                : new double[] {-12, 12};
        return GaussKronrod.integrate((z, out) -> {
            double w = u + sigma * z, ew = Math.exp(w), pdf = Gaussian.pdf(z);
            out[0] = Math.exp(2 * w - ew) * pdf;
            out[1] = -Math.expm1(-ew) * pdf;
            out[2] = Math.exp(-ew) * pdf;
        }, 3, breaks, INNER_ABS_TOL, INNER_REL_TOL);
    }
}
