package org.autoinit.nn.optim;

import java.util.Map;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Stochastic gradient descent with momentum, exactly as {@code torch.optim.SGD}:
 * <pre>
 *   g   = grad + weightDecay * p
 *   buf = g                                   (first step)
 *   buf = momentum * buf + (1 - dampening) * g (later steps)
 *   g   = nesterov ? g + momentum * buf : buf  (when momentum != 0)
 *   p  -= lr * g
 * </pre>
 * Float32 parameters are updated in float32 arithmetic, as PyTorch does.
 */
public final class Sgd extends Optimizer {
    private static final int GRAIN = 1 << 15;
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final double weightDecay;

    private Sgd(Builder b) {
        super("SGD", b.params, b.lr);
        if (!(b.momentum >= 0) || !(b.dampening >= 0) || !(b.weightDecay >= 0)) {
            throw new IllegalArgumentException("SGD: momentum, dampening and weight decay must be >= 0, got " + b.momentum
                    + ", " + b.dampening + ", " + b.weightDecay);
        }
        if (b.nesterov && (b.momentum <= 0 || b.dampening != 0)) {
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum > 0 and zero dampening, got momentum "
                    + b.momentum + ", dampening " + b.dampening);
        }
        this.momentum = b.momentum;
        this.dampening = b.dampening;
        this.nesterov = b.nesterov;
        this.weightDecay = b.weightDecay;
    }

    /** Plain SGD over named parameters with the given learning rate; set momentum etc. on the builder. */
    public static Builder builder(Map<String, Tensor> params, double lr) {
        return new Builder(params, lr);
    }

    @Override
    protected Map<String, Boolean> slotKinds() {
        return Map.of("momentum_buffer", true);
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad) {
        boolean first = momentum != 0 && slot(name, "momentum_buffer") == null;
        Tensor buf = momentum != 0 ? slotOrZeros(name, "momentum_buffer") : null;
        int n = param.numel();
        if (param.dtype() == DType.FLOAT32) {
            float[] p = param.floatData(), g = grad.floatData(), b = buf == null ? null : buf.floatData();
            float wd = (float) weightDecay, mu = (float) momentum, damp = (float) (1 - dampening), lr = (float) learningRate();
            if (b != null && wd == 0f && !first && !nesterov) {
                // The usual step (momentum, no decay) as a branch-free loop C2 vectorizes; same float ops in the same order.
                Parallel.forRange(n, GRAIN, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) {
                        b[i] = mu * b[i] + damp * g[i];
                        p[i] -= lr * b[i];
                    }
                });
                return;
            }
            Parallel.forRange(n, GRAIN, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    float d = wd != 0 ? g[i] + wd * p[i] : g[i];
                    if (b != null) {
                        b[i] = first ? d : mu * b[i] + damp * d;
                        d = nesterov ? d + mu * b[i] : b[i];
                    }
                    p[i] -= lr * d;
                }
            });
        } else {
            double[] p = param.doubleData(), g = grad.doubleData(), b = buf == null ? null : buf.doubleData();
            double wd = weightDecay, mu = momentum, damp = 1 - dampening, lr = learningRate();
            Parallel.forRange(n, GRAIN, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    double d = wd != 0 ? g[i] + wd * p[i] : g[i];
                    if (b != null) {
                        b[i] = first ? d : mu * b[i] + damp * d;
                        d = nesterov ? d + mu * b[i] : b[i];
                    }
                    p[i] -= lr * d;
                }
            });
        }
    }

    /** Settings of an {@link Sgd}; parameters and learning rate are required, the rest default to 0/false. */
    public static final class Builder {
        private final Map<String, Tensor> params;
        private final double lr;
        private double momentum;
        private double dampening;
        private boolean nesterov;
        private double weightDecay;

        private Builder(Map<String, Tensor> params, double lr) {
            this.params = params;
            this.lr = lr;
        }

        public Builder momentum(double m) { this.momentum = m; return this; }
        public Builder dampening(double d) { this.dampening = d; return this; }
        public Builder nesterov(boolean on) { this.nesterov = on; return this; }
        /** L2 penalty added to the gradient ({@code g + wd * p}), as PyTorch's SGD. */
        public Builder weightDecay(double wd) { this.weightDecay = wd; return this; }

        public Sgd build() {
            return new Sgd(this);
        }
    }
}
