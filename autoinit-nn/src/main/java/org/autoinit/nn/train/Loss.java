package org.autoinit.nn.train;

import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.Losses;
import org.autoinit.tensor.ops.Reduction;

/** A training objective: model output and integer labels in, a scalar (mean over the batch) out. */
@FunctionalInterface
public interface Loss {
    Tensor compute(Tensor output, int[] labels);

    /** Softmax cross-entropy of {@code [N, C]} logits, averaged over the batch (the trainer's default). */
    static Loss crossEntropy() {
        return crossEntropy(0.0);
    }

    /** Cross-entropy with label smoothing {@code eps} in [0, 1], as {@code F.cross_entropy(label_smoothing=eps)}. */
    static Loss crossEntropy(double labelSmoothing) {
        return (out, labels) -> Losses.crossEntropy(out, labels, Reduction.MEAN, labelSmoothing);
    }
}
