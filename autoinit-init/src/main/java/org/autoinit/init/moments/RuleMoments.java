package org.autoinit.init.moments;

import java.util.function.DoubleUnaryOperator;

import org.autoinit.init.moments.numeric.GaussHermiteRule;

/**
 * {@code [E f(X), E f(X)^2]}, X = mu + sigma Z, by fixed 48- and 64-point Gauss-Hermite rules: about 110 evaluations
 * of f instead of the adaptive quadrature's several hundred plus its bookkeeping. For an f smooth on the scale of
 * the nodes (gelu, swish, softplus... of a unit-scale Gaussian) the two rules agree to rounding; where they do not
 * (a kink or a sharp transition in reach, fast growth, mass beyond the outer nodes) the caller falls back to the
 * adaptive quadrature. Accepted: the 64-point values when both moments of the two rules agree within
 * {@link #REL_TOL} of the rule's {@code E|f|^j} (the adaptive quadrature's own target is 1e-12 of that).
 */
final class RuleMoments {
    private RuleMoments() {}

    static final double REL_TOL = 1e-13;
    private static final GaussHermiteRule LO = GaussHermiteRule.of(48), HI = GaussHermiteRule.of(64);

    /** The moments, or null when the rules disagree or a value is not finite. */
    static double[] of(DoubleUnaryOperator f, double mu, double sigma) {
        double[] hi = sums(HI, f, mu, sigma), lo = sums(LO, f, mu, sigma);
        if (hi == null || lo == null || !(hi[2] > 0)) { // f = 0 at every node: the mass, if any, lies beyond them
            return null;
        }
        for (int j = 0; j < 2; j++) {
            // Agreement, and no weight at the outer nodes (else the mass may lie beyond them, unseen by both rules).
            if (!(Math.abs(hi[j] - lo[j]) <= REL_TOL * hi[2 + j]) || !(hi[4 + j] <= REL_TOL * hi[2 + j])) {
                return null;
            }
        }
        return new double[] {hi[0], hi[1]};
    }

    /**
     * {@code [sum w f, sum w f^2, sum w |f|, sum w f^2]} over the rule's nodes and the larger of the two outer nodes'
     * terms {@code w |f|^j}, j = 1, 2; null if not finite.
     */
    private static double[] sums(GaussHermiteRule r, DoubleUnaryOperator f, double mu, double sigma) {
        double s1 = 0, s2 = 0, a1 = 0, e1 = 0, e2 = 0;
        int n = r.z.length;
        for (int i = 0; i < n; i++) {
            double y = f.applyAsDouble(mu + sigma * r.z[i]), wy = r.w[i] * y;
            s1 += wy;
            a1 += Math.abs(wy);
            s2 += wy * y;
            if (i == 0 || i == n - 1) {
                e1 = Math.max(e1, Math.abs(wy));
                e2 = Math.max(e2, wy * y);
            }
        }
        if (!Double.isFinite(s1) || !Double.isFinite(s2) || !Double.isFinite(a1)) {
            return null;
        }
        return new double[] {s1, s2, a1, s2, e1, e2};
    }
}
