package org.autoinit.tensor.autograd;

import org.autoinit.tensor.Tensor;

/**
 * The backward half of an op: given the gradient of the loss with respect to the op's output, it adds
 * (never assigns) the gradients of the op's inputs with {@link Tensor#accumulateGrad(Tensor)}.
 */
@FunctionalInterface
public interface Backward {
    void apply(Tensor gradOutput);
}
