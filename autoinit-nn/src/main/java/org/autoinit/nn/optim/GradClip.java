package org.autoinit.nn.optim;

import java.util.Collection;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/** Gradient clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradClip {
    private GradClip() {}

    /**
     * The L2 norm of all gradients taken together, {@code sqrt(sum_p ||grad_p||^2)} (parameters without a
     * gradient count as zero), accumulated in double. Infinite or NaN when a gradient is.
     */
    public static double globalNorm(Collection<Tensor> params) {
        double sum = 0;
        for (Tensor p : params) {
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            if (g.dtype() == DType.FLOAT32) {
                for (float x : g.floatData()) sum += (double) x * x;
            } else {
                for (double x : g.doubleData()) sum += x * x;
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales all gradients by {@code maxNorm / (norm + 1e-6)} when that is below 1 and returns the norm
     * before clipping. A non-finite norm is returned without touching the gradients, so the caller can
     * report the divergence instead of training on scaled NaNs.
     */
    public static double clipGradNorm(Collection<Tensor> params, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("clipGradNorm: max norm must be > 0, got " + maxNorm);
        }
        double norm = globalNorm(params);
        if (!Double.isFinite(norm)) {
            return norm;
        }
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (Tensor p : params) {
                if (p.grad() != null) {
                    p.grad().scale_(coef);
                }
            }
        }
        return norm;
    }
}
