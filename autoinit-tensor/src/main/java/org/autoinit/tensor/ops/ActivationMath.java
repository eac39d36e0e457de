package org.autoinit.tensor.ops;

/**
 * Scalar formulas of every activation, shared by the tensor kernels ({@link ActivationKernel}) and the
 * analysis view ({@link ActivationKind#apply}), so both compute bit-for-bit the same double. Each gradient
 * takes {@code x} and {@code y = f(x)} and uses whichever is cheaper (e.g. sigmoid' = y (1 - y)).
 */
final class ActivationMath {
    private ActivationMath() {}

    /** SELU constants as PyTorch (Klambauer et al. 2017). */
    static final double SELU_ALPHA = 1.6732632423543772848170429916717;
    static final double SELU_SCALE = 1.0507009873554804934193349852946;
    /** PyTorch's softplus threshold (beta = 1): above it softplus(x) = x to double precision. */
    static final double SOFTPLUS_THRESHOLD = 20.0;
    static final double INV_SQRT_2PI = 0.39894228040143267793994605993438;
    static final double SQRT_2_OVER_PI = 0.79788456080286535587989211986876;
    static final double GELU_CUBIC = 0.044715;

    static double relu(double x) { return Math.max(x, 0.0); }
    static double reluGrad(double x) { return x > 0 ? 1.0 : 0.0; }

    static double leaky(double x, double a) { return x > 0 ? x : a * x; }
    static double leakyGrad(double x, double a) { return x > 0 ? 1.0 : a; }

    static double elu(double x, double a) { return x > 0 ? x : a * Math.expm1(x); }
    /** For x <= 0: a e^x = y + a. */
    static double eluGrad(double x, double y, double a) { return x > 0 ? 1.0 : y + a; }

    static double selu(double x) { return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)); }
    static double seluGrad(double x, double y) { return x > 0 ? SELU_SCALE : y + SELU_SCALE * SELU_ALPHA; }

    /** x Phi(x), Phi by erfc (no 1 + erf cancellation for negative x). */
    static double gelu(double x) { return x * Erf.normalCdf(x); }
    static double geluGrad(double x) { return Erf.normalCdf(x) + x * INV_SQRT_2PI * Math.exp(-0.5 * x * x); }

    static double geluTanh(double x) { return 0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x))); }
    static double geluTanhGrad(double x) {
        double t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x));
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_CUBIC * x * x);
    }

    /** Logistic function, written so that exp never overflows. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }
    static double sigmoidGrad(double y) { return y * (1.0 - y); }

    static double swish(double x) { return x * sigmoid(x); }
    static double swishGrad(double x) {
        double s = sigmoid(x);
        return s + x * s * (1.0 - s);
    }

    static double softplus(double x) { return x > SOFTPLUS_THRESHOLD ? x : Math.log1p(Math.exp(x)); }
    static double softplusGrad(double x) { return x > SOFTPLUS_THRESHOLD ? 1.0 : sigmoid(x); }

    static double mish(double x) { return x * Math.tanh(softplus(x)); }
    /** d/dx x tanh(sp(x)) = tanh(sp) + x (1 - tanh^2(sp)) sigmoid(x). */
    static double mishGrad(double x) {
        double t = Math.tanh(softplus(x));
        return t + x * (1.0 - t * t) * sigmoid(x);
    }

    static double tanh(double x) { return Math.tanh(x); }
    static double tanhGrad(double y) { return 1.0 - y * y; }

    /** PyTorch hardsigmoid: relu6(x + 3) / 6. */
    static double hardSigmoid(double x) { return Math.min(Math.max(x + 3.0, 0.0), 6.0) / 6.0; }
    static double hardSigmoidGrad(double x) { return x > -3.0 && x < 3.0 ? 1.0 / 6.0 : 0.0; }

    static double softsign(double x) { return x / (1.0 + Math.abs(x)); }
    static double softsignGrad(double x) {
        double d = 1.0 + Math.abs(x);
        return 1.0 / (d * d);
    }

    static double sin(double x) { return Math.sin(x); }
    static double sinGrad(double x) { return Math.cos(x); }

    static double exp(double x) { return Math.exp(x); }
    static double expGrad(double y) { return y; }
}
