package org.autoinit.tensor.ops;

import java.util.Objects;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Elementwise activations as differentiable tensor ops. The formulas live in one place
 * ({@code ActivationMath}, also behind {@link ActivationKind#apply}); the loops in {@code ActivationKernel}.
 * Backward computes {@code g * f'(x)} from the saved input and output.
 */
public final class Activations {
    private Activations() {}

    /** Applies {@code kind}; {@code alpha} is used by leaky_relu and elu (must be finite there) and ignored otherwise. */
    public static Tensor apply(Tensor x, ActivationKind kind, double alpha) {
        return switch (Objects.requireNonNull(kind, "activation kind")) {
            case LEAKY_RELU -> leakyRelu(x, alpha);
            case ELU -> elu(x, alpha);
            case IDENTITY -> identity(x);
            default -> run(kind, x, Double.NaN);
        };
    }

    /** {@code max(x, 0)}; d/dx = 1 if x > 0 else 0. */
    public static Tensor relu(Tensor x) {
        return run(ActivationKind.RELU, x, Double.NaN);
    }

    /** {@code x if x > 0 else alpha x}; d/dx = 1 if x > 0 else alpha. */
    public static Tensor leakyRelu(Tensor x, double alpha) {
        return run(ActivationKind.LEAKY_RELU, x, ActivationKind.LEAKY_RELU.checkAlpha(alpha));
    }

    /** {@code x if x > 0 else alpha (e^x - 1)}; d/dx = 1 if x > 0 else alpha e^x. */
    public static Tensor elu(Tensor x, double alpha) {
        return run(ActivationKind.ELU, x, ActivationKind.ELU.checkAlpha(alpha));
    }

    /** {@code scale (x if x > 0 else alpha (e^x - 1))}, alpha 1.6732632423543772, scale 1.0507009873554805; d/dx = scale or scale alpha e^x. */
    public static Tensor selu(Tensor x) {
        return run(ActivationKind.SELU, x, Double.NaN);
    }

    /** Exact GELU {@code x Phi(x) = x (1 + erf(x / sqrt 2)) / 2}; d/dx = Phi(x) + x phi(x). */
    public static Tensor gelu(Tensor x) {
        return run(ActivationKind.GELU, x, Double.NaN);
    }

    /** Tanh GELU {@code x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2}; d/dx = (1 + t)/2 + x (1 - t^2) sqrt(2/pi) (1 + 0.134145 x^2) / 2. */
    public static Tensor geluTanh(Tensor x) {
        return run(ActivationKind.GELU_TANH, x, Double.NaN);
    }

    /** Swish / SiLU {@code x sigmoid(x)}; d/dx = s + x s (1 - s), s = sigmoid(x). */
    public static Tensor swish(Tensor x) {
        return run(ActivationKind.SWISH, x, Double.NaN);
    }

    /** Mish {@code x tanh(softplus(x))}; d/dx = t + x (1 - t^2) sigmoid(x), t = tanh(softplus(x)). */
    public static Tensor mish(Tensor x) {
        return run(ActivationKind.MISH, x, Double.NaN);
    }

    /** {@code tanh x}; d/dx = 1 - tanh^2 x. */
    public static Tensor tanh(Tensor x) {
        return run(ActivationKind.TANH, x, Double.NaN);
    }

    /** {@code 1 / (1 + e^-x)}; d/dx = s (1 - s). */
    public static Tensor sigmoid(Tensor x) {
        return run(ActivationKind.SIGMOID, x, Double.NaN);
    }

    /** PyTorch hardsigmoid {@code relu6(x + 3) / 6}; d/dx = 1/6 on (-3, 3), 0 elsewhere. */
    public static Tensor hardSigmoid(Tensor x) {
        return run(ActivationKind.HARD_SIGMOID, x, Double.NaN);
    }

    /** {@code ln(1 + e^x)}, or x above 20 (PyTorch beta 1, threshold 20); d/dx = sigmoid(x), or 1 above 20. */
    public static Tensor softplus(Tensor x) {
        return run(ActivationKind.SOFTPLUS, x, Double.NaN);
    }

    /** {@code x / (1 + |x|)}; d/dx = 1 / (1 + |x|)^2. */
    public static Tensor softsign(Tensor x) {
        return run(ActivationKind.SOFTSIGN, x, Double.NaN);
    }

    /** {@code sin x}; d/dx = cos x. */
    public static Tensor sin(Tensor x) {
        return run(ActivationKind.SIN, x, Double.NaN);
    }

    /** {@code e^x}; d/dx = e^x. */
    public static Tensor exp(Tensor x) {
        return run(ActivationKind.EXP, x, Double.NaN);
    }

    /** {@code x}, returned as is (no copy, no graph node, as torch.nn.Identity); d/dx = 1. */
    public static Tensor identity(Tensor x) {
        return x;
    }

    /** Runs the kernel of {@code kind} forward, and records its backward {@code dx += g * f'(x, y)}. */
    private static Tensor run(ActivationKind kind, Tensor x, double alpha) {
        ActivationKernel k = ActivationKernel.of(kind);
        Tensor y = Tensor.zeros(x.dtype(), x.shape());
        int n = x.numel();
        boolean f32 = x.dtype() == DType.FLOAT32;
        if (f32) {
            float[] xs = x.floatData(), ys = y.floatData();
            Parallel.forRange(n, k.grain, (lo, hi) -> k.forward(xs, ys, alpha, lo, hi));
        } else {
            double[] xs = x.doubleData(), ys = y.doubleData();
            Parallel.forRange(n, k.grain, (lo, hi) -> k.forward(xs, ys, alpha, lo, hi));
        }
        return Tensor.record(kind.id(), y, g -> {
            Tensor dx = Tensor.zeros(x.dtype(), x.shape());
            if (f32) {
                float[] xs = x.floatData(), ys = y.floatData(), gs = g.floatData(), ds = dx.floatData();
                Parallel.forRange(n, k.grain, (lo, hi) -> k.backward(xs, ys, gs, ds, alpha, lo, hi));
            } else {
                double[] xs = x.doubleData(), ys = y.doubleData(), gs = g.doubleData(), ds = dx.doubleData();
                Parallel.forRange(n, k.grain, (lo, hi) -> k.backward(xs, ys, gs, ds, alpha, lo, hi));
            }
            x.accumulateGradOwned(dx);
        }, x);
    }
}
