package org.autoinit.tensor.ops;

import static org.autoinit.tensor.ops.ActivationMath.*;

import org.autoinit.tensor.simd.FloatSimd;
import org.autoinit.tensor.simd.Simd;

/**
 * The loops of every activation over a range of a raw array: forward {@code y = f(x)} and backward
 * {@code d = g * f'(x, y)}, float32 and float64. Each activation has its own loop bodies so the JIT sees
 * one static, inlinable call per element (no megamorphic lambda on the training hot path); the virtual
 * call is once per range. Float32 values are computed in double and rounded once.
 */
abstract class ActivationKernel {
    /** Grain of cheap (compare/multiply) and costly (exp/tanh/erf) kernels for {@code Parallel.forRange}. */
    static final int CHEAP = 1 << 16, COSTLY = 1 << 13;

    /** Below this many elements the loop runs on the calling thread. */
    final int grain;

    private ActivationKernel(int grain) {
        this.grain = grain;
    }

    abstract void forward(float[] x, float[] y, double a, int lo, int hi);

    abstract void forward(double[] x, double[] y, double a, int lo, int hi);

    abstract void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi);

    abstract void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi);

    /** The kernel of {@code kind} (identity has none: it returns its input). */
    static ActivationKernel of(ActivationKind kind) {
        return switch (kind) {
            case RELU -> RELU;
            case LEAKY_RELU -> LEAKY_RELU;
            case ELU -> ELU;
            case SELU -> SELU;
            case GELU -> GELU;
            case GELU_TANH -> GELU_TANH;
            case SWISH -> SWISH;
            case MISH -> MISH;
            case TANH -> TANH;
            case SIGMOID -> SIGMOID;
            case HARD_SIGMOID -> HARD_SIGMOID;
            case SOFTPLUS -> SOFTPLUS;
            case SOFTSIGN -> SOFTSIGN;
            case SIN -> SIN;
            case EXP -> EXP;
            case IDENTITY -> throw new IllegalArgumentException("identity has no kernel");
        };
    }

    static final ActivationKernel RELU = new ActivationKernel(CHEAP) {
        // float32 loops stay in float (same values as through double: max and a sign-preserving g * 0), so C2 vectorizes them.
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = Math.max(x[i], 0f);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = relu(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            if (Simd.enabled()) {
                FloatSimd.reluBackward(x, g, d, lo, hi); // a per-element branch on the sign mispredicts half the time
                return;
            }
            for (int i = lo; i < hi; i++) d[i] = g[i] * (x[i] > 0f ? 1f : 0f);
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * reluGrad(x[i]);
        }
    };

    static final ActivationKernel LEAKY_RELU = new ActivationKernel(CHEAP) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) leaky(x[i], a);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = leaky(x[i], a);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * leakyGrad(x[i], a));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * leakyGrad(x[i], a);
        }
    };

    static final ActivationKernel ELU = new ActivationKernel(COSTLY) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) elu(x[i], a);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = elu(x[i], a);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * eluGrad(x[i], y[i], a));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * eluGrad(x[i], y[i], a);
        }
    };

    static final ActivationKernel SELU = new ActivationKernel(COSTLY) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) selu(x[i]);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = selu(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * seluGrad(x[i], y[i]));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * seluGrad(x[i], y[i]);
        }
    };

    static final ActivationKernel GELU = new ActivationKernel(COSTLY) {
        // float32 with the Vector API: erf as PyTorch's vectorized CPU GELU computes it (|error| <= 1.5e-7).
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            if (Simd.enabled()) {
                FloatSimd.geluForward(x, y, lo, hi);
                return;
            }
            for (int i = lo; i < hi; i++) y[i] = (float) gelu(x[i]);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = gelu(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            if (Simd.enabled()) {
                FloatSimd.geluBackward(x, g, d, lo, hi);
                return;
            }
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * geluGrad(x[i]));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * geluGrad(x[i]);
        }
    };

    static final ActivationKernel GELU_TANH = new ActivationKernel(COSTLY) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) geluTanh(x[i]);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = geluTanh(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * geluTanhGrad(x[i]));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * geluTanhGrad(x[i]);
        }
    };

    static final ActivationKernel SWISH = new ActivationKernel(COSTLY) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) swish(x[i]);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = swish(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * swishGrad(x[i]));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * swishGrad(x[i]);
        }
    };

    static final ActivationKernel MISH = new ActivationKernel(COSTLY) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) mish(x[i]);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = mish(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * mishGrad(x[i]));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * mishGrad(x[i]);
        }
    };

    static final ActivationKernel TANH = new ActivationKernel(COSTLY) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) tanh(x[i]);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = tanh(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * tanhGrad(y[i]));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * tanhGrad(y[i]);
        }
    };

    static final ActivationKernel SIGMOID = new ActivationKernel(COSTLY) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) sigmoid(x[i]);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = sigmoid(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * sigmoidGrad(y[i]));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * sigmoidGrad(y[i]);
        }
    };

    static final ActivationKernel HARD_SIGMOID = new ActivationKernel(CHEAP) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) hardSigmoid(x[i]);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = hardSigmoid(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * hardSigmoidGrad(x[i]));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * hardSigmoidGrad(x[i]);
        }
    };

    static final ActivationKernel SOFTPLUS = new ActivationKernel(COSTLY) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) softplus(x[i]);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = softplus(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * softplusGrad(x[i]));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * softplusGrad(x[i]);
        }
    };

    static final ActivationKernel SOFTSIGN = new ActivationKernel(CHEAP) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) softsign(x[i]);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = softsign(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * softsignGrad(x[i]));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * softsignGrad(x[i]);
        }
    };

    static final ActivationKernel SIN = new ActivationKernel(COSTLY) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) sin(x[i]);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = sin(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * sinGrad(x[i]));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * sinGrad(x[i]);
        }
    };

    static final ActivationKernel EXP = new ActivationKernel(COSTLY) {
        void forward(float[] x, float[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = (float) exp(x[i]);
        }
        void forward(double[] x, double[] y, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) y[i] = exp(x[i]);
        }
        void backward(float[] x, float[] y, float[] g, float[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = (float) (g[i] * expGrad(y[i]));
        }
        void backward(double[] x, double[] y, double[] g, double[] d, double a, int lo, int hi) {
            for (int i = lo; i < hi; i++) d[i] = g[i] * expGrad(y[i]);
        }
    };
}
