package org.autoinit.nn.optim;

import java.util.Map;

import org.autoinit.tensor.Tensor;

/**
 * Adam with decoupled weight decay ({@code p *= 1 - lr * wd} before the Adam update), as
 * {@code torch.optim.AdamW}; see {@link Adam} for the update.
 */
public final class AdamW extends Adam {
    AdamW(Builder b) {
        super("AdamW", b, true);
    }

    /** AdamW with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static Builder builder(Map<String, Tensor> params, double lr) {
        return new Builder(params, lr, 0.01, true);
    }
}
