package org.autoinit.init.rules;

import org.autoinit.init.moments.numeric.GaussHermiteRule;

/**
 * Fixed 24-node Gauss-Hermite rule for expectations over a standard normal: {@code E[g(Z)] ~ sum w_i g(z_i)}, exact
 * for polynomials of degree < 48. Used where the integrand is a Gaussian smoothing of an activation (smooth even when
 * the activation has kinks), so a few nodes suffice. The nodes come from {@link GaussHermiteRule}.
 */
final class GaussHermite {
    private GaussHermite() {}

    static final int N = 24;
    private static final GaussHermiteRule RULE = GaussHermiteRule.of(N);
    /** Nodes z_i and weights w_i (summing to 1) for N(0, 1). */
    static final double[] Z = RULE.z, W = RULE.w;
}
