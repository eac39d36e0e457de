package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.simd.Simd;
import org.autoinit.tensor.testing.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every activation: forward against naive formulas, float64 gradient checks, and the scalar view vs the tensor op. */
class ActivationsTest {

    /** An alpha that differs from the defaults, so tests notice if it is ignored. */
    private static double alpha(ActivationKind k) {
        return k == ActivationKind.LEAKY_RELU ? 0.2 : k == ActivationKind.ELU ? 0.7 : Double.NaN;
    }

    /** The textbook formula of each activation, written independently of the code under test. */
    static double naive(ActivationKind k, double x, double a) {
        return switch (k) {
            case RELU -> x > 0 ? x : 0;
            case LEAKY_RELU -> x >= 0 ? x : a * x;
            case ELU -> x >= 0 ? x : a * (Math.exp(x) - 1);
            case SELU -> 1.0507009873554805 * (x >= 0 ? x : 1.6732632423543772 * (Math.exp(x) - 1));
            case GELU -> 0.5 * x * (1 + (x < 0 ? -1 : 1) * ErfTest.seriesErf(Math.abs(x) / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * Math.pow(x, 3))));
            case SWISH -> x / (1 + Math.exp(-x));
            case MISH -> x * Math.tanh(Math.log(1 + Math.exp(x)));
            case TANH -> (Math.exp(x) - Math.exp(-x)) / (Math.exp(x) + Math.exp(-x));
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case HARD_SIGMOID -> x <= -3 ? 0 : x >= 3 ? 1 : x / 6 + 0.5;
            case SOFTPLUS -> Math.log(1 + Math.exp(x));
            case SOFTSIGN -> x / (1 + Math.abs(x));
            case SIN -> Math.sin(x);
            case EXP -> Math.exp(x);
            case IDENTITY -> x;
        };
    }

    /** Seeded points in [-4, 4], each at least 0.01 from every kink, plus a few chosen ones. */
    private static double[] points(ActivationKind k, long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] kinks = k.kinks(k.usesAlpha() ? alpha(k) : Double.NaN);
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            double x = i < 4 ? new double[] {-2.5, -0.5, 0.5, 2.5}[i] : rng.nextDouble(-4, 4);
            for (double kink : kinks) {
                if (Math.abs(x - kink) < 0.01) x = kink + 0.05;
            }
            p[i] = x;
        }
        return p;
    }

    @ParameterizedTest
    @EnumSource(ActivationKind.class)
    void forwardMatchesNaiveFormula(ActivationKind k) {
        double a = alpha(k);
        double[] xs = points(k, 1, 40);
        Tensor y = Activations.apply(Tensor.of(xs.clone(), 5, 8), k, a);
        assertArrayEquals(new int[] {5, 8}, y.shape(), k + " shape");
        for (int i = 0; i < xs.length; i++) {
            double want = naive(k, xs[i], a);
            assertEquals(want, y.getFlat(i), 1e-13 * Math.max(1, Math.abs(want)), k + " at x=" + xs[i]);
        }
    }

    @ParameterizedTest
    @EnumSource(ActivationKind.class)
    void gradientCheckFloat64(ActivationKind k) {
        double a = alpha(k);
        Tensor x = Tensor.of(points(k, 2, 24), 4, 6).requiresGrad(true).name("x");
        GradCheck.check(k.id(), in -> Activations.apply(in.get(0), k, a), x);
    }

    @ParameterizedTest
    @EnumSource(ActivationKind.class)
    void scalarViewEqualsTensorOpBitForBitInFloat64(ActivationKind k) {
        double a = alpha(k);
        double[] xs = points(k, 3, 30);
        Tensor x = Tensor.of(xs.clone(), xs.length).requiresGrad(true);
        Tensor y = Activations.apply(x, k, a);
        y.backward(Tensor.ones(DType.FLOAT64, xs.length), false);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(k.apply(xs[i], a), y.getFlat(i), 0.0, k + " apply at " + xs[i]);
            assertEquals(k.derivative(xs[i], a), x.grad().getFlat(i), 0.0, k + " derivative at " + xs[i]);
        }
    }

    @ParameterizedTest
    @EnumSource(ActivationKind.class)
    void scalarDerivativeMatchesFiniteDifference(ActivationKind k) {
        double a = alpha(k), h = 1e-5;
        for (double x : points(k, 4, 50)) {
            double numeric = (k.apply(x + h, a) - k.apply(x - h, a)) / (2 * h);
            assertEquals(numeric, k.derivative(x, a), 1e-8 * Math.max(1, Math.abs(numeric)), k + " at x=" + x);
        }
    }

    /** Large float32 tensors take the parallel path; every element must equal the rounded scalar formula. */
    @ParameterizedTest
    @EnumSource(ActivationKind.class)
    void float32ParallelPathMatchesScalarView(ActivationKind k) {
        double a = alpha(k);
        int n = 200_000;
        Tensor x = Tensor.randn(new SplittableRandom(5), DType.FLOAT32, n).mul(2.0).detach().requiresGrad(true);
        Tensor g = Tensor.randn(new SplittableRandom(6), DType.FLOAT32, n);
        Tensor y = Activations.apply(x, k, a);
        assertEquals(DType.FLOAT32, y.dtype());
        y.backward(g, false);
        for (int i = 0; i < n; i++) {
            double xi = x.getFlat(i);
            // float32 GELU with the Vector API computes erf as PyTorch's vectorized CPU kernel does (|error| <= 1.5e-7),
            // evaluated in float: within 5e-7 relative.
            double tol = k == ActivationKind.GELU && Simd.enabled() ? 5e-7 * Math.max(1, Math.abs(xi)) : 0.0;
            assertEquals((float) k.apply(xi, a), y.getFlat(i), tol, k + " forward at " + xi);
            double want = g.getFlat(i) * k.derivative(xi, a);
            // Backward may use the float32 output y, itself rounded: allow a few float ulps.
            assertEquals(want, x.grad().getFlat(i), 1e-6 * Math.max(1, Math.abs(want)), k + " backward at " + xi);
        }
    }

    @Test
    void gradientsAccumulateWhenAnInputIsReused() {
        Tensor x = Tensor.of(new double[] {-1.5, 0.3, 2.0}, 3).requiresGrad(true);
        Activations.tanh(x).add(Activations.sigmoid(x)).sum().backward();
        for (int i = 0; i < 3; i++) {
            double v = x.getFlat(i), t = Math.tanh(v), s = 1 / (1 + Math.exp(-v));
            assertEquals(1 - t * t + s * (1 - s), x.grad().getFlat(i), 1e-15);
        }
    }

    @Test
    void valuesAtAndAroundKinksFollowPyTorch() {
        assertEquals(0.0, ActivationKind.RELU.derivative(0.0, Double.NaN));
        assertEquals(0.01, ActivationKind.LEAKY_RELU.derivative(0.0, 0.01));
        assertEquals(1.0, ActivationKind.ELU.derivative(0.0, 1.0));
        assertEquals(0.0, ActivationKind.HARD_SIGMOID.derivative(3.0, Double.NaN));
        assertEquals(1.0 / 6, ActivationKind.HARD_SIGMOID.derivative(2.99, Double.NaN));
        assertEquals(0.5, ActivationKind.HARD_SIGMOID.apply(0.0, Double.NaN));
        assertEquals(25.0, ActivationKind.SOFTPLUS.apply(25.0, Double.NaN)); // above PyTorch's threshold 20
        assertEquals(1.0, ActivationKind.SOFTPLUS.derivative(25.0, Double.NaN));
        // Far tails stay finite (no exp overflow) and have the right limits.
        assertEquals(0.0, ActivationKind.SIGMOID.apply(-800, Double.NaN));
        assertEquals(1.0, ActivationKind.SIGMOID.apply(800, Double.NaN));
        assertEquals(-0.0, ActivationKind.SWISH.apply(-800, Double.NaN), 0.0);
        assertEquals(800.0, ActivationKind.MISH.apply(800, Double.NaN));
        assertEquals(-0.0, ActivationKind.GELU.apply(-40, Double.NaN), 0.0);
        // gelu of a very negative x keeps full relative accuracy (no 1 + erf cancellation): x Phi(x) at -10.
        assertEquals(-7.619853024160526e-23, ActivationKind.GELU.apply(-10, Double.NaN), 2e-37); // 60-digit decimal value
        assertTrue(Double.isNaN(ActivationKind.RELU.apply(Double.NaN, Double.NaN)), "relu propagates NaN as PyTorch");
    }

    @Test
    void kinksAndMonotonicity() {
        for (ActivationKind k : ActivationKind.values()) {
            double a = k.usesAlpha() ? k.defaultAlpha() : Double.NaN;
            double[] expected = switch (k) {
                case RELU, LEAKY_RELU, ELU, SELU, SOFTSIGN -> new double[] {0};
                case HARD_SIGMOID -> new double[] {-3, 3};
                default -> new double[0];
            };
            assertArrayEquals(expected, k.kinks(a), k.id());
            for (double kink : expected) {
                assertTrue(bend(k, kink, a) > 0.1, k + " is not smooth at " + kink);
            }
            boolean decreases = false;
            for (double x = -10; x < 10; x += 1e-3) {
                if (k.apply(x + 1e-3, a) < k.apply(x, a)) decreases = true;
            }
            assertEquals(k.monotone(), !decreases, k + " monotone()");
        }
    }

    /** Largest jump between one-sided first or second derivatives at x (from apply only). */
    private static double bend(ActivationKind k, double x, double a) {
        double h = 1e-3;
        double d1r = (k.apply(x + h, a) - k.apply(x, a)) / h, d1l = (k.apply(x, a) - k.apply(x - h, a)) / h;
        double d2r = (k.apply(x + 3 * h, a) - 2 * k.apply(x + 2 * h, a) + k.apply(x + h, a)) / (h * h);
        double d2l = (k.apply(x - 3 * h, a) - 2 * k.apply(x - 2 * h, a) + k.apply(x - h, a)) / (h * h);
        return Math.max(Math.abs(d1r - d1l), Math.abs(d2r - d2l));
    }

    @Test
    void idsRoundTripAndErrors() {
        for (ActivationKind k : ActivationKind.values()) {
            assertSame(k, ActivationKind.fromId(k.id()));
            assertEquals(k.name().toLowerCase(java.util.Locale.ROOT), k.id());
        }
        assertSame(ActivationKind.SWISH, ActivationKind.fromId("silu"));
        assertSame(ActivationKind.GELU_TANH, ActivationKind.fromId(" GELU_tanh "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ActivationKind.fromId("relu7"));
        assertTrue(e.getMessage().startsWith("unknown activation 'relu7'; valid names: relu, leaky_relu, elu,"), e.getMessage());
        assertTrue(e.getMessage().contains("identity"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ActivationKind.fromId(null));
        assertEquals(0.01, ActivationKind.LEAKY_RELU.defaultAlpha());
        assertEquals(1.0, ActivationKind.ELU.defaultAlpha());
        assertTrue(Double.isNaN(ActivationKind.GELU.defaultAlpha()));
        assertFalse(ActivationKind.GELU.usesAlpha());
    }

    @Test
    void nonFiniteAlphaIsRejected() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activations.leakyRelu(x, Double.NaN));
        assertEquals("leaky_relu: alpha must be finite, got NaN (default 0.01)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Activations.elu(x, Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Activations.apply(x, ActivationKind.ELU, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ActivationKind.LEAKY_RELU.apply(1.0, Double.NaN));
        // Kinds without alpha ignore it, so their NaN default can be passed through.
        assertEquals(0.0, Activations.apply(x, ActivationKind.RELU, Double.NaN).getFlat(0));
    }

    @Test
    void namedMethodsDispatchToTheirKind() {
        Tensor x = Tensor.of(new double[] {-1.3, 0.4, 2.2}, 3);
        Tensor[] viaNames = {
            Activations.relu(x), Activations.leakyRelu(x, 0.2), Activations.elu(x, 0.7), Activations.selu(x),
            Activations.gelu(x), Activations.geluTanh(x), Activations.swish(x), Activations.mish(x),
            Activations.tanh(x), Activations.sigmoid(x), Activations.hardSigmoid(x), Activations.softplus(x),
            Activations.softsign(x), Activations.sin(x), Activations.exp(x), Activations.identity(x)};
        ActivationKind[] kinds = ActivationKind.values();
        assertEquals(kinds.length, viaNames.length);
        for (int j = 0; j < kinds.length; j++) {
            for (int i = 0; i < 3; i++) {
                assertEquals(naive(kinds[j], x.getFlat(i), alpha(kinds[j])), viaNames[j].getFlat(i), 1e-13, kinds[j].id());
            }
        }
        assertSame(x, Activations.identity(x));
        assertEquals("gelu", Activations.gelu(x).op());
    }
}
