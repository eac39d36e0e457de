package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Erf against reference values of the C library and against an independent series / continued fraction. */
class ErfTest {

    /** {x, erf(x), erfc(x)} from glibc's erf/erfc (Python's math.erf and math.erfc, CPython 3.11). */
    private static final double[][] LIBM = {
        {-5.5, -0.9999999999999927, 1.9999999999999927},
        {-3.2, -0.9999939742388483, 1.9999939742388482},
        {-1.7, -0.9837904585907745, 1.9837904585907746},
        {-1.0, -0.8427007929497149, 1.842700792949715},
        {-0.75, -0.7111556336535151, 1.7111556336535152},
        {-0.3, -0.3286267594591274, 1.3286267594591274},
        {-0.001, -0.0011283787909692365, 1.0011283787909693},
        {0.0, 0.0, 1.0},
        {1e-08, 1.1283791670955126e-08, 0.9999999887162083},
        {0.1, 0.1124629160182849, 0.8875370839817152},
        {0.5, 0.5204998778130465, 0.4795001221869535},
        {0.9999, 0.8426592780487595, 0.15734072195124052},
        {1.0, 0.8427007929497149, 0.15729920705028513},
        {1.0001, 0.8427422995485203, 0.1572577004514797},
        {1.5, 0.9661051464753108, 0.033894853524689274},
        {2.3, 0.9988568234026434, 0.0011431765973566523},
        {3.7, 0.9999998328489421, 1.6715105790914596e-07},
        {5.2, 0.9999999999998075, 1.9249061099972327e-13},
        {6.1, 1.0, 6.314602150193718e-18},
        {7.99, 1.0, 1.3186752894076767e-29},
        {8.0, 1.0, 1.1224297172982928e-29},
        {9.5, 1.0, 3.76921448565488e-41},
        {12.0, 1.0, 1.3562611692059042e-64},
        {20.0, 1.0, 5.3958656116079005e-176},
        {26.0, 1.0, 5.663192408856143e-296},
    };

    @Test
    void matchesLibmReferenceValues() {
        for (double[] r : LIBM) {
            assertEquals(r[1], Erf.erf(r[0]), 2e-15 * Math.max(Math.abs(r[1]), 1e-300), "erf(" + r[0] + ")");
            assertEquals(r[2], Erf.erfc(r[0]), 4e-15 * r[2], "erfc(" + r[0] + ")");
        }
    }

    @Test
    void matchesIndependentSeriesAndContinuedFractionOnAGrid() {
        // The references round x*x inside e^{-x^2}, an error of about x^2 ulps; the tolerance allows for it.
        for (int i = -6000; i <= 9000; i += 7) {
            double x = i / 1000.0;
            double tol = 3e-15 + 3e-16 * x * x;
            double refErf = Math.abs(x) < 3 ? seriesErf(x) : Math.signum(x) * (1 - cfErfc(Math.abs(x)));
            assertEquals(refErf, Erf.erf(x), tol * Math.abs(refErf), "erf(" + x + ")");
            if (x >= 3) {
                double refErfc = cfErfc(x);
                assertEquals(refErfc, Erf.erfc(x), tol * refErfc, "erfc(" + x + ")");
            } else {
                assertEquals(1 - seriesErf(x), Erf.erfc(x), tol, "erfc(" + x + ")");
            }
        }
    }

    /** {x, Phi(x)} from 60-digit decimal arithmetic (erf series below 3, continued fraction above), rounded. */
    private static final double[][] PHI = {
        {-37, 5.725571222524577e-300},
        {-20, 2.7536241186062337e-89},
        {-10, 7.619853024160525e-24},
        {-5.5, 1.8989562465887718e-08},
        {-2, 0.02275013194817921},
        {-1.2, 0.11506967022170826},
        {-0.5, 0.3085375387259869},
        {0, 0.5},
        {0.7, 0.758036347776927},
        {1.5, 0.9331927987311419},
        {3, 0.9986501019683699},
        {6, 0.9999999990134123},
        {9, 1.0},
    };

    @Test
    void normalCdfKeepsFullRelativeAccuracyInTheLowerTail() {
        for (double[] r : PHI) {
            assertEquals(r[1], Erf.normalCdf(r[0]), 2e-15 * r[1], "Phi(" + r[0] + ")");
        }
        assertEquals(0.0, Erf.normalCdf(-40));
        assertEquals(1.0, Erf.normalCdf(40));
        assertTrue(Double.isNaN(Erf.normalCdf(Double.NaN)));
    }

    @Test
    void symmetryLimitsAndNaN() {
        for (double x : new double[] {0.2, 0.99, 1.3, 4.0, 7.0}) {
            assertEquals(-Erf.erf(x), Erf.erf(-x), 0.0, "erf is odd at " + x);
            assertEquals(2.0, Erf.erfc(x) + Erf.erfc(-x), 4e-16, "erfc(x) + erfc(-x) = 2 at " + x);
        }
        assertEquals(1.0, Erf.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, Erf.erfc(40));
        assertEquals(2.0, Erf.erfc(-40));
        assertTrue(Double.isNaN(Erf.erf(Double.NaN)));
        assertTrue(Double.isNaN(Erf.erfc(Double.NaN)));
    }

    /** erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1 3 5 ... (2n+1)): positive terms, no cancellation. */
    static double seriesErf(double x) {
        double term = x, sum = x;
        for (int n = 1; n < 500 && Math.abs(term) > 1e-18 * Math.abs(sum); n++) {
            term *= 2 * x * x / (2 * n + 1);
            sum += term;
        }
        return 2 / Math.sqrt(Math.PI) * Math.exp(-x * x) * sum;
    }

    /** erfc(x) = e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), evaluated bottom-up (x >= 3). */
    static double cfErfc(double x) {
        double f = x;
        for (int k = 200; k >= 1; k--) {
            f = x + (k / 2.0) / f;
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
