package org.autoinit.init.moments.numeric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussKronrodTest {

    /** sum_i w_i x_i^d over the symmetric nodes. */
    private static double moment(double[] nodes, double[] weights, int d) {
        double s = 0;
        for (int i = 0; i < nodes.length; i++) {
            s += weights[i] * Math.pow(nodes[i], d) * (nodes[i] == 0 ? 1 : (d % 2 == 0 ? 2 : 0));
        }
        return s;
    }

    @Test
    void tabulatedRulesAreExactForTheirPolynomialDegrees() {
        // K15 is exact up to degree 22, G7 up to 13: this pins every tabulated digit that matters.
        double[] gaussNodes = {GaussKronrod.XK[1], GaussKronrod.XK[3], GaussKronrod.XK[5], GaussKronrod.XK[7]};
        for (int d = 0; d <= 22; d += 2) {
            assertEquals(2.0 / (d + 1), moment(GaussKronrod.XK, GaussKronrod.WK, d), 2e-15, "K15 degree " + d);
            if (d <= 13) {
                assertEquals(2.0 / (d + 1), moment(gaussNodes, GaussKronrod.WG, d), 2e-15, "G7 degree " + d);
            }
        }
        // ... and not beyond: degree 24 is not integrated exactly, so the error estimate is meaningful.
        assertTrue(Math.abs(moment(GaussKronrod.XK, GaussKronrod.WK, 24) - 2.0 / 25) > 1e-10);
    }

    @Test
    void adaptiveIntegralsOfKnownFunctions() {
        double[] r = GaussKronrod.integrate((x, out) -> {
            out[0] = Math.sin(x);
            out[1] = Math.sqrt(Math.abs(x - 1));
            out[2] = Math.exp(-x * x);
        }, 3, new double[] {0, 1, Math.PI}, 0, 1e-13);
        assertEquals(2.0, r[0], 1e-13, "sin over [0, pi]");
        // integral_0^pi sqrt|x-1| = 2/3 (1 + (pi-1)^{3/2}), kink at the breakpoint 1.
        assertEquals(2.0 / 3 * (1 + Math.pow(Math.PI - 1, 1.5)), r[1], 1e-12, "sqrt|x-1|");
        assertEquals(Math.sqrt(Math.PI) / 2 * org.apache.commons.math3.special.Erf.erf(Math.PI), r[2], 1e-13, "gaussian");
    }

    @Test
    void tinyIntegralsAreRelativelyAccurate() {
        // integral_30^inf phi = Phi(-30) ~ 4.9e-198: compared with the Mills-ratio series.
        double[] r = GaussKronrod.integrate((x, out) -> out[0] = Gaussian.pdf(x), 1, new double[] {30, 40}, 0, 1e-12);
        double a = 30, series = Gaussian.pdf(a) / a * (1 - 1 / (a * a) + 3 / Math.pow(a, 4) - 15 / Math.pow(a, 6) + 105 / Math.pow(a, 8));
        assertEquals(series, r[0], 1e-10 * series);
    }

    @Test
    void nonFiniteIntegrandAndBadBreakpointsFail() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> GaussKronrod.integrate((x, out) -> out[0] = 1 / x, 1, new double[] {-1, 1}, 0, 1e-10));
        assertTrue(e.getMessage().startsWith("quadrature: integrand is"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> GaussKronrod.integrate((x, out) -> out[0] = x, 1, new double[] {1, 0}, 0, 1e-10));
        assertEquals("quadrature: breakpoints must be sorted, got 1.0 before 0.0", e.getMessage());
    }

    @Test
    void undeclaredJumpStopsAtTheBudgetWithAWarningCount() {
        long before = GaussKronrod.budgetExhaustions();
        double[] r = GaussKronrod.integrate((x, out) -> out[0] = x < 1 / 3.0 ? 0 : 1, 1, new double[] {0, 1}, 0, 1e-300);
        assertEquals(2.0 / 3, r[0], 1e-12, "still accurate: the worst pieces were refined first");
        assertEquals(before + 1, GaussKronrod.budgetExhaustions());
    }
    /**
     * The batch form (a piece's nodes, or a bisection's two pieces', evaluated together) gives the same pieces, values
     * and sums as the one-point form: the same doubles, on an integrand that needs many bisections (a narrow peak and
     * an oscillation) and one with a non-finite value (the same error).
     */
    @Test
    void batchFormIsTheOnePointFormBitForBit() {
        GaussKronrod.Integrand f = (x, out) -> {
            out[0] = Math.exp(-200 * (x - 0.3) * (x - 0.3));
            out[1] = Math.cos(7 * x) * Math.exp(-0.5 * x * x);
            out[2] = Math.abs(x) < 1 ? x * x : 1 / (x * x);
        };
        int[] calls = {0};
        GaussKronrod.Batch g = (xs, count, out) -> {
            calls[0]++;
            for (int i = count - 1; i >= 0; i--) { // any order
                f.eval(xs[i], out[i]);
            }
        };
        double[] breaks = {-9, -1, 0, 1, 9};
        double[] one = GaussKronrod.integrate(f, 3, breaks, 1e-14, 1e-12);
        double[] batch = GaussKronrod.integrate(g, 3, breaks, 1e-14, 1e-12);
        assertArrayEquals(one, batch);
        assertTrue(calls[0] > 10, "bisections evaluated in batches: " + calls[0]);
        assertEquals(Math.sqrt(Math.PI / 200), batch[0], 1e-12);
        GaussKronrod.Batch bad = (xs, count, out) -> {
            for (int i = 0; i < count; i++) {
                out[i][0] = xs[i] > 0.5 ? Double.NaN : 1;
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GaussKronrod.integrate(bad, 1, new double[] {0, 1}, 1e-9, 1e-9));
        assertTrue(e.getMessage().contains("integrand is NaN"), e.getMessage());
    }
}
