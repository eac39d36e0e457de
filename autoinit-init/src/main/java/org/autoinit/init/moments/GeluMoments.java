package org.autoinit.init.moments;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;
import org.autoinit.init.moments.numeric.Gaussian;

/**
 * Exact moments of gelu {@code f(x) = x Phi(x)} for X ~ N(mu, s^2), s > 0, where they are computed without
 * cancellation. With {@code q = 1 + s^2}, {@code a = mu / sqrt(q)} and Stein's identity
 * {@code E[X h(X)] = mu E[h] + s^2 E[h']}:
 * {@code m1 = mu Phi(a) + s^2 phi(a) / sqrt(q)} and, for {@code g = Phi^2} ({@code g' = 2 Phi phi},
 * {@code g'' = 2 phi^2 - 2 x Phi phi}), {@code m2 = E[X^2 g] = (mu^2 + s^2) E[g] + 2 mu s^2 E[g'] + s^4 E[g'']}.
 * {@code E[Phi(X)^2] = P(Y_1 <= X, Y_2 <= X) = Phi_2(a, a; s^2/q) = Phi(a) - 2 T(a, 1/sqrt(1 + 2 s^2))} (Owen's T);
 * {@code phi(x) N(x; mu, s^2) = phi(a) / sqrt(q) N(x; mu/q, s^2/q)} turns {@code E[Phi phi]} and {@code E[X Phi phi]}
 * into the first-moment formulas again, and {@code phi(x)^2 = phi(sqrt 2 x) / sqrt(2 pi)}.
 *
 * <p>Owen's T is {@code (1/2pi) integral_0^alpha e^{-a^2 (1 + x^2)/2} / (1 + x^2) dx} with alpha < 1: analytic
 * on a neighbourhood of [0, alpha] (poles at +-i), 24-point Gauss-Legendre reaches rounding for |a| <= 6. Used
 * where {@code a >= -2} (so that {@code Phi_2 >= Phi(a)^2 / 2} is not a small difference) and {@code s^2 <= 100},
 * {@code |mu| <= 12}: there it agrees with the Gauss-Hermite rules to ~1e-14 relative (ActivationMomentsTest);
 * elsewhere {@link #of} returns null and the caller integrates.
 */
final class GeluMoments {
    private GeluMoments() {}

    private static final GaussIntegrator GL24 = new GaussIntegratorFactory().legendre(24, 0, 1);
    private static final double INV_2PI = 1 / (2 * Math.PI);

    /** {@code [E f(X), E f(X)^2]}, or null outside the range where the closed form is used. */
    static double[] of(double mu, double sigma) {
        if (!covers(mu, sigma)) {
            return null;
        }
        double v = sigma * sigma, q = 1 + v, sq = Math.sqrt(q), a = mu / sq;
        double cdfA = Gaussian.cdf(a), pdfA = Gaussian.pdf(a);
        double m1 = mu * cdfA + v * pdfA / sq;
        // E[Phi(X)^2] = Phi(a) - 2 T(a, alpha).
        double alpha = 1 / Math.sqrt(1 + 2 * v);
        double eg = cdfA - 2 * owenT(a, alpha);
        // X' ~ N(mu/q, v/q): E[Phi(X) phi(X)] = c E[Phi(X')], E[X Phi(X) phi(X)] = c E[X' Phi(X')], c = phi(a)/sqrt(q).
        double c = pdfA / sq, mu1 = mu / q, v1 = v / q, sq1 = Math.sqrt(1 + v1), a1 = mu1 / sq1;
        double cdfA1 = Gaussian.cdf(a1), pdfA1 = Gaussian.pdf(a1);
        double ePhiPhi = c * cdfA1;
        double eXPhiPhi = c * (mu1 * cdfA1 + v1 * pdfA1 / sq1);
        // E[phi(X)^2] = E[phi(sqrt 2 X)] / sqrt(2 pi), sqrt 2 X ~ N(sqrt 2 mu, 2 v).
        double q2 = Math.sqrt(1 + 2 * v);
        double ePhi2 = Gaussian.pdf(Math.sqrt(2) * mu / q2) / q2 * Gaussian.INV_SQRT_2PI;
        double m2 = (mu * mu + v) * eg + 4 * mu * v * ePhiPhi + 2 * v * v * (ePhi2 - eXPhiPhi);
        return new double[] {m1, m2};
    }

    /** True when {@link #of} gives the closed form for these arguments (not null). */
    static boolean covers(double mu, double sigma) {
        double v = sigma * sigma, a = mu / Math.sqrt(1 + v);
        return a >= -2 && v <= 100 && v > 0 && Math.abs(mu) <= 12;
    }

    /** Owen's T(h, alpha) for 0 < alpha <= 1 by 24-point Gauss-Legendre on [0, alpha]. */
    static double owenT(double h, double alpha) {
        double hh = 0.5 * h * h, s = 0;
        for (int i = 0; i < GL24.getNumberOfPoints(); i++) {
            double x = alpha * GL24.getPoint(i), x2 = 1 + x * x;
            s += GL24.getWeight(i) * Math.exp(-hh * x2) / x2;
        }
        return s * alpha * INV_2PI;
    }
}
