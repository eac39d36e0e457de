package org.autoinit.init.moments.numeric;

/**
 * Standard normal density phi, distribution Phi and log Phi, accurate relative to their own size far in
 * the tails ({@code Phi(z) = erfc(-z/sqrt 2)/2} with Cody's {@link Erfc}, never {@code 1 - Phi(-z)} for negative z).
 */
public final class Gaussian {
    private Gaussian() {}

    public static final double INV_SQRT_2PI = 0.398942280401432677939946059934381868;
    public static final double LOG_SQRT_2PI = 0.918938533204672741780329736405617640;
    private static final double INV_SQRT2 = 0.707106781186547524400844362104849039;
    /** Below this, log Phi uses the Mills-ratio continued fraction (Phi itself nears underflow at -37.5). */
    private static final double LOG_CDF_CF_BELOW = -20.0;

    /** phi(z) = e^{-z^2/2} / sqrt(2 pi). */
    public static double pdf(double z) {
        return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    }

    /** log phi(z). */
    public static double logPdf(double z) {
        return -0.5 * z * z - LOG_SQRT_2PI;
    }

    /** Phi(z) = P(Z <= z). */
    public static double cdf(double z) {
        return 0.5 * Erfc.erfc(-z * INV_SQRT2);
    }

    /**
     * Phi(z) given {@code e = e^{-z^2/2}} (so that {@code phi(z) = INV_SQRT_2PI e}): Phi and phi from one exponential
     * instead of three, for loops that need both at many points. Within about {@code (1 + z^2/2)} ulps relative of
     * {@link #cdf} (the rounding of {@code z^2/2} inside e: about 4e-14 at |z| = 9).
     */
    public static double cdf(double z, double e) {
        return 0.5 * Erfc.erfc(-z * INV_SQRT2, e);
    }

    /** log Phi(z), finite for every finite z (no underflow to log 0 in the far left tail). */
    public static double logCdf(double z) {
        if (z > 0) {
            return Math.log1p(-cdf(-z));
        }
        if (z >= LOG_CDF_CF_BELOW) {
            return Math.log(cdf(z));
        }
        return logPdf(z) + Math.log(millsRatio(-z));
    }

    /**
     * {@code exp(logK + log phi(z) + (k - 1) log Phi(z))}, the density of the max of k standard normals at z
     * ({@code logK = log k}), the same double as that expression; exactly 0 without evaluating log Phi (a 300-level
     * continued fraction there) where the expression underflows: below -20, {@code log Phi(z) < log phi(z) - log(-z)}
     * (Mills' ratio is below 1/a), and an exponent bounded by -800 is far below exp's underflow at -745.2.
     */
    public static double maxDensity(double z, int k, double logK) {
        if (z < LOG_CDF_CF_BELOW && k > 1) {
            double lp = logPdf(z);
            if (logK + lp + (k - 1) * (lp - Math.log(-z)) < -800) {
                return 0.0;
            }
        }
        return Math.exp(logK + logPdf(z) + (k - 1) * logCdf(z));
    }

    /**
     * Mills ratio {@code R(a) = Phi(-a) / phi(a)} for {@code a >= 3}, by its continued fraction
     * {@code R(a) = 1/(a + 1/(a + 2/(a + 3/(a + ...))))} evaluated bottom-up.
     */
    public static double millsRatio(double a) {
        return 1.0 / (a + millsTail(a, 1));
    }

    /**
     * The tail {@code k/(a + (k+1)/(a + (k+2)/(a + ...)))} of the Mills-ratio continued fraction, for
     * {@code a >= 3} (where 300 levels reach double precision). Tail expectations such as
     * {@code E[(Z - a)^+] = phi(a) (1 - a R(a))} are differences of nearly equal numbers; written with these
     * tails they are ratios of positive numbers instead (see the relu closed form).
     */
    public static double millsTail(double a, int k) {
        if (!(a >= 3.0)) {
            throw new IllegalArgumentException("millsTail: needs a >= 3 for fast convergence, got " + a);
        }
        double s = 0.0;
        for (int j = k + 300; j >= k; j--) {
            s = j / (a + s);
        }
        return s;
    }
}
