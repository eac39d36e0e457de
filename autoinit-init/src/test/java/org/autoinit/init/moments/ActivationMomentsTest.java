package org.autoinit.init.moments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.init.moments.numeric.Gaussian;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

/**
 * Activation moments against Monte Carlo, closed forms and the reference numbers of the spec (the high-precision
 * table computed outside the code is checked in {@link ActivationMomentsReferenceTest}).
 */
class ActivationMomentsTest {

    /** (mean, variance) of the input Gaussian: v far from 1 and mu far from 0 included. */
    private static final double[][] CASES = {{0, 1}, {1, 0.01}, {-3, 1}, {3, 25}, {0.5, 25}, {-1, 0.01}, {3, 0.01}, {-3, 25}, {0.05, 1e-4}};

    /** exp's moments explode with v (e^{2v}); its Monte Carlo cases stay where the sampled moments are meaningful. */
    private static boolean skip(ActivationKind kind, double v) {
        return kind == ActivationKind.EXP && v > 1;
    }

    @Test
    void quadratureConvergesWithinBudgetForEveryKind() {
        long before = org.autoinit.init.moments.numeric.GaussKronrod.budgetExhaustions();
        for (ActivationKind kind : ActivationKind.values()) {
            double alpha = kind.defaultAlpha();
            for (double[] c : CASES) {
                if (kind == ActivationKind.EXP && c[1] > 1) continue;
                ActivationMoments.quadrature(x -> kind.apply(x, alpha), kind.kinks(alpha), c[0], Math.sqrt(c[1]), kind.id());
            }
        }
        assertEquals(before, org.autoinit.init.moments.numeric.GaussKronrod.budgetExhaustions());
    }

    @Test
    void everyKindMatchesMonteCarloWithinFourStandardErrors() {
        SplittableRandom rng = new SplittableRandom(20240611);
        int n = 100_000;
        double[] y = new double[n];
        for (ActivationKind kind : ActivationKind.values()) {
            double alpha = kind.defaultAlpha();
            for (double[] c : CASES) {
                if (skip(kind, c[1])) continue;
                double sigma = Math.sqrt(c[1]);
                for (int i = 0; i < n; i++) y[i] = kind.apply(c[0] + sigma * rng.nextGaussian(), alpha);
                SampleStats.assertMatches(kind.id() + " at N(" + c[0] + ", " + c[1] + ")",
                        ActivationMoments.of(kind, alpha, Moments.of(c[0], c[1])), y);
            }
        }
    }

    @Test
    void closedFormsAgreeWithQuadratureIncludingFarTails() {
        ActivationKind[] closed = {ActivationKind.RELU, ActivationKind.LEAKY_RELU, ActivationKind.ELU, ActivationKind.SELU,
            ActivationKind.SIN, ActivationKind.EXP, ActivationKind.IDENTITY};
        double[][] cases = {{0, 1}, {-3, 0.01}, {-8, 1}, {-4, 1}, {2.9, 1}, {-2.9, 1}, {3, 0.01}, {0.3, 0.002}, {-50, 1}, {40, 4}, {-1, 9}};
        for (ActivationKind kind : closed) {
            double alpha = kind.defaultAlpha();
            for (double[] c : cases) {
                if (kind == ActivationKind.EXP && c[0] > 5) continue;
                Moments m = ActivationMoments.of(kind, alpha, Moments.of(c[0], c[1]));
                double[] q = ActivationMoments.quadrature(x -> kind.apply(x, alpha), kind.kinks(alpha), c[0], Math.sqrt(c[1]), kind.id());
                String name = kind.id() + " at N(" + c[0] + ", " + c[1] + ")";
                // Relative agreement also where the moments are tiny (relu at t = -30 is ~1e-200).
                assertEquals(q[0], m.mean(), 1e-10 * Math.abs(q[0]) + 1e-13, name + " m1");
                assertEquals(q[1], m.secondMoment(), 1e-10 * Math.abs(q[1]) + 1e-13, name + " m2");
                if (kind == ActivationKind.RELU) {
                    assertEquals(q[1], m.secondMoment(), 1e-9 * q[1], name + " m2 relative");
                }
            }
        }
    }

    @Test
    void referenceValuesOfTheSpec() {
        Moments s = Moments.standard();
        assertEquals(0.5, ActivationMoments.of(ActivationKind.RELU, s).secondMoment(), 1e-15, "relu m2");
        assertEquals(1 / Math.sqrt(2 * Math.PI), ActivationMoments.of(ActivationKind.RELU, s).mean(), 1e-15, "relu m1");
        assertEquals(0.3943, ActivationMoments.of(ActivationKind.TANH, s).secondMoment(), 5e-5, "tanh m2");
        assertEquals(0.2821, ActivationMoments.of(ActivationKind.GELU, s).mean(), 5e-5, "gelu m1");
        // gelu m1 in closed form: E[X Phi(X)] = 1/(2 sqrt(pi)) at N(0, 1).
        assertEquals(0.5 / Math.sqrt(Math.PI), ActivationMoments.of(ActivationKind.GELU, s).mean(), 1e-12, "gelu m1 exact");
        Moments selu = ActivationMoments.of(ActivationKind.SELU, s);
        assertEquals(0.0, selu.mean(), 1e-9, "selu fixed point mean");
        assertEquals(1.0, selu.variance(), 1e-9, "selu fixed point variance");
        assertEquals(0.0, ActivationMoments.of(ActivationKind.SIN, s).mean(), 0.0, "sin m1");
        assertEquals((1 - Math.exp(-2)) / 2, ActivationMoments.of(ActivationKind.SIN, s).secondMoment(), 1e-15, "sin m2");
    }

    @Test
    void expStaysInLogSpaceAndFailsClearlyWhenTheResultOverflows() {
        // e^{2 mu} e^{2 v} would be 0 * inf here; the moments themselves are representable.
        Moments m = ActivationMoments.of(ActivationKind.EXP, Moments.of(-700, 700));
        assertEquals(Math.exp(-350), m.mean(), 1e-15 * Math.exp(-350));
        assertEquals(1.0, m.secondMoment(), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> ActivationMoments.of(ActivationKind.EXP, Moments.of(0, 400)));
        assertTrue(e.getMessage().contains("exp of N(mean=0.0, variance=400.0)") && e.getMessage().contains("beyond the double range"),
                e.getMessage());
    }

    @Test
    void eluAtHugeVarianceDoesNotOverflow() {
        // e^{mu + v/2} = e^{1000} overflows; times Phi(-44.7) it is ~0.02.
        for (ActivationKind kind : new ActivationKind[] {ActivationKind.ELU, ActivationKind.SELU}) {
            double alpha = kind.defaultAlpha();
            Moments m = ActivationMoments.of(kind, alpha, Moments.of(0, 2000));
            double[] q = ActivationMoments.quadrature(x -> kind.apply(x, alpha), new double[] {0}, 0, Math.sqrt(2000), "ref");
            assertEquals(q[0], m.mean(), 1e-9 * Math.abs(q[0]), kind.id() + " m1");
            assertEquals(q[1], m.secondMoment(), 1e-9 * q[1], kind.id() + " m2");
        }
    }

    @Test
    void constantInputIsExact() {
        for (ActivationKind kind : ActivationKind.values()) {
            double alpha = kind.defaultAlpha(), y = kind.apply(0.7, alpha);
            Moments m = ActivationMoments.of(kind, alpha, Moments.of(0.7, 0.0));
            assertEquals(y, m.mean(), 0.0, kind.id());
            assertEquals(y * y, m.secondMoment(), 0.0, kind.id());
        }
    }

    @Test
    void userFunctionsWithKnownMoments() {
        double mu = 0.7, v = 2.3, sigma = Math.sqrt(v);
        Moments sq = ActivationMoments.of(x -> x * x, new double[0], Moments.of(mu, v));
        assertEquals(mu * mu + v, sq.mean(), 1e-12);
        assertEquals(Math.pow(mu, 4) + 6 * mu * mu * v + 3 * v * v, sq.secondMoment(), 1e-11);
        // Folded normal: E|X| = sigma sqrt(2/pi) e^{-mu^2/2v} + mu (1 - 2 Phi(-mu/sigma)).
        Moments abs = ActivationMoments.of(Math::abs, new double[] {0}, Moments.of(mu, v));
        double folded = sigma * Math.sqrt(2 / Math.PI) * Math.exp(-mu * mu / (2 * v))
                + mu * (1 - 2 * new org.apache.commons.math3.distribution.NormalDistribution().cumulativeProbability(-mu / sigma));
        assertEquals(folded, abs.mean(), 1e-12);
        assertEquals(mu * mu + v, abs.secondMoment(), 1e-12);
        // A fast-growing function whose mass lies beyond z = 12 (e^{4x} at sigma 4 peaks at z = 16): tails are integrated.
        Moments grow = ActivationMoments.of(x -> Math.exp(2 * x), new double[0], Moments.of(0, 16));
        assertEquals(Math.exp(32), grow.mean(), 1e-10 * Math.exp(32));
    }

    @Test
    void nonFiniteUserFunctionFailsWithContext() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ActivationMoments.of(x -> Math.exp(x * x), new double[0], Moments.standard()));
        assertTrue(e.getMessage().startsWith("activation moments: user function(") && e.getMessage().contains("is not finite"),
                e.getMessage());
        var a = assertThrows(IllegalArgumentException.class,
                () -> ActivationMoments.of(ActivationKind.LEAKY_RELU, Double.NaN, Moments.standard()));
        assertEquals("activation moments: leaky_relu needs a finite alpha, got NaN (default 0.01)", a.getMessage());
    }

    @Test
    void resultsAreMemoizedAndIgnoredAlphaSharesTheEntry() {
        Moments in = Moments.of(0.25, 1.5);
        assertSame(ActivationMoments.of(ActivationKind.MISH, in), ActivationMoments.of(ActivationKind.MISH, in));
        assertSame(ActivationMoments.of(ActivationKind.TANH, 0.3, in), ActivationMoments.of(ActivationKind.TANH, 7.0, in));
    }

    @Test
    void centredActivationsMapAUnitGaussianToMeanZero() {
        java.util.Map<ActivationKind, ActivationMomentsReferenceTest.Ref> unit = new java.util.EnumMap<>(ActivationKind.class);
        for (ActivationMomentsReferenceTest.Ref r : ActivationMomentsReferenceTest.table()) {
            if (r.mu() == 0 && r.v() == 1 && (Double.isNaN(r.alpha()) || r.alpha() == r.kind().defaultAlpha())) {
                unit.put(r.kind(), r);
            }
        }
        for (ActivationKind kind : ActivationKind.values()) {
            double alpha = kind.defaultAlpha();
            double[] ref = {unit.get(kind).m1(), unit.get(kind).m2()};
            assertEquals(ref[0], ActivationMoments.centringShift(kind, alpha), 1e-9, kind.id() + " shift");
            Moments c = ActivationMoments.ofCentred(kind, alpha, Moments.standard());
            assertEquals(0.0, c.mean(), 1e-12, kind.id() + " centred mean");
            assertEquals(ref[1] - ref[0] * ref[0], c.variance(), 1e-9, kind.id() + " centred variance");
            // Off the unit Gaussian the shift is the same constant: Monte Carlo of f(x) - c.
            SplittableRandom rng = new SplittableRandom(kind.ordinal());
            double[] y = new double[100_000];
            double shift = ActivationMoments.centringShift(kind, alpha);
            for (int i = 0; i < y.length; i++) y[i] = kind.apply(0.5 + 0.8 * rng.nextGaussian(), alpha) - shift;
            SampleStats.assertMatches(kind.id() + " centred at N(0.5, 0.64)", ActivationMoments.ofCentred(kind, alpha, Moments.of(0.5, 0.64)), y);
        }
    }

    @Test
    void breakpointsIncludeKinksMappedToZ() {
        double[] b = ActivationMoments.breakpoints(new double[] {-3, 3}, 1, 2);
        assertTrue(java.util.Arrays.binarySearch(b, -2.0) >= 0 && java.util.Arrays.binarySearch(b, 1.0) >= 0, java.util.Arrays.toString(b));
        assertEquals(-38, b[0]);
        assertEquals(38, b[b.length - 1]);
        assertTrue(Gaussian.pdf(38) < 1e-300, "phi is negligible beyond the last breakpoint");
    }
}
