package org.autoinit.init.rules;

import org.autoinit.tensor.parallel.Parallel;

/**
 * Two expectations of {@code p = softmax(z)} over n iid scores z_j of variance s2, computed together:
 * {@code P2 = E[sum_j p_j^2]} (as {@code AttentionMoments.expectedSumOfSquares} for Gaussian scores, 1/n for
 * s2 = 0) and {@code T = E[(sum_j p_j z_j)^2]}, how far the softmax-weighted mean of the scores is pulled towards
 * high scores (about s2^2 for large n): attention needs T because the weights favour keys aligned with the
 * query, whose values are aligned too. Also T's diagonal part {@code Q = E[sum_j p_j^2 z_j^2]}: on a sphere a key's
 * part orthogonal to the query shrinks as its score grows, and Q says by how much the weights favour those keys.
 *
 * <p>Scores are Gaussian, or ({@code rank} finite) the projections of tokens of fixed norm spread over
 * {@code rank} dimensions, as after a LayerNorm: then {@code z = sqrt(s2) t} with t of density proportional to
 * {@code (1 - t^2/rank)^((rank-3)/2)} on {@code |t| < sqrt(rank)}, lighter-tailed than a Gaussian (in 16
 * dimensions attention mixes 15% less than Gaussian keys would say).
 *
 * <p>With {@code 1/D^2 = integral_0^inf t e^{-tD} dt}, {@code D = sum_l e^{z_l}}, independence and
 * {@code t = e^u}: {@code P2 = n integral E[h(u+z)] L^{n-1} du} and
 * {@code T = integral [n E[z^2 h(u+z)] L^{n-1} + n(n-1) E[z k(u+z)]^2 L^{n-2}] du} (Q: the first term alone), with
 * {@code h(w) = e^{2w - e^w}}, {@code k(w) = e^{w - e^w}}, {@code L = E[e^{-e^{u+z}}]}: all bounded, no
 * overflow. The four inner expectations are sums over one fixed rule in t shared by every u ({@link InnerRule}: the
 * density, z and z^2 folded into the weights once per call), so a node pair costs one exponential, {@code e^{-e^w}}
 * with {@code e^w = e^u e^{sigma t}}; the outer integral is the trapezoid rule in u (the integrand is analytic in
 * the strip |Im u| < pi/2, so its error falls like {@code e^{-2 pi d / du}}), marched outwards from the softmax
 * mode in blocks until both integrands are below 1e-17 of their sums. Memoized. Against the former adaptive
 * Gauss-Kronrod inside and out (SoftmaxStatsTest's reference, asked 1e-9 inside and 1e-8 outside) both results
 * agree to ~1e-11 relative over n = 2..256, s2 = 0.01..9 and ranks 3.5..1e4 and infinite.
 */
final class SoftmaxStats {
    private SoftmaxStats() {}

    private record Key(int n, double s2, double rank) {}

    private static final Memo<Key, double[]> MEMO = new Memo<>(4096);

    /** {@code {P2, T, Q}} for n keys with Gaussian scores of variance s2. */
    static double[] of(int n, double s2) {
        return of(n, s2, Double.POSITIVE_INFINITY);
    }

    /** {@code {P2, T, Q}} for n keys whose scores are projections of fixed-norm tokens in {@code rank} dimensions (infinite: Gaussian). */
    static double[] of(int n, double s2, double rank) {
        if (n < 1 || !(s2 >= 0) || !Double.isFinite(s2) || !(rank > 0)) {
            throw new IllegalArgumentException("softmax statistics: need n >= 1, a finite score variance >= 0 and rank > 0, got n=" + n + ", s2="
                    + s2 + ", rank=" + rank);
        }
        if (n == 1) {
            return new double[] {1, s2, s2};
        }
        if (s2 == 0) {
            return new double[] {1.0 / n, 0, 0};
        }
        double r = rank < 3 || rank > 1e4 ? Double.POSITIVE_INFINITY : rank;
        return MEMO.get(new Key(n, s2, r), k -> compute(k.n, Math.sqrt(k.s2), k.rank));
    }

    /** Outer step in u: the integrand is analytic in |Im u| < pi/2, so the trapezoid error is about e^{-2 pi 1.2 / 0.25}. */
    private static final double DU = 0.25;
    /** Outer nodes evaluated per block on each side of the mode before the tails are checked. */
    private static final int BLOCK = 16;
    /** A block of outer nodes whose terms are all below this fraction of both sums ends the march on its side. */
    private static final double TAIL = 1e-17;

    static double[] compute(int n, double sigma, double rank) {
        InnerRule rule = InnerRule.of(sigma, rank);
        double half = rank == Double.POSITIVE_INFINITY ? 12 : Math.sqrt(rank);
        double lo = -25 - half * sigma, hi = 5 + half * sigma;
        double mode = Math.max(lo, Math.min(hi, -Math.log(n) - 0.5 * sigma * sigma));
        int maxDown = (int) Math.floor((mode - lo) / DU), maxUp = (int) Math.floor((hi - mode) / DU);
        // Node j (-maxDown <= j <= maxUp) is u = mode + j DU, its terms in slot j + maxDown. Blocks are evaluated over the
        // threads, each node on its own, and summed in index order: the same doubles on any thread count.
        double[][] terms = new double[maxDown + maxUp + 1][];
        int down = -Math.min(BLOCK, maxDown), up = Math.min(BLOCK, maxUp) + 1; // evaluated: [down, up)
        evaluate(terms, maxDown, mode, down, up, n, rule);
        boolean moreDown = down > -maxDown, moreUp = up <= maxUp;
        while (moreDown || moreUp) {
            double[] sum = sum(terms, maxDown, down, up);
            moreDown = moreDown && !negligible(terms, maxDown, down, Math.min(up, down + BLOCK), sum);
            moreUp = moreUp && !negligible(terms, maxDown, Math.max(down, up - BLOCK), up, sum);
            if (moreDown) {
                int next = Math.max(-maxDown, down - BLOCK);
                evaluate(terms, maxDown, mode, next, down, n, rule);
                down = next;
                moreDown = down > -maxDown;
            }
            if (moreUp) {
                int next = Math.min(maxUp + 1, up + BLOCK);
                evaluate(terms, maxDown, mode, up, next, n, rule);
                up = next;
                moreUp = up <= maxUp;
            }
        }
        double[] r = sum(terms, maxDown, down, up);
        return new double[] {Math.min(1.0, Math.max(1.0 / n, r[0] * DU)), Math.max(0, r[1] * DU), Math.max(0, r[2] * DU)};
    }

    /** The outer integrands of P2, T and Q (T's diagonal part) at u = mode + j DU for j in [from, to). */
    private static void evaluate(double[][] terms, int offset, double mode, int from, int to, int n, InnerRule rule) {
        int count = to - from;
        int chunks = Math.max(1, Math.min(Parallel.threads(), count / 4));
        Parallel.forChunks(chunks, ch -> {
            double[] in = new double[4];
            for (int j = from + ch; j < to; j += chunks) {
                rule.expectations(mode + j * DU, in);
                double l = in[3];
                double diagonal = n * in[1] * pow(l, n - 1);
                terms[j + offset] = new double[] {n * in[0] * pow(l, n - 1), diagonal + (double) n * (n - 1) * in[2] * in[2] * pow(l, n - 2), diagonal};
            }
        });
    }

    private static double[] sum(double[][] terms, int offset, int from, int to) {
        double a = 0, b = 0, c = 0;
        for (int j = from; j < to; j++) {
            a += terms[j + offset][0];
            b += terms[j + offset][1];
            c += terms[j + offset][2];
        }
        return new double[] {a, b, c};
    }

    private static boolean negligible(double[][] terms, int offset, int from, int to, double[] sum) {
        for (int j = from; j < to; j++) {
            double[] t = terms[j + offset];
            if (!(Math.abs(t[0]) <= TAIL * Math.abs(sum[0])) || !(Math.abs(t[1]) <= TAIL * Math.abs(sum[1]))) {
                return false;
            }
        }
        return true;
    }

    /** {@code l^k} for l in [0, 1] without overflow ({@code l^0 = 1}, also for l = 0). */
    private static double pow(double l, int k) {
        return k == 0 ? 1 : l <= 0 ? 0 : Math.exp(k * Math.log(l));
    }
}
