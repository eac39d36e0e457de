package org.autoinit.tensor.ops;

/** How a loss combines its per-element values, as PyTorch's {@code reduction=}. */
public enum Reduction {
    /** Average over the elements (over the N samples for cross-entropy): a scalar. */
    MEAN,
    /** Sum over the elements: a scalar. */
    SUM,
    /** No reduction: one loss per element (per sample for cross-entropy). */
    NONE
}
