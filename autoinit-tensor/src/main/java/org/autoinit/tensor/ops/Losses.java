package org.autoinit.tensor.ops;

import java.util.Arrays;
import java.util.Objects;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;

/**
 * Training losses as fused ops (forward and backward computed directly, in double, rather than through
 * a chain of elementwise ops), each with PyTorch's reductions: MEAN, SUM or NONE.
 */
public final class Losses {
    private Losses() {}

    /**
     * Cross-entropy of logits {@code [N, C]} against integer labels, as {@code F.cross_entropy}:
     * {@code l_n = -sum_c q_c log softmax(x_n)_c} with {@code q = (1 - eps) onehot(y_n) + eps / C} (label
     * smoothing eps in [0, 1]); MEAN divides by N. dl_n/dx_nc = softmax(x_n)_c - q_c.
     */
    public static Tensor crossEntropy(Tensor logits, int[] labels, Reduction r, double labelSmoothing) {
        String op = "cross_entropy";
        Objects.requireNonNull(r, op + ": reduction");
        int[] s = logits.shape();
        if (s.length != 2) {
            throw new IllegalArgumentException(op + ": logits of shape " + Shape.str(s) + " must have rank 2 (N, C)");
        }
        int n = s[0], c = s[1];
        if (labels.length != n) {
            throw new IllegalArgumentException(op + ": " + labels.length + " labels for logits of shape " + Shape.str(s)
                    + " (expected " + n + ")");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException(op + ": label " + labels[i] + " at index " + i + " is out of range for " + c + " classes");
            }
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException(op + ": label_smoothing must be in [0, 1], got " + labelSmoothing);
        }
        int[] y = labels.clone();
        double off = labelSmoothing / c, onExtra = 1 - labelSmoothing;
        double[] x = values(logits);
        double[] logp = new double[n * c];
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            int row = i * c;
            double m = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) m = Math.max(m, x[row + j]);
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.exp(x[row + j] - m);
            double lse = m + Math.log(sum), sumLogp = 0;
            for (int j = 0; j < c; j++) {
                logp[row + j] = x[row + j] - lse;
                sumLogp += logp[row + j];
            }
            // Skipping the smoothing term when eps = 0 keeps a -inf logit from turning 0 * -inf into NaN.
            loss[i] = -onExtra * logp[row + y[i]] - (off == 0 ? 0 : off * sumLogp);
        }
        Tensor out = reduce(loss, new int[] {n}, logits.dtype(), r);
        return Tensor.record(op, out, g -> {
            double[] dx = new double[n * c];
            for (int i = 0; i < n; i++) {
                double gi = upstream(g, r, i, n);
                for (int j = 0; j < c; j++) {
                    double q = off + (j == y[i] ? onExtra : 0);
                    dx[i * c + j] = gi * (Math.exp(logp[i * c + j]) - q);
                }
            }
            logits.accumulateGradOwned(tensor(dx, logits.dtype(), s));
        }, logits);
    }

    /** Mean squared error {@code l_i = (p_i - t_i)^2}, shapes equal; dl/dp = 2 (p - t), dl/dt = -2 (p - t). */
    public static Tensor mse(Tensor pred, Tensor target, Reduction r) {
        String op = "mse_loss";
        checkPair(op, "pred", pred, "target", target);
        Objects.requireNonNull(r, op + ": reduction");
        double[] p = values(pred), t = values(target);
        int n = p.length;
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            double d = p[i] - t[i];
            loss[i] = d * d;
        }
        Tensor out = reduce(loss, pred.shape(), pred.dtype(), r);
        return Tensor.record(op, out, g -> {
            double[] dp = new double[n];
            for (int i = 0; i < n; i++) dp[i] = 2 * (p[i] - t[i]) * upstream(g, r, i, n);
            if (pred.requiresGrad()) pred.accumulateGrad(tensor(dp, pred.dtype(), pred.shape()));
            if (target.requiresGrad()) {
                for (int i = 0; i < n; i++) dp[i] = -dp[i];
                target.accumulateGrad(tensor(dp, target.dtype(), target.shape()));
            }
        }, pred, target);
    }

    /**
     * Binary cross-entropy on logits, as {@code F.binary_cross_entropy_with_logits}, in the stable form
     * {@code l_i = max(x, 0) - x t + ln(1 + e^{-|x|})}; dl/dx = sigmoid(x) - t, dl/dt = -x.
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor targets, Reduction r) {
        String op = "binary_cross_entropy_with_logits";
        checkPair(op, "logits", logits, "targets", targets);
        Objects.requireNonNull(r, op + ": reduction");
        double[] x = values(logits), t = values(targets);
        int n = x.length;
        double[] loss = new double[n];
        for (int i = 0; i < n; i++) {
            loss[i] = Math.max(x[i], 0) - x[i] * t[i] + Math.log1p(Math.exp(-Math.abs(x[i])));
        }
        Tensor out = reduce(loss, logits.shape(), logits.dtype(), r);
        return Tensor.record(op, out, g -> {
            double[] d = new double[n];
            if (logits.requiresGrad()) {
                for (int i = 0; i < n; i++) d[i] = (ActivationMath.sigmoid(x[i]) - t[i]) * upstream(g, r, i, n);
                logits.accumulateGrad(tensor(d, logits.dtype(), logits.shape()));
            }
            if (targets.requiresGrad()) {
                for (int i = 0; i < n; i++) d[i] = -x[i] * upstream(g, r, i, n);
                targets.accumulateGrad(tensor(d, targets.dtype(), targets.shape()));
            }
        }, logits, targets);
    }

    private static void checkPair(String op, String an, Tensor a, String bn, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(op + ": " + an + " of shape " + Shape.str(a.shape()) + " and " + bn + " of shape "
                    + Shape.str(b.shape()) + " must have the same shape");
        }
        Tensor.requireSameDType(op, a, b);
    }

    /** Per-element losses combined by the reduction, as a tensor of {@code dtype}. */
    private static Tensor reduce(double[] loss, int[] noneShape, DType dtype, Reduction r) {
        if (r == Reduction.NONE) {
            return tensor(loss.clone(), dtype, noneShape);
        }
        double s = 0;
        for (double v : loss) s += v;
        Tensor out = Tensor.zeros(dtype);
        out.setFlat(0, r == Reduction.MEAN ? s / loss.length : s); // mean of nothing is NaN, as PyTorch
        return out;
    }

    /** The upstream gradient reaching element i of n: g_i (NONE), g (SUM) or g / n (MEAN). */
    private static double upstream(Tensor g, Reduction r, int i, int n) {
        return switch (r) {
            case NONE -> g.getFlat(i);
            case SUM -> g.getFlat(0);
            case MEAN -> g.getFlat(0) / n;
        };
    }

    /** The values as doubles: the backing array itself for float64 (read only), a copy for float32. */
    static double[] values(Tensor t) {
        if (t.dtype() == DType.FLOAT64) {
            return t.doubleData();
        }
        float[] f = t.floatData();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    /** Wraps (float64) or rounds (float32) double values as a tensor. */
    static Tensor tensor(double[] v, DType dtype, int[] shape) {
        if (dtype == DType.FLOAT64) {
            return Tensor.of(v, shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Tensor.of(f, shape);
    }
}
