package org.autoinit.init.moments.numeric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.apache.commons.math3.special.Erf;
import org.junit.jupiter.api.Test;

class ErfcTest {
    /** erfc(x) to 20 digits (mpmath, 40-digit arithmetic, outside the code base); every x is exact in binary. */
    private static final double[][] REF = {
        {-5.875, 1.9999999999999999031},
        {-3.5, 1.9999992569016276586},
        {-1.25, 1.9229001282564582301},
        {-0.46875, 1.4926134732179379916},
        {-0.1875, 1.2091176770593758483},
        {-7.450580596923828e-09, 1.0000000084070799283},
        {0.0, 1.0},
        {9.094947017729282e-13, 9.9999999999897374513e-1},
        {0.09375, 8.9452355621822041227e-1},
        {0.3125, 6.5853136649840499371e-1},
        {0.46875, 5.0738652678206200841e-1},
        {0.4687509536743164, 5.0738566295079765192e-1},
        {0.75, 2.888443663464848684e-1},
        {1, 1.5729920705028513066e-1},
        {1.5, 3.3894853524689272933e-2},
        {2.25, 1.4627165866811516979e-3},
        {3, 2.2090496998585441373e-5},
        {3.998046875, 1.5667217705169823311e-8},
        {4, 1.5417257900280018852e-8},
        {4.001953125, 1.5171173360526819619e-8},
        {5, 1.5374597944280348502e-12},
        {6.5, 3.8421483271206474699e-20},
        {8, 1.122429717298292708e-29},
        {10, 2.088487583762544757e-45},
        {12.75, 1.1081345768520579609e-72},
        {15, 7.2129941724512066666e-100},
        {20, 5.3958656116079009289e-176},
        {25, 8.300172571196522752e-274},
        {26.5, 2.2109076642637342759e-307},
    };

    @Test
    void matchesHighPrecisionValuesToAFewUlps() {
        for (double[] r : REF) {
            assertEquals(r[1], Erfc.erfc(r[0]), 2e-15 * r[1], "erfc(" + r[0] + ")");
        }
    }

    /** commons-math's erfc (incomplete gamma) is itself good to ~2e-13 relative here; 5e-13 bounds both errors. */
    @Test
    void agreesWithCommonsMathOverTheWholeRangeIncludingTheTail() {
        SplittableRandom rng = new SplittableRandom(7);
        double worst = 0;
        for (int i = 0; i < 20000; i++) {
            double x = i < 10000 ? -6 + 32.5 * i / 10000 : rng.nextDouble(-6, 26.5);
            double ref = Erf.erfc(x);
            worst = Math.max(worst, Math.abs(Erfc.erfc(x) - ref) / ref);
        }
        assertTrue(worst < 5e-13, "worst relative difference " + worst);
    }

    @Test
    void edgeCases() {
        assertEquals(1.0, Erfc.erfc(0.0), 0);
        assertEquals(1.0, Erfc.erfc(-0.0), 0);
        assertEquals(2.0, Erfc.erfc(Double.NEGATIVE_INFINITY), 0);
        assertEquals(0.0, Erfc.erfc(Double.POSITIVE_INFINITY), 0);
        assertEquals(0.0, Erfc.erfc(28), 0);
        assertEquals(2.0, Erfc.erfc(-28), 0);
        assertTrue(Erfc.erfc(27) > 0, "subnormal, not flushed to 0");
        assertTrue(Double.isNaN(Erfc.erfc(Double.NaN)));
    }

    /** Consecutive doubles across the region boundaries give a monotone (non-increasing) erfc. */
    @Test
    void monotoneAcrossRegionBoundaries() {
        for (double b : new double[] {-4, -0.46875, 0.46875, 4}) {
            double x = Math.nextDown(Math.nextDown(b));
            for (int k = 0; k < 4; k++, x = Math.nextUp(x)) {
                assertTrue(Erfc.erfc(Math.nextUp(x)) <= Erfc.erfc(x), "erfc at " + x);
            }
            assertEquals(Erf.erfc(b), Erfc.erfc(b), 1e-13 * Erf.erfc(b));
        }
    }
}
