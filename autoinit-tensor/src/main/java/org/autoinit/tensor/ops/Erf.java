package org.autoinit.tensor.ops;

/**
 * The error function and its complement in double precision, for exact GELU and normal CDFs.
 *
 * <p>Rational approximations from the Cephes Math Library (S. L. Moshier, {@code ndtr.c}): on
 * {@code |x| <= 1}, {@code erf(x) = x T(x^2) / U(x^2)}; beyond, {@code erfc(x) = e^{-x^2} P(x) / Q(x)}
 * ({@code 1 <= x < 8}) or {@code e^{-x^2} R(x) / S(x)} ({@code x >= 8}). Relative error about 1e-15 on
 * both (erfc keeps full relative accuracy deep into its tail, so {@code Phi(x) = erfc(-x/sqrt 2)/2} is
 * accurate for very negative x where {@code 1 + erf} would cancel). {@code e^{-x^2}} is computed from the
 * exact split {@code x^2 = hi + lo} so the rounding of {@code x*x} does not cost {@code x^2} ulps.
 */
public final class Erf {
    private Erf() {}

    private static final double[] T = {
        9.60497373987051638749E0, 9.00260197203842689217E1, 2.23200534594684319226E3,
        7.00332514112805075473E3, 5.55923013010394962768E4};
    private static final double[] U = {
        3.35617141647503099647E1, 5.21357949780152679795E2, 4.59432382970980127987E3,
        2.26290000613890934246E4, 4.92673942608635921086E4};
    private static final double[] P = {
        2.46196981473530512524E-10, 5.64189564831068821977E-1, 7.46321056442269912687E0,
        4.86371970985681366614E1, 1.96520832956077098242E2, 5.26445194995477358631E2,
        9.34528527171957607540E2, 1.02755188689515710272E3, 5.57535335369399327526E2};
    private static final double[] Q = {
        1.32281951154744992508E1, 8.67072140885989742329E1, 3.54937778887819891062E2,
        9.75708501743205489753E2, 1.82390916687909736289E3, 2.24633760818710981792E3,
        1.65666309194161350182E3, 5.57535340817727675546E2};
    private static final double[] R = {
        5.64189583547755073984E-1, 1.27536670759978104416E0, 5.01905042251180477414E0,
        6.16021097993053585195E0, 7.40974269950448939160E0, 2.97886665372100240670E0};
    private static final double[] S = {
        2.26052863220117276590E0, 9.39603524938001434673E0, 1.20489539808096656605E1,
        1.70814450747565897222E1, 9.60896809063285878198E0, 3.36907645100081516050E0};

    private static final double INV_SQRT2 = 0.70710678118654752440084436210485;

    /** Beyond this erfc(x) underflows to 0 (e^{-x^2} below the smallest double). */
    private static final double ERFC_UNDERFLOW = 27.3;

    /** {@code erf(x) = 2/sqrt(pi) * integral_0^x e^{-t^2} dt}. */
    public static double erf(double x) {
        if (Math.abs(x) > 1.0) {
            return 1.0 - erfc(x); // |erf| > 0.84 here, so subtracting the small tail loses nothing
        }
        double z = x * x;
        return x * polevl(z, T) / p1evl(z, U);
    }

    /** {@code erfc(x) = 1 - erf(x)}, accurate relative to its own (tiny) size for large x. */
    public static double erfc(double x) {
        double a = Math.abs(x);
        if (a < 1.0) {
            return 1.0 - erf(x);
        }
        if (Double.isNaN(x)) {
            return x;
        }
        if (a > ERFC_UNDERFLOW) {
            return x < 0 ? 2.0 : 0.0;
        }
        double y = expMinusSquare(a) * tailRatio(a);
        return x < 0 ? 2.0 - y : y;
    }

    /**
     * The standard normal CDF {@code Phi(x) = erfc(-x / sqrt 2) / 2}. In the tails the Gaussian factor
     * {@code e^{-x^2/2}} is computed from x itself: going through the rounded {@code x / sqrt 2} would
     * amplify its rounding by x^2 (1e-14 relative error at x = -10 instead of 1e-16).
     */
    public static double normalCdf(double x) {
        double a = -x * INV_SQRT2;
        double abs = Math.abs(a);
        if (abs < 1.0 || Double.isNaN(x)) {
            return 0.5 * erfc(a);
        }
        if (abs > ERFC_UNDERFLOW) {
            return a < 0 ? 1.0 : 0.0;
        }
        double hi = x * x;
        double lo = Math.fma(x, x, -hi);
        double gauss = Math.exp(-0.5 * hi) * (1.0 - 0.5 * lo);
        double tail = 0.5 * gauss * tailRatio(abs);
        return a < 0 ? 1.0 - tail : tail;
    }

    /** {@code e^{-a^2}} with the rounding error of {@code a*a} corrected to first order (it is below 1 ulp of a^2). */
    private static double expMinusSquare(double a) {
        double hi = a * a;
        double lo = Math.fma(a, a, -hi);
        return Math.exp(-hi) * (1.0 - lo);
    }

    /** erfc(a) e^{a^2} for a >= 1. */
    private static double tailRatio(double a) {
        return a < 8.0 ? polevl(a, P) / p1evl(a, Q) : polevl(a, R) / p1evl(a, S);
    }

    /** c[0] x^n + ... + c[n]. */
    private static double polevl(double x, double[] c) {
        double s = c[0];
        for (int i = 1; i < c.length; i++) s = s * x + c[i];
        return s;
    }

    /** x^n + c[0] x^{n-1} + ... + c[n-1] (leading coefficient 1, as Cephes' p1evl). */
    private static double p1evl(double x, double[] c) {
        double s = x + c[0];
        for (int i = 1; i < c.length; i++) s = s * x + c[i];
        return s;
    }
}
