package org.autoinit.tensor.ops;

import java.util.function.DoubleUnaryOperator;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/** Elementwise unary math ops. Each backward multiplies the upstream gradient by the local derivative. */
public final class Unary {
    private Unary() {}

    /** Applies {@code fn} to every element (no autodiff), in parallel for large tensors. */
    public static Tensor map(Tensor x, DoubleUnaryOperator fn) {
        Tensor out = Tensor.zeros(x.dtype(), x.shape());
        int n = x.numel();
        if (x.dtype() == DType.FLOAT32) {
            float[] a = x.floatData(), o = out.floatData();
            Parallel.forRange(n, Elementwise.GRAIN, (lo, hi) -> {
                for (int i = lo; i < hi; i++) o[i] = (float) fn.applyAsDouble(a[i]);
            });
        } else {
            double[] a = x.doubleData(), o = out.doubleData();
            Parallel.forRange(n, Elementwise.GRAIN, (lo, hi) -> {
                for (int i = lo; i < hi; i++) o[i] = fn.applyAsDouble(a[i]);
            });
        }
        return out;
    }

    /**
     * An elementwise op {@code y = fn(x)} whose backward is {@code g * deriv(x)}. The derivative is evaluated
     * lazily in backward, so forward-only use (eval, no-grad) pays nothing for it.
     */
    public static Tensor elementwise(String op, Tensor x, DoubleUnaryOperator fn, DoubleUnaryOperator deriv) {
        Tensor out = map(x, fn);
        return Tensor.record(op, out, g -> x.accumulateGrad(g.mul(map(x, deriv))), x);
    }

    /** {@code -x}; d/dx = -1. */
    public static Tensor neg(Tensor x) {
        Tensor out = map(x, v -> -v);
        return Tensor.record("neg", out, g -> x.accumulateGrad(map(g, v -> -v)), x);
    }

    /** {@code e^x}; d/dx = e^x. */
    public static Tensor exp(Tensor x) {
        Tensor out = map(x, Math::exp);
        return Tensor.record("exp", out, g -> x.accumulateGrad(g.mul(out)), x);
    }

    /** {@code ln x}; d/dx = 1/x. */
    public static Tensor log(Tensor x) {
        return elementwise("log", x, Math::log, v -> 1.0 / v);
    }

    /** {@code sqrt x}; d/dx = 1/(2 sqrt x). */
    public static Tensor sqrt(Tensor x) {
        Tensor out = map(x, Math::sqrt);
        return Tensor.record("sqrt", out, g -> x.accumulateGrad(g.div(out.mul(2.0))), x);
    }

    /** {@code |x|}; d/dx = sign(x) (0 at 0, as PyTorch). */
    public static Tensor abs(Tensor x) {
        return elementwise("abs", x, Math::abs, Math::signum);
    }

    /** {@code x^p} for a constant p; d/dx = p x^(p-1). */
    public static Tensor pow(Tensor x, double p) {
        if (!Double.isFinite(p)) {
            throw new IllegalArgumentException("pow: exponent must be finite, got " + p);
        }
        if (p == 2.0) {
            return elementwise("pow", x, v -> v * v, v -> 2 * v);
        }
        return elementwise("pow", x, v -> Math.pow(v, p), v -> p * Math.pow(v, p - 1));
    }

    /** {@code min(max(x, lo), hi)}; d/dx = 1 strictly inside [lo, hi], 0 outside. */
    public static Tensor clamp(Tensor x, double lo, double hi) {
        if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi) {
            throw new IllegalArgumentException("clamp: need lo <= hi, got lo=" + lo + ", hi=" + hi);
        }
        return elementwise("clamp", x, v -> v < lo ? lo : (v > hi ? hi : v), v -> v >= lo && v <= hi ? 1 : 0);
    }
}
