package org.autoinit.nn;

import org.autoinit.tensor.Tensor;

/** Sees every node output during a forward pass (traces, moment checks, divergence detection). */
@FunctionalInterface
public interface NodeObserver {
    void onOutput(Node node, Tensor output);
}
