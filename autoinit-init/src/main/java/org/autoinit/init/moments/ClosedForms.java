package org.autoinit.init.moments;

import org.autoinit.init.moments.numeric.Gaussian;

/**
 * Exact moments {@code (E f(X), E f(X)^2)} for X ~ N(mu, sigma^2), sigma > 0, where they exist in closed
 * form. Notation: {@code t = mu / sigma}; {@code Phi, phi} the standard normal CDF and density.
 */
final class ClosedForms {
    private ClosedForms() {}

    /** SELU constants (Klambauer et al. 2017), the values PyTorch uses. */
    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;
    /** log of the largest double: e^x overflows above it. */
    static final double LOG_MAX = Math.log(Double.MAX_VALUE);
    /** Below this t the relu moments come from the Mills-ratio continued fraction (no cancellation). */
    private static final double RELU_TAIL_T = -3.0;

    /**
     * relu: {@code E[X^+] = mu Phi(t) + sigma phi(t)}, {@code E[(X^+)^2] = (mu^2 + v) Phi(t) + mu sigma phi(t)}.
     * For t < -3 both are written as {@code sigma phi(t) r/(t' + r)} and
     * {@code v phi(t) s/((t' + s)(t' + r))} with {@code t' = -t} and r, s tails of the Mills-ratio continued
     * fraction, which are the same numbers without the cancellation of the first form.
     */
    static double[] relu(double mu, double sigma) {
        double t = mu / sigma;
        if (t < RELU_TAIL_T) {
            double a = -t, pdf = Gaussian.pdf(a);
            double s = Gaussian.millsTail(a, 2), r = 1.0 / (a + s);
            return new double[] {sigma * pdf * r / (a + r), sigma * sigma * pdf * s / ((a + s) * (a + r))};
        }
        double cdf = Gaussian.cdf(t), pdf = Gaussian.pdf(t);
        return new double[] {mu * cdf + sigma * pdf, (mu * mu + sigma * sigma) * cdf + mu * sigma * pdf};
    }

    /** leaky relu {@code x^+ - a (-x)^+}: {@code m1 = R1(mu) - a R1(-mu)}, {@code m2 = R2(mu) + a^2 R2(-mu)}. */
    static double[] leakyRelu(double mu, double sigma, double a) {
        double[] pos = relu(mu, sigma), neg = relu(-mu, sigma);
        return new double[] {pos[0] - a * neg[0], pos[1] + a * a * neg[1]};
    }

    /**
     * elu: {@code x} for x > 0, {@code a (e^x - 1)} otherwise. With the lognormal partial expectation
     * {@code E_c = E[e^{cX}; X < 0] = e^{c mu + c^2 v/2} Phi(-(mu + c v)/sigma)} and {@code P = Phi(-t)}:
     * {@code m1 = R1 + a (E_1 - P)}, {@code m2 = R2 + a^2 (E_2 - 2 E_1 + P)} (the cross term vanishes since
     * the two parts live on disjoint events). E_c is formed in log space so that a large e^{c mu + c^2 v/2}
     * times a tiny Phi does not overflow.
     */
    static double[] elu(double mu, double sigma, double a) {
        double v = sigma * sigma;
        double[] pos = relu(mu, sigma);
        double p = Gaussian.cdf(-mu / sigma);
        double e1 = partialExp(1, mu, sigma), e2 = partialExp(2, mu, sigma);
        return new double[] {pos[0] + a * (e1 - p), pos[1] + a * a * (e2 - 2 * e1 + p)};
    }

    /** {@code E[e^{cX}; X < 0] = exp(c mu + c^2 v/2 + log Phi(-(mu + c v)/sigma))}. */
    private static double partialExp(double c, double mu, double sigma) {
        double v = sigma * sigma;
        return Math.exp(c * mu + 0.5 * c * c * v + Gaussian.logCdf(-(mu + c * v) / sigma));
    }

    /** selu = scale * elu_alpha with the fixed SELU constants, so its moments are scale and scale^2 times elu's. */
    static double[] selu(double mu, double sigma) {
        double[] e = elu(mu, sigma, SELU_ALPHA);
        return new double[] {SELU_SCALE * e[0], SELU_SCALE * SELU_SCALE * e[1]};
    }

    /**
     * exp (lognormal): {@code m1 = e^{mu + v/2}}, {@code m2 = e^{2 mu + 2 v}}, each exponent summed before
     * exponentiating (e^{2mu} e^{2v} could be 0 * inf). Throws if a moment itself exceeds the double range.
     */
    static double[] exp(double mu, double sigma) {
        double v = sigma * sigma;
        double log1 = mu + 0.5 * v, log2 = 2 * mu + 2 * v;
        if (log2 > LOG_MAX || log1 > LOG_MAX) {
            throw new IllegalArgumentException("activation moments: exp of N(mean=" + mu + ", variance=" + v
                    + ") has E[f^2] = e^(2 mean + 2 variance) = e^" + log2 + ", beyond the double range (max e^"
                    + LOG_MAX + "); the signal entering exp is far too large");
        }
        return new double[] {Math.exp(log1), Math.exp(log2)};
    }

    /**
     * sin: {@code m1 = sin(mu) e^{-v/2}}, {@code m2 = (1 - cos(2 mu) e^{-2v})/2}, the latter written as
     * {@code sin^2(mu) - cos(2mu) expm1(-2v)/2} so that small v keeps its relative accuracy.
     */
    static double[] sin(double mu, double sigma) {
        double v = sigma * sigma, s = Math.sin(mu);
        return new double[] {s * Math.exp(-0.5 * v), s * s - 0.5 * Math.cos(2 * mu) * Math.expm1(-2 * v)};
    }
}
