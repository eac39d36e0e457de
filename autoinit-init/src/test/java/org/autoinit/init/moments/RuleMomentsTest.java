package org.autoinit.init.moments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.autoinit.init.moments.numeric.GaussHermiteRule;
import org.autoinit.init.moments.numeric.GaussKronrod;
import org.autoinit.init.moments.numeric.Gaussian;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

/**
 * The fixed-rule moments (taken when the 48- and 64-point Gauss-Hermite rules agree) against a tight adaptive
 * quadrature written here, for every built-in kind at laws near and far from N(0, 1); and the rules themselves
 * against the normal moments {@code E Z^(2j) = (2j - 1)!!}.
 */
class RuleMomentsTest {
    private static final double[][] LAWS = {
        {0, 1}, {0.3, 0.7}, {-0.2, 1.3}, {1.5, 0.2}, {-2, 0.05}, {5, 4}, {-5, 4}, {0.5, 100}, {1e-3, 1e-6},
        {-3, 1e-4}, {3.2, 0.01}, {20, 1}, {-20, 1}, {-0.7, 9}, {0.1, 2.5}};

    @Test
    void ruleMomentsMatchATightAdaptiveQuadrature() {
        int fast = 0;
        for (ActivationKind kind : ActivationKind.values()) {
            double alpha = kind.defaultAlpha();
            for (double[] law : LAWS) {
                double mu = law[0], sigma = Math.sqrt(law[1]);
                double[] got = RuleMoments.of(x -> kind.apply(x, alpha), mu, sigma);
                if (got == null) {
                    continue; // the rules disagree: ActivationMoments takes the adaptive quadrature
                }
                fast++;
                double[] ref = reference(kind, alpha, mu, sigma);
                for (int j = 0; j < 2; j++) {
                    // ref[2 + j] = E|f|^j: the adaptive quadrature's own accuracy target is 1e-12 of it.
                    assertEquals(ref[j], got[j], 1e-11 * ref[2 + j] + 1e-300, kind.id() + " E f^" + (j + 1) + " at N(" + mu + ", " + law[1] + ")");
                }
            }
        }
        // The common case takes the fast path: every smooth kind at N(0, 1).
        for (ActivationKind kind : new ActivationKind[] {ActivationKind.GELU, ActivationKind.SWISH,
                ActivationKind.SOFTPLUS, ActivationKind.SIGMOID}) {
            assertNotNull(RuleMoments.of(x -> kind.apply(x, Double.NaN), 0.1, 1.05), kind.id() + " near N(0, 1)");
        }
        assertEquals(true, fast >= 40, "fixed rule accepted only " + fast + " times");
    }

    /** {@code [E f, E f^2, E|f|, E f^2]} over z in [-38, 38], split at 0, +-3, +-12 and the kinks, relative tolerance 1e-14. */
    private static double[] reference(ActivationKind kind, double alpha, double mu, double sigma) {
        java.util.TreeSet<Double> br = new java.util.TreeSet<>(java.util.List.of(-38.0, -20.0, -12.0, -3.0, 0.0, 3.0, 12.0, 20.0, 38.0));
        for (double k : kind.kinks(alpha)) {
            double z = (k - mu) / sigma;
            if (Math.abs(z) < 38) {
                br.add(z);
            }
        }
        return GaussKronrod.integrate((z, out) -> {
            double y = kind.apply(mu + sigma * z, alpha), w = Gaussian.pdf(z);
            out[0] = y * w;
            out[1] = y * y * w;
            out[2] = Math.abs(y) * w;
            out[3] = y * y * w;
        }, 4, br.stream().mapToDouble(Double::doubleValue).toArray(), 0, 1e-14);
    }

    @Test
    void gaussHermiteRulesIntegrateNormalMomentsExactly() {
        for (int n : new int[] {1, 2, 7, 24, 48, 64, 65}) {
            GaussHermiteRule r = GaussHermiteRule.of(n);
            for (int j = 0; 2 * j < 2 * n && j <= 12; j++) {
                double s = 0, odd = 0, want = 1;
                for (int q = 1; q < 2 * j; q += 2) {
                    want *= q;
                }
                for (int i = 0; i < n; i++) {
                    s += r.w[i] * Math.pow(r.z[i], 2 * j);
                    odd += r.w[i] * Math.pow(r.z[i], 2 * j + 1);
                }
                assertEquals(want, s, 1e-12 * want, "n=" + n + " E Z^" + (2 * j));
                assertEquals(0, odd, 1e-12 * want * Math.max(1, Math.abs(r.z[0])), "n=" + n + " E Z^" + (2 * j + 1));
            }
            for (int i = 1; i < n; i++) {
                assertEquals(true, r.z[i] < r.z[i - 1], "n=" + n + " nodes descending at " + i);
            }
        }
    }
}
