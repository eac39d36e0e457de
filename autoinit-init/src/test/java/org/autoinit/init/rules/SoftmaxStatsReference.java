package org.autoinit.init.rules;

import org.apache.commons.math3.special.Gamma;
import org.autoinit.init.moments.numeric.GaussKronrod;
import org.autoinit.init.moments.numeric.Gaussian;
import org.autoinit.tensor.parallel.Parallel;

/**
 * The softmax statistics of {@link SoftmaxStats} by the rule it used before its fixed inner rule: adaptive
 * Gauss-Kronrod inside (per outer node, split at the integrand's peak and step) and out, to the given relative
 * tolerances. Test reference only: independent of {@link InnerRule} and of the trapezoid march.
 */
final class SoftmaxStatsReference {
    private SoftmaxStatsReference() {}

    static double[] compute(int n, double sigma, double rank, double outerTol, double innerTol) {
        ScoreLaw law = rank == Double.POSITIVE_INFINITY ? ScoreLaw.GAUSSIAN : ScoreLaw.sphere(rank);
        double lo = -25 - law.half * sigma, hi = 5 + law.half * sigma;
        double mode = -Math.log(n) - 0.5 * sigma * sigma;
        double[] breaks = mode > lo && mode < hi ? new double[] {lo, mode, hi} : new double[] {lo, hi};
        // Each outer node is an inner integral (the bulk of the time): a piece's 15 nodes (or a bisection's 30) are
        // evaluated over the threads, nodes dealt round-robin (their cost varies with u); the same values and sums
        // whatever the thread count.
        double[] r = GaussKronrod.integrate((GaussKronrod.Batch) (us, count, out) -> {
            int chunks = Math.max(1, Math.min(Parallel.threads(), count));
            Parallel.forChunks(chunks, ch -> {
                for (int i = ch; i < count; i += chunks) {
                    double[] in = inner(us[i], sigma, law, innerTol);
                    double l = 1 - in[3];
                    double l1 = pow(l, n - 1);
                    out[i][0] = n * in[0] * l1;
                    out[i][1] = n * in[1] * l1 + (double) n * (n - 1) * in[2] * in[2] * pow(l, n - 2);
                }
            });
        }, 2, breaks, 1e-11 * outerTol / 1e-7, outerTol);
        return new double[] {Math.min(1.0, Math.max(1.0 / n, r[0])), Math.max(0, r[1])};
    }

    /** The standardized score law: its half-width (support or 12 for the Gaussian) and log-density. */
    private record ScoreLaw(double half, double logNorm, double exponent) {
        static final ScoreLaw GAUSSIAN = new ScoreLaw(12, Double.NaN, Double.NaN);

        /** t = sqrt(r) u, u a coordinate of a uniform point on the unit sphere in r dimensions. */
        static ScoreLaw sphere(double r) {
            double logNorm = Gamma.logGamma(r / 2) - Gamma.logGamma((r - 1) / 2) - 0.5 * Math.log(Math.PI * r);
            return new ScoreLaw(Math.sqrt(r), logNorm, (r - 3) / 2);
        }

        double pdf(double t) {
            if (Double.isNaN(logNorm)) {
                return Gaussian.pdf(t);
            }
            double x = 1 - t * t / (half * half);
            return x <= 0 ? 0 : Math.exp(logNorm + exponent * Math.log(x));
        }
    }

    /** {@code l^k} for l in [0, 1] without overflow ({@code l^0 = 1}, also for l = 0). */
    private static double pow(double l, int k) {
        return k == 0 ? 1 : l <= 0 ? 0 : Math.exp(k * Math.log(l));
    }

    /** {@code [E h(u+z), E z^2 h(u+z), E z k(u+z), E g(u+z)]} with z = sigma t, g(w) = 1 - e^{-e^w}. */
    private static double[] inner(double u, double sigma, ScoreLaw law, double innerTol) {
        double lim = law.half;
        double zPeak = (Math.log(2) - u) / sigma, zStep = -u / sigma;
        double a = Math.min(zPeak, zStep), b = Math.max(zPeak, zStep);
        double[] breaks = a > -lim && b < lim ? new double[] {-lim, a, b, lim}
                : a > -lim && a < lim ? new double[] {-lim, a, lim}
                : b > -lim && b < lim ? new double[] {-lim, b, lim}
                : new double[] {-lim, lim};
        return GaussKronrod.integrate((t, out) -> {
            double s = sigma * t, w = u + s, ew = Math.exp(w), pdf = law.pdf(t);
            // e^{-e^w} and 1 - e^{-e^w} from one exponential (each accurate relative to its size), then
            // e^{w - e^w} = e^w e^{-e^w} and e^{2w - e^w} = (e^w)^2 e^{-e^w}: 2 exponentials instead of 4 per node.
            double em, e;
            if (ew < 1) {
                em = Math.expm1(-ew);
                e = 1 + em;
            } else {
                e = Math.exp(-ew); // 0 beyond e^w = 745: then k and h are 0 (not inf * 0)
                em = e - 1;
            }
            double k = e == 0 ? 0 : ew * e * pdf, h = e == 0 ? 0 : ew * k;
            out[0] = h;
            out[1] = s * s * h;
            out[2] = s * k;
            out[3] = -em * pdf;
        }, 4, breaks, 1e-13 * innerTol / 1e-8, innerTol);
    }
}
