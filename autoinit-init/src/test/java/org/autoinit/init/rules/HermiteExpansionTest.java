package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoinit.init.moments.numeric.GaussKronrod;
import org.autoinit.init.moments.numeric.Gaussian;
import org.autoinit.nn.layers.Activation;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

/**
 * The fast Hermite coefficients of every built-in activation (closed forms, fixed rules) against the adaptive
 * Gauss-Kronrod quadrature (tighter than production's: no absolute floor, 1e-13 relative), at laws near and far
 * from N(0, 1). Tolerance: 1e-9 times the component's scale, {@code sqrt(E f^2)} for the coefficients of f and
 * {@code sqrt(E f^4)} for those of f^2 (each normalized coefficient is at most that by Parseval); the reference is
 * accurate to 1e-13 of the L1 norm of its integrand, which is at most that scale (Cauchy-Schwarz).
 */
class HermiteExpansionTest {
    private static final double[][] LAWS = {
        {0, 1}, {0.3, 0.7}, {-0.2, 1.3}, {1.5, 0.2}, {-2, 0.05}, {5, 4}, {-5, 4}, {0.5, 100}, {1e-3, 1e-6},
        {-3, 1e-4}, {3.2, 0.01}, {20, 1}, {-20, 1}, {0, 1e-8}, {-0.7, 9}};

    @Test
    void fastCoefficientsMatchAdaptiveQuadratureForEveryKindWithAFastPath() {
        int k = FeatureCovariance.K;
        for (ActivationKind kind : ActivationKind.values()) {
            if (PiecewiseLinearHermite.pieces(kind, kind.defaultAlpha(), 0) == null) {
                continue; // no fast path: HermiteExpansion returns the adaptive quadrature itself
            }
            for (double shift : new double[] {0, 0.4}) {
                Activation layer = Activation.builder(kind).centred(shift).build();
                FeatureCovariance.Expansion fast = HermiteExpansion.of(layer, shift);
                for (double[] law : LAWS) {
                    double m = law[0], v = law[1];
                    if (kind == ActivationKind.EXP && m + 2 * v > 20) {
                        continue; // f^2 spans ~e^80 over the law: no absolute tolerance is meaningful
                    }
                    double[] ref = reference(layer, m, v);
                    double[] got = fast.at(m, v);
                    assertEquals(ref.length, got.length);
                    double e2 = 0, e4 = 0;
                    for (int j = 0; j <= k; j++) {
                        e2 += ref[j] * ref[j];
                    }
                    e4 = Math.abs(ref[k + 1]); // E[f^2] ... the f^2 scale below uses the f^2 coefficients' energy
                    double s4 = 0;
                    for (int j = 0; j <= k; j++) {
                        s4 += ref[k + 1 + j] * ref[k + 1 + j];
                    }
                    double scale1 = Math.sqrt(e2), scale2 = Math.sqrt(Math.max(s4, e4 * e4));
                    for (int j = 0; j <= k; j++) {
                        String at = kind.id() + " shift " + shift + " at N(" + m + ", " + v + ") k=" + j;
                        assertEquals(ref[j], got[j], 1e-9 * scale1 + 1e-300, at + " (f)");
                        assertEquals(ref[k + 1 + j], got[k + 1 + j], 1e-9 * scale2 + 1e-300, at + " (f^2)");
                    }
                }
            }
        }
    }

    /** {@code E[g(m + s z) h_k(z)]}, g = f and f^2, by adaptive quadrature over z in [-38, 38] (phi underflows beyond) split at the kinks. */
    private static double[] reference(Activation layer, double m, double v) {
        int k = FeatureCovariance.K;
        double s = Math.sqrt(v);
        java.util.TreeSet<Double> breaks = new java.util.TreeSet<>(java.util.List.of(-38.0, -20.0, -12.0, -6.0, -3.0, 0.0, 3.0, 6.0, 12.0, 20.0, 38.0));
        for (double x : layer.kind().kinks(layer.alpha())) {
            double z = (x - m) / s;
            if (Math.abs(z) < 38) {
                breaks.add(z);
            }
        }
        double[] br = breaks.stream().mapToDouble(Double::doubleValue).toArray();
        return GaussKronrod.integrate((z, out) -> {
            double f = layer.applyScalar(m + s * z), w = Gaussian.pdf(z);
            double hPrev = 0, h = 1; // He_j(z) / sqrt(j!)
            for (int j = 0; j <= k; j++) {
                out[j] = f * w * h;
                out[k + 1 + j] = f * f * w * h;
                double next = (z * h - Math.sqrt(j) * hPrev) / Math.sqrt(j + 1);
                hPrev = h;
                h = next;
            }
        }, 2 * (k + 1), br, 0, 1e-13);
    }

    @Test
    void reluCoefficientsAtTheStandardLawMatchHandDerivedValues() {
        // relu(z), z ~ N(0, 1): E[relu] = phi(0), E[relu z] = 1/2, E[relu He_2] = E[z^3 - z; z > 0] = 2 phi(0) - phi(0)
        // = phi(0), normalized by sqrt(2!); E[relu He_3] = E[z^4 - 3 z^2; z > 0] = 3/2 - 3/2 = 0.
        double[] b = HermiteExpansion.of(Activation.relu(), 0).at(0, 1);
        double phi0 = Gaussian.pdf(0);
        assertEquals(phi0, b[0], 1e-15);
        assertEquals(0.5, b[1], 1e-15);
        assertEquals(phi0 / Math.sqrt(2), b[2], 1e-15);
        assertEquals(0, b[3], 1e-15);
        // f^2 = z^2 1{z > 0}: E = 1/2, E[z^2 z; z > 0] = 2 phi(0).
        int o = FeatureCovariance.K + 1;
        assertEquals(0.5, b[o], 1e-15);
        assertEquals(2 * phi0, b[o + 1], 1e-15);
    }

    @Test
    void identityHasOnlyTheLinearTerms() {
        double[] b = HermiteExpansion.of(Activation.of(ActivationKind.IDENTITY), 0).at(-1.5, 4);
        int o = FeatureCovariance.K + 1;
        assertEquals(-1.5, b[0], 1e-15);
        assertEquals(2, b[1], 1e-15);
        // (m + s z)^2 = m^2 + s^2 + 2 m s z + s^2 (z^2 - 1): normalized He_2 coefficient s^2 sqrt(2).
        assertEquals(2.25 + 4, b[o], 1e-14);
        assertEquals(2 * -1.5 * 2, b[o + 1], 1e-14);
        assertEquals(4 * Math.sqrt(2), b[o + 2], 1e-14);
        for (int j = 3; j <= FeatureCovariance.K; j++) {
            assertTrue(b[j] == 0 && b[o + j] == 0, "k=" + j);
        }
    }
}
