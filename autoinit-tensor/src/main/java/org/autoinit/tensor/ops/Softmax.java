package org.autoinit.tensor.ops;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Softmax and log-softmax along one axis, numerically stable: the maximum of each line is subtracted
 * before exponentiating, so logits of any size give finite results. A tensor of shape
 * {@code [outer, r, inner]} (r the softmax axis) is processed as {@code outer * inner} lines of r values
 * with stride {@code inner}; sums accumulate in double for float32.
 */
public final class Softmax {
    private Softmax() {}

    /** Lines of work below this many elements run on the calling thread. */
    private static final int GRAIN = 1 << 14;

    /** {@code y_i = e^{x_i - m} / sum_j e^{x_j - m}}, m = max_j x_j; dx_i = y_i (g_i - sum_j g_j y_j). */
    public static Tensor softmax(Tensor x, int axis) {
        Lines l = new Lines("softmax", x, axis);
        Tensor y = l.run(x, null, false, false);
        return Tensor.record("softmax", y, g -> x.accumulateGrad(l.run(y, g, false, true)), x);
    }

    /** {@code y_i = x_i - m - ln sum_j e^{x_j - m}}; dx_i = g_i - e^{y_i} sum_j g_j. */
    public static Tensor logSoftmax(Tensor x, int axis) {
        Lines l = new Lines("log_softmax", x, axis);
        Tensor y = l.run(x, null, true, false);
        return Tensor.record("log_softmax", y, g -> x.accumulateGrad(l.run(y, g, true, true)), x);
    }

    /** The line layout of one softmax call. */
    private static final class Lines {
        final int outer, r, inner;
        final int[] shape;

        Lines(String op, Tensor x, int axis) {
            shape = x.shape();
            if (shape.length == 0) {
                throw new IllegalArgumentException(op + ": input is a scalar (shape []); it needs at least one dimension");
            }
            int a = Shape.axis(op, axis, shape.length);
            int o = 1, in = 1;
            for (int i = 0; i < a; i++) o *= shape[i];
            for (int i = a + 1; i < shape.length; i++) in *= shape[i];
            outer = o;
            r = shape[a];
            inner = in;
        }

        /**
         * Forward ({@code g == null}: {@code src} is x) or backward ({@code src} is the forward output y) of
         * softmax or log-softmax over every line, into a new tensor.
         */
        Tensor run(Tensor src, Tensor g, boolean log, boolean backward) {
            Tensor out = Tensor.zeros(src.dtype(), shape);
            int lines = outer * inner;
            int grain = Math.max(1, GRAIN / Math.max(1, r));
            if (src.dtype() == DType.FLOAT32) {
                float[] s = src.floatData(), o = out.floatData(), gs = backward ? g.floatData() : null;
                Parallel.forRange(lines, grain, (lo, hi) -> {
                    for (int line = lo; line < hi; line++) {
                        int base = (line / inner) * r * inner + line % inner;
                        if (backward) backwardF(s, gs, o, base, log);
                        else forwardF(s, o, base, log);
                    }
                });
            } else {
                double[] s = src.doubleData(), o = out.doubleData(), gs = backward ? g.doubleData() : null;
                Parallel.forRange(lines, grain, (lo, hi) -> {
                    for (int line = lo; line < hi; line++) {
                        int base = (line / inner) * r * inner + line % inner;
                        if (backward) backwardD(s, gs, o, base, log);
                        else forwardD(s, o, base, log);
                    }
                });
            }
            return out;
        }

        /** One line: max, then sum of e^{x - max} (stored in y for softmax, so exp runs once per element). */
        private void forwardF(float[] x, float[] y, int base, boolean log) {
            int end = base + r * inner;
            double m = Double.NEGATIVE_INFINITY;
            for (int i = base; i < end; i += inner) m = Math.max(m, x[i]);
            double sum = 0;
            if (log) {
                for (int i = base; i < end; i += inner) sum += Math.exp(x[i] - m);
                double shift = m + Math.log(sum);
                for (int i = base; i < end; i += inner) y[i] = (float) (x[i] - shift);
            } else {
                for (int i = base; i < end; i += inner) {
                    double e = Math.exp(x[i] - m);
                    sum += e;
                    y[i] = (float) e;
                }
                double inv = 1.0 / sum;
                for (int i = base; i < end; i += inner) y[i] = (float) (y[i] * inv);
            }
        }

        private void forwardD(double[] x, double[] y, int base, boolean log) {
            int end = base + r * inner;
            double m = Double.NEGATIVE_INFINITY;
            for (int i = base; i < end; i += inner) m = Math.max(m, x[i]);
            double sum = 0;
            if (log) {
                for (int i = base; i < end; i += inner) sum += Math.exp(x[i] - m);
                double shift = m + Math.log(sum);
                for (int i = base; i < end; i += inner) y[i] = x[i] - shift;
            } else {
                for (int i = base; i < end; i += inner) {
                    double e = Math.exp(x[i] - m);
                    sum += e;
                    y[i] = e;
                }
                double inv = 1.0 / sum;
                for (int i = base; i < end; i += inner) y[i] *= inv;
            }
        }

        /** softmax: dx = y (g - sum g y); log-softmax: dx = g - e^y sum g. */
        private void backwardF(float[] y, float[] g, float[] dx, int base, boolean log) {
            int end = base + r * inner;
            double dot = 0;
            for (int i = base; i < end; i += inner) dot += log ? g[i] : (double) g[i] * y[i];
            for (int i = base; i < end; i += inner) dx[i] = (float) (log ? g[i] - Math.exp(y[i]) * dot : y[i] * (g[i] - dot));
        }

        private void backwardD(double[] y, double[] g, double[] dx, int base, boolean log) {
            int end = base + r * inner;
            double dot = 0;
            for (int i = base; i < end; i += inner) dot += log ? g[i] : g[i] * y[i];
            for (int i = base; i < end; i += inner) dx[i] = log ? g[i] - Math.exp(y[i]) * dot : y[i] * (g[i] - dot);
        }
    }
}
