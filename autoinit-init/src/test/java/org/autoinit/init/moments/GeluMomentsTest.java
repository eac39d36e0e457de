package org.autoinit.init.moments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

/** gelu's closed-form moments against the adaptive quadrature, the mpmath table and its own range limits. */
class GeluMomentsTest {
    private static double gelu(double x) {
        return ActivationKind.GELU.apply(x, Double.NaN);
    }

    /**
     * Over mu in [-12, 12] and v in [1e-6, 100], wherever the closed form is used, both moments agree with the adaptive
     * Gauss-Kronrod quadrature (asked 1e-12 of E|f|^j): m2 within 1e-12 relative, m1 within 2e-12 of E|f| (m1 crosses 0;
     * measured 7e-13 and 6e-14 at worst).
     */
    @Test
    void agreesWithQuadrature() {
        int used = 0;
        for (double mu = -12; mu <= 12; mu += 0.5) {
            for (double v : new double[] {1e-6, 0.01, 0.3, 1, 2.5, 10, 100}) {
                double[] c = GeluMoments.of(mu, Math.sqrt(v));
                if (c == null) {
                    continue;
                }
                used++;
                double[] q = ActivationMoments.quadrature(GeluMomentsTest::gelu, new double[0], mu, Math.sqrt(v), "gelu");
                double[] abs = ActivationMoments.quadrature(x -> Math.abs(gelu(x)), new double[0], mu, Math.sqrt(v), "gelu");
                String at = "N(" + mu + ", " + v + ")";
                assertEquals(q[0], c[0], 2e-12 * abs[0], "m1 at " + at);
                assertEquals(q[1], c[1], 1e-12 * q[1], "m2 at " + at);
            }
        }
        assertTrue(used >= 150, "cases inside the closed form's range: " + used);
    }

    /** The rows of the mpmath table (40 digits, computed outside the code) the closed form covers, to 1e-13. */
    @Test
    void matchesTheMpmathTable() {
        int n = 0;
        for (ActivationMomentsReferenceTest.Ref r : ActivationMomentsReferenceTest.table()) {
            if (r.kind() != ActivationKind.GELU) {
                continue;
            }
            double[] c = GeluMoments.of(r.mu(), Math.sqrt(r.v()));
            if (c != null) {
                n++;
                assertEquals(r.m1(), c[0], 1e-13 * Math.max(1, Math.abs(r.m1())), "m1 at N(" + r.mu() + ", " + r.v() + ")");
                assertEquals(r.m2(), c[1], 1e-13 * r.m2(), "m2 at N(" + r.mu() + ", " + r.v() + ")");
            }
        }
        assertTrue(n >= 5, "table rows inside the closed form's range: " + n);
    }

    /** Far left (a < -2, where Phi_2 would be a small difference), huge variance or a point mass: not used. */
    @Test
    void declinesOutsideItsRange() {
        assertNull(GeluMoments.of(-3, 0.5));
        assertNull(GeluMoments.of(0, 11));
        assertNull(GeluMoments.of(13, 1));
        assertNull(GeluMoments.of(1, 0));
        assertNotNull(GeluMoments.of(-2, 1));
    }

    /** Owen's T at alpha = 1: {@code T(h, 1) = Phi(h) (1 - Phi(h)) / 2}. */
    @Test
    void owenTAtOne() {
        for (double h : new double[] {0, 0.7, -1.5, 3, 6}) {
            double p = org.autoinit.init.moments.numeric.Gaussian.cdf(h);
            assertEquals(0.5 * p * (1 - p), GeluMoments.owenT(h, 1), 1e-16, "h=" + h);
        }
    }
}
