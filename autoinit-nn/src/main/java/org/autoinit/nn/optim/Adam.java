package org.autoinit.nn.optim;

import java.util.Map;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Adam (Kingma and Ba, 2015) and, with decoupled weight decay, AdamW (Loshchilov and Hutter, 2019), in the
 * exact form of {@code torch.optim.Adam/AdamW}:
 * <pre>
 *   Adam:  g = grad + wd * p            AdamW:  p *= 1 - lr * wd
 *   t += 1;  m = lerp(m, g, 1 - beta1);  v = beta2 * v + (1 - beta2) * g^2
 *   p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * eps is added after the bias correction of sqrt(v), as PyTorch does (not inside the square root). The
 * step count {@code t} is kept per parameter (a float64 scalar slot named {@code step}). Float32
 * parameters are updated in float32 arithmetic with the bias-correction scalars computed in double.
 */
public class Adam extends Optimizer {
    private static final int GRAIN = 1 << 14;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private final boolean decoupled;

    Adam(String type, Builder b, boolean decoupled) {
        super(type, b.params, b.lr);
        if (!(b.beta1 >= 0 && b.beta1 < 1) || !(b.beta2 >= 0 && b.beta2 < 1)) {
            throw new IllegalArgumentException(type + ": betas must be in [0, 1), got (" + b.beta1 + ", " + b.beta2 + ")");
        }
        if (!(b.eps >= 0) || !(b.weightDecay >= 0)) {
            throw new IllegalArgumentException(type + ": eps and weight decay must be >= 0, got " + b.eps + ", " + b.weightDecay);
        }
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
        this.weightDecay = b.weightDecay;
        this.decoupled = decoupled;
    }

    /** Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0 (L2, added to the gradient). */
    public static Builder builder(Map<String, Tensor> params, double lr) {
        return new Builder(params, lr, 0.0);
    }

    @Override
    protected Map<String, Boolean> slotKinds() {
        return Map.of("step", false, "exp_avg", true, "exp_avg_sq", true);
    }

    @Override
    protected void update(String name, Tensor param, Tensor grad) {
        Tensor stepT = slotOrZeros(name, "step");
        Tensor mT = slotOrZeros(name, "exp_avg");
        Tensor vT = slotOrZeros(name, "exp_avg_sq");
        double t = stepT.item() + 1;
        stepT.setFlat(0, t);
        double lr = learningRate();
        double stepSize = lr / (1 - Math.pow(beta1, t));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        double decay = decoupled ? 1 - lr * weightDecay : 1;
        double l2 = decoupled ? 0 : weightDecay;
        int n = param.numel();
        if (param.dtype() == DType.FLOAT32) {
            float[] p = param.floatData(), g = grad.floatData(), m = mT.floatData(), v = vT.floatData();
            float w1 = (float) (1 - beta1), b2 = (float) beta2, w2 = (float) (1 - beta2), fEps = (float) eps;
            float fDecay = (float) decay, fL2 = (float) l2, fStep = (float) stepSize, fBc2 = (float) bc2Sqrt;
            Parallel.forRange(n, GRAIN, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    if (fDecay != 1) p[i] *= fDecay;
                    float gi = fL2 != 0 ? g[i] + fL2 * p[i] : g[i];
                    // torch.lerp's two branches keep the result exact at both ends of the weight range.
                    m[i] = w1 < 0.5f ? m[i] + w1 * (gi - m[i]) : gi - (gi - m[i]) * (1 - w1);
                    v[i] = v[i] * b2 + w2 * gi * gi;
                    float denom = (float) Math.sqrt(v[i]) / fBc2 + fEps;
                    p[i] += -fStep * (m[i] / denom);
                }
            });
        } else {
            double[] p = param.doubleData(), g = grad.doubleData(), m = mT.doubleData(), v = vT.doubleData();
            double w1 = 1 - beta1, b2 = beta2, w2 = 1 - beta2;
            Parallel.forRange(n, GRAIN, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    if (decay != 1) p[i] *= decay;
                    double gi = l2 != 0 ? g[i] + l2 * p[i] : g[i];
                    m[i] = w1 < 0.5 ? m[i] + w1 * (gi - m[i]) : gi - (gi - m[i]) * (1 - w1);
                    v[i] = v[i] * b2 + w2 * gi * gi;
                    double denom = Math.sqrt(v[i]) / bc2Sqrt + eps;
                    p[i] += -stepSize * (m[i] / denom);
                }
            });
        }
    }

    /** Settings of an {@link Adam} or {@link AdamW}; parameters and learning rate are required. */
    public static final class Builder {
        private final Map<String, Tensor> params;
        private final double lr;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay;
        private final boolean decoupled;

        Builder(Map<String, Tensor> params, double lr, double weightDecay) {
            this(params, lr, weightDecay, false);
        }

        Builder(Map<String, Tensor> params, double lr, double weightDecay, boolean decoupled) {
            this.params = params;
            this.lr = lr;
            this.weightDecay = weightDecay;
            this.decoupled = decoupled;
        }

        public Builder betas(double b1, double b2) { this.beta1 = b1; this.beta2 = b2; return this; }
        public Builder eps(double e) { this.eps = e; return this; }
        /** Adam: L2 penalty added to the gradient; AdamW: decoupled decay {@code p *= 1 - lr * wd}. */
        public Builder weightDecay(double wd) { this.weightDecay = wd; return this; }

        public Adam build() {
            return decoupled ? new AdamW(this) : new Adam("Adam", this, false);
        }
    }
}
