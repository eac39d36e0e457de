package org.autoinit.init.moments.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianTest {

    /** Asymptotic series log Phi(-a) = log phi(a) - log a + log(1 - 1/a^2 + 3/a^4 - 15/a^6 + 105/a^8 - ...), for large a. */
    private static double logCdfSeries(double a) {
        double r = 1 / (a * a);
        return -0.5 * a * a - 0.5 * Math.log(2 * Math.PI) - Math.log(a)
                + Math.log(1 - r + 3 * r * r - 15 * r * r * r + 105 * r * r * r * r - 945 * Math.pow(r, 5));
    }

    @Test
    void cdfMatchesTabulatedValues() {
        assertEquals(0.5, Gaussian.cdf(0), 0);
        assertEquals(0.15865525393145705, Gaussian.cdf(-1), 1e-16);
        assertEquals(0.9772498680518208, Gaussian.cdf(2), 1e-15);
        assertEquals(2.866515718791939e-7, Gaussian.cdf(-5), 1e-21);
        assertEquals(7.619853024160527e-24, Gaussian.cdf(-10), 1e-36);
    }

    /**
     * Phi from a given e^{-z^2/2} (MaxOfGaussians shares it with phi): within (1 + z^2/2) 8e-16 relative of Gaussian.cdf
     * over [-37, 9] (the rounding of z^2/2 in the exponent, on both sides: 4e-14 at |z| = 9, 6e-13 at z = -37 where Phi is 6e-300), and the
     * same double wherever no exponential is involved (|z| <= 0.66) or Phi rounds to 1.
     */
    @Test
    void cdfFromAGivenExponentialAgreesWithCdf() {
        int same = 0;
        for (double z = -37; z <= 9; z += 0.0137) {
            double e = Math.exp(-0.5 * z * z), want = Gaussian.cdf(z), got = Gaussian.cdf(z, e);
            double tol = 8e-16 * (1 + 0.5 * z * z) * want;
            assertEquals(want, got, tol, "Phi(" + z + ")");
            if (Math.abs(z) <= 0.66) {
                assertEquals(want, got, 0, "Phi(" + z + ") uses no exponential");
            }
            same += want == got ? 1 : 0;
        }
        assertTrue(same > 100, "most values are the same double: " + same);
    }

    @Test
    void logCdfIsAccurateFarInTheLeftTailAndNearOne() {
        for (double a : new double[] {19.9, 20.1, 30, 40, 100, 1e4}) {
            assertEquals(logCdfSeries(a), Gaussian.logCdf(-a), 1e-13 * Math.abs(logCdfSeries(a)), "log Phi(-" + a + ")");
        }
        assertEquals(Math.log(Gaussian.cdf(-5)), Gaussian.logCdf(-5), 1e-15);
        // log Phi(8) = log(1 - Phi(-8)) ~ -Phi(-8) = -6.22e-16, not 0.
        assertEquals(-6.220960574271785e-16, Gaussian.logCdf(8), 1e-28);
    }

    @Test
    void millsRatioContinuedFractionConvergesFromItsThreshold() {
        // R(a) = Phi(-a)/phi(a) to 19 digits (mpmath, 40-digit arithmetic).
        double[][] ref = {{3, 0.3045902987101032957}, {4, 0.2366523829135606706}, {6, 0.1623776608968674618},
            {10, 0.09902859647173192140}};
        for (double[] r : ref) {
            assertEquals(r[1], Gaussian.millsRatio(r[0]), 2e-16 * r[1], "R(" + r[0] + ")");
            assertEquals(r[1], Gaussian.cdf(-r[0]) / Gaussian.pdf(r[0]), 2e-14 * r[1], "Phi(-a)/phi(a) at " + r[0]);
        }
    }

    /** The max density is the same double as exp(log k + log phi + (k - 1) log Phi) everywhere, also where it skips log Phi. */
    @Test
    void maxDensityIsTheSameDoubleAsTheFullExpression() {
        int zeros = 0;
        for (int k : new int[] {1, 2, 3, 4, 9, 49, 1000}) {
            double logK = Math.log(k);
            for (double z = -40; z <= 12; z += 0.0625) {
                double want = Math.exp(logK + Gaussian.logPdf(z) + (k - 1) * Gaussian.logCdf(z));
                double got = Gaussian.maxDensity(z, k, logK);
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got), "k=" + k + ", z=" + z);
                zeros += got == 0 ? 1 : 0;
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(zeros > 500, "the underflow region is reached: " + zeros + " zeros");
    }
}
