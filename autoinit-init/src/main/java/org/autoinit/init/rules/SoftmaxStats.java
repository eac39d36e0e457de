package org.autoinit.init.rules;

import org.apache.commons.math3.special.Gamma;
import org.autoinit.init.moments.numeric.GaussKronrod;
import org.autoinit.init.moments.numeric.Gaussian;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Two expectations of {@code p = softmax(z)} over n iid scores z_j of variance s2, computed together:
 * {@code P2 = E[sum_j p_j^2]} (as {@code AttentionMoments.expectedSumOfSquares} for Gaussian scores, 1/n for
 * s2 = 0) and {@code T = E[(sum_j p_j z_j)^2]}, how far the softmax-weighted mean of the scores is pulled towards
 * high scores (about s2^2 for large n): attention needs T because the weights favour keys aligned with the
 * query, whose values are aligned too.
 *
 * <p>Scores are Gaussian, or ({@code rank} finite) the projections of tokens of fixed norm spread over
 * {@code rank} dimensions, as after a LayerNorm: then {@code z = sqrt(s2) t} with t of density proportional to
 * {@code (1 - t^2/rank)^((rank-3)/2)} on {@code |t| < sqrt(rank)}, lighter-tailed than a Gaussian (in 16
 * dimensions attention mixes 15% less than Gaussian keys would say).
 *
 * <p>With {@code 1/D^2 = integral_0^inf t e^{-tD} dt}, {@code D = sum_l e^{z_l}}, independence and
 * {@code t = e^u}: {@code P2 = n integral E[h(u+z)] L^{n-1} du} and
 * {@code T = integral [n E[z^2 h(u+z)] L^{n-1} + n(n-1) E[z k(u+z)]^2 L^{n-2}] du}, with
 * {@code h(w) = e^{2w - e^w}}, {@code k(w) = e^{w - e^w}}, {@code L = E[e^{-e^{u+z}}]}: all bounded, no
 * overflow. Adaptive Gauss-Kronrod inside and out to about 1e-7 relative (the rules need 1e-4), memoized. (Asking
 * 1e-8 outside and 1e-9 inside instead moves no result by more than 2.4e-13 relative over n = 2..256, s2 = 0.01..9
 * and ranks 16, 128, infinite, for ~25% more time: the rules converge far beyond what is asked.)
 */
final class SoftmaxStats {
    private SoftmaxStats() {}

    private record Key(int n, double s2, double rank) {}

    private static final Memo<Key, double[]> MEMO = new Memo<>(4096);

    /** {@code {P2, T}} for n keys with Gaussian scores of variance s2. */
    static double[] of(int n, double s2) {
        return of(n, s2, Double.POSITIVE_INFINITY);
    }

    /** {@code {P2, T}} for n keys whose scores are projections of fixed-norm tokens in {@code rank} dimensions (infinite: Gaussian). */
    static double[] of(int n, double s2, double rank) {
        if (n < 1 || !(s2 >= 0) || !Double.isFinite(s2) || !(rank > 0)) {
            throw new IllegalArgumentException("softmax statistics: need n >= 1, a finite score variance >= 0 and rank > 0, got n=" + n + ", s2="
                    + s2 + ", rank=" + rank);
        }
        if (n == 1) {
            return new double[] {1, s2};
        }
        if (s2 == 0) {
            return new double[] {1.0 / n, 0};
        }
        double r = rank < 3 || rank > 1e4 ? Double.POSITIVE_INFINITY : rank;
        return MEMO.get(new Key(n, s2, r), k -> compute(k.n, Math.sqrt(k.s2), k.rank));
    }

    static double[] compute(int n, double sigma, double rank) {
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
                    double[] in = inner(us[i], sigma, law);
                    double l = 1 - in[3];
                    double l1 = pow(l, n - 1);
                    out[i][0] = n * in[0] * l1;
                    out[i][1] = n * in[1] * l1 + (double) n * (n - 1) * in[2] * in[2] * pow(l, n - 2);
                }
            });
        }, 2, breaks, 1e-11, 1e-7);
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
    private static double[] inner(double u, double sigma, ScoreLaw law) {
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
        }, 4, breaks, 1e-13, 1e-8);
    }
}
