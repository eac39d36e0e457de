package org.autoinit.nn.train;

import org.autoinit.tensor.Tensor;

/** A training objective: model output and integer labels in, a scalar (mean over the batch) out. */
@FunctionalInterface
public interface Loss {
    Tensor compute(Tensor output, int[] labels);
}
