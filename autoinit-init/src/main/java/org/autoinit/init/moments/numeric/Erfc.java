package org.autoinit.init.moments.numeric;

/**
 * The complementary error function {@code erfc(x) = 2/sqrt(pi) integral_x^inf e^{-t^2} dt}, accurate to a few
 * ulps relative everywhere (also far in the right tail, to where it becomes subnormal near x = 26.5), by W. J. Cody's
 * rational Chebyshev approximations (Math. Comp. 23 (1969) 631-637; netlib specfun CALERF): a rational function
 * of x^2 for |x| <= 0.46875, {@code e^{-x^2} P(x)/Q(x)} up to 4 and {@code e^{-x^2}/x (1/sqrt(pi) - R(1/x^2))}
 * beyond. The e^{-x^2} factor is split as {@code e^{-h^2} e^{-(x-h)(x+h)}}, h = x rounded down to 1/16, so
 * x^2 is not rounded. Why not commons-math's Erf.erfc: it goes through the regularized incomplete gamma
 * function (a continued fraction and log-gamma per call), about 20x slower, and AutoInit calls it once per
 * mixture component of every channel.
 */
public final class Erfc {
    private Erfc() {}

    private static final double[] A = {3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
        3.20937758913846947e03, 1.85777706184603153e-1};
    private static final double[] B = {2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
        2.84423683343917062e03};
    private static final double[] C = {5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
        2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03,
        1.23033935479799725e03, 2.15311535474403846e-8};
    private static final double[] D = {1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
        1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03,
        1.23033935480374942e03};
    private static final double[] P = {3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
        1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2};
    private static final double[] Q = {2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1,
        6.05183413124413191e-2, 2.33520497626869185e-3};
    private static final double INV_SQRT_PI = 5.6418958354775628695e-1;
    /** erfc(x) is below the smallest subnormal double above this. */
    private static final double XBIG = 27.3;

    /** erfc(x); NaN for NaN. */
    public static double erfc(double x) {
        double y = Math.abs(x);
        return y > 0.46875 && y < XBIG ? erfc(x, expMinusSquare(y)) : erfc(x, Double.NaN);
    }

    /**
     * erfc(x) given {@code e = e^{-x^2}} computed by the caller (who needs it anyway, e.g. for the normal density
     * {@code phi(z) = e^{-z^2/2}/sqrt(2 pi)} at {@code x = -z/sqrt 2}): one exponential serves both. Used only for
     * {@code 0.46875 < |x| < 27.3}; the result is within about {@code (1 + x^2)} ulps of {@link #erfc(double)}
     * relative (the rounding of the caller's {@code x^2}).
     */
    public static double erfc(double x, double e) {
        double y = Math.abs(x);
        double r;
        if (y <= 0.46875) {
            double z = y * y, num = A[4] * z, den = z;
            for (int i = 0; i < 3; i++) {
                num = (num + A[i]) * z;
                den = (den + B[i]) * z;
            }
            return 1 - x * (num + A[3]) / (den + B[3]);
        } else if (y <= 4) {
            double num = C[8] * y, den = y;
            for (int i = 0; i < 7; i++) {
                num = (num + C[i]) * y;
                den = (den + D[i]) * y;
            }
            r = e * ((num + C[7]) / (den + D[7]));
        } else if (y < XBIG) {
            double z = 1 / (y * y), num = P[5] * z, den = z;
            for (int i = 0; i < 4; i++) {
                num = (num + P[i]) * z;
                den = (den + Q[i]) * z;
            }
            r = e * ((INV_SQRT_PI - z * (num + P[4]) / (den + Q[4])) / y);
        } else if (y >= XBIG) {
            r = 0;
        } else {
            return Double.NaN;
        }
        return x < 0 ? 2 - r : r;
    }

    /**
     * {@code e^{-y^2}} without rounding y^2: {@code e^{-h^2} e^{-(y-h)(y+h)}}, h = y rounded down to a multiple of 1/16,
     * for {@code y < XBIG}; {@code e^{-h^2}} from {@link #EXP_GRID}, the same double {@code Math.exp} gives.
     */
    private static double expMinusSquare(double y) {
        double h = Math.floor(y * 16) / 16;
        return EXP_GRID[(int) (h * 16)] * Math.exp(-(y - h) * (y + h));
    }

    /** {@code e^{-h^2}} at h = k/16 for every k with k/16 < XBIG (h and h^2 exact): one exponential per call saved. */
    private static final double[] EXP_GRID = new double[(int) (XBIG * 16) + 1];

    static {
        for (int k = 0; k < EXP_GRID.length; k++) {
            double h = k / 16.0;
            EXP_GRID[k] = Math.exp(-h * h);
        }
    }
}
