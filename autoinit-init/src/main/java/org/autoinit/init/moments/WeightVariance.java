package org.autoinit.init.moments;

import org.autoinit.init.moments.numeric.Gaussian;

/**
 * The AutoInit rule for weighted layers and the parameters of the weight distributions.
 *
 * <p>{@code y = sum_{i<fanIn} w_i x_i} with w_i iid, zero mean, variance sigma^2, independent of x, and zero
 * bias: {@code E[y] = 0}, {@code E[y^2] = fanIn sigma^2 q_in}. So the output has moments (0, s) when
 * {@code sigma^2 = s / (fanIn q_in)}: the SECOND moment of the input, not its variance.
 */
public final class WeightVariance {
    private WeightVariance() {}

    /** Standard deviation of N(0,1) truncated to [-2, 2]: {@code sqrt(1 - 4 phi(2) / (2 Phi(2) - 1))}. */
    public static final double TRUNCATED_NORMAL_STD = 0.87962566103423978;

    /** The weight variance {@code s / (fanIn * q_in)} that gives the layer output moments (0, s). */
    public static double forTarget(double s, long fanIn, Moments in) {
        if (fanIn < 1 || !(s > 0) || !Double.isFinite(s)) {
            throw new IllegalArgumentException("weight variance: need fanIn >= 1 and a finite target variance > 0, got fanIn="
                    + fanIn + ", s=" + s);
        }
        if (!(in.secondMoment() > 0)) {
            throw new IllegalArgumentException("weight variance: the layer input has second moment " + in.secondMoment()
                    + " (a constant zero signal); no weight scale can give it variance " + s);
        }
        return s / (fanIn * in.secondMoment());
    }

    /** Output moments of a weighted layer initialized by {@link #forTarget}: (0, s). */
    public static Moments output(double s) {
        return new Moments(0.0, s);
    }

    /** Std of N(0,1) truncated to [-c, c]: {@code sqrt(1 - 2 c phi(c) / (2 Phi(c) - 1))}. */
    public static double truncatedNormalStd(double c) {
        if (!(c > 0)) {
            throw new IllegalArgumentException("truncatedNormalStd: cut must be > 0, got " + c);
        }
        return Math.sqrt(1 - 2 * c * Gaussian.pdf(c) / (2 * Gaussian.cdf(c) - 1));
    }

    /** The parameter of a normal truncated at +-2 parameters whose samples have std sigma: sigma / 0.8796... */
    public static double truncatedNormalParameter(double std) {
        return std / TRUNCATED_NORMAL_STD;
    }

    /** Bound b of U(-b, b) with std sigma: {@code b = sigma sqrt(3)}. */
    public static double uniformBound(double std) {
        return std * Math.sqrt(3.0);
    }
}
