package org.autoinit.init.rules;

import org.autoinit.init.moments.numeric.GaussKronrod;
import org.autoinit.init.moments.numeric.Gaussian;

/**
 * Two expectations of {@code p = softmax(z)} over n scores z_j iid N(0, s2), computed together:
 * {@code P2 = E[sum_j p_j^2]} (as {@code AttentionMoments.expectedSumOfSquares}, 1/n for s2 = 0) and
 * {@code T = E[(sum_j p_j z_j)^2]}, how far the softmax-weighted mean of the scores is pulled towards high
 * scores (about s2^2 for large n): attention needs T because the weights favour keys aligned with the query,
 * whose values are aligned too.
 *
 * <p>With {@code 1/D^2 = integral_0^inf t e^{-tD} dt}, {@code D = sum_l e^{z_l}}, independence and
 * {@code t = e^u}: {@code P2 = n integral E[h(u+z)] L^{n-1} du} and
 * {@code T = integral [n E[z^2 h(u+z)] L^{n-1} + n(n-1) E[z k(u+z)]^2 L^{n-2}] du}, with
 * {@code h(w) = e^{2w - e^w}}, {@code k(w) = e^{w - e^w}}, {@code L = E[e^{-e^{u+z}}]}: all bounded, no
 * overflow. Adaptive Gauss-Kronrod inside and out to about 1e-7 relative (the rules need 1e-4), memoized.
 */
final class SoftmaxStats {
    private SoftmaxStats() {}

    private record Key(int n, double s2) {}

    private static final Memo<Key, double[]> MEMO = new Memo<>(4096);

    /** {@code {P2, T}} for n keys and score variance s2. */
    static double[] of(int n, double s2) {
        if (n < 1 || !(s2 >= 0) || !Double.isFinite(s2)) {
            throw new IllegalArgumentException("softmax statistics: need n >= 1 and a finite score variance >= 0, got n=" + n + ", s2=" + s2);
        }
        if (n == 1) {
            return new double[] {1, s2};
        }
        if (s2 == 0) {
            return new double[] {1.0 / n, 0};
        }
        return MEMO.get(new Key(n, s2), k -> compute(k.n, Math.sqrt(k.s2)));
    }

    private static double[] compute(int n, double sigma) {
        double lo = -25 - 12 * sigma, hi = 5 + 12 * sigma;
        double mode = -Math.log(n) - 0.5 * sigma * sigma;
        double[] breaks = mode > lo && mode < hi ? new double[] {lo, mode, hi} : new double[] {lo, hi};
        double[] r = GaussKronrod.integrate((u, out) -> {
            double[] in = inner(u, sigma);
            double l = 1 - in[3];
            double l1 = pow(l, n - 1);
            out[0] = n * in[0] * l1;
            out[1] = n * in[1] * l1 + (double) n * (n - 1) * in[2] * in[2] * pow(l, n - 2);
        }, 2, breaks, 1e-12, 1e-8);
        return new double[] {Math.min(1.0, Math.max(1.0 / n, r[0])), Math.max(0, r[1])};
    }

    /** {@code l^k} for l in [0, 1] without overflow ({@code l^0 = 1}, also for l = 0). */
    private static double pow(double l, int k) {
        return k == 0 ? 1 : l <= 0 ? 0 : Math.exp(k * Math.log(l));
    }

    /** {@code [E h(u+z), E z^2 h(u+z), E z k(u+z), E g(u+z)]} with z = sigma Z, g(w) = 1 - e^{-e^w}. */
    private static double[] inner(double u, double sigma) {
        double zPeak = (Math.log(2) - u) / sigma, zStep = -u / sigma;
        double a = Math.min(zPeak, zStep), b = Math.max(zPeak, zStep);
        double[] breaks = a > -12 && b < 12 ? new double[] {-12, a, b, 12}
                : a > -12 && a < 12 ? new double[] {-12, a, 12}
                : b > -12 && b < 12 ? new double[] {-12, b, 12}
                : new double[] {-12, 12};
        return GaussKronrod.integrate((z, out) -> {
            double s = sigma * z, w = u + s, ew = Math.exp(w), pdf = Gaussian.pdf(z);
            double h = Math.exp(2 * w - ew) * pdf;
            out[0] = h;
            out[1] = s * s * h;
            out[2] = s * Math.exp(w - ew) * pdf;
            out[3] = -Math.expm1(-ew) * pdf;
        }, 4, breaks, 1e-14, 1e-9);
    }
}
