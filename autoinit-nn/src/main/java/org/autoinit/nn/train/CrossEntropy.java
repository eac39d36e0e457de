package org.autoinit.nn.train;

import java.util.Arrays;

import org.autoinit.tensor.Tensor;

/**
 * Softmax cross-entropy on logits {@code [N, C]} with class labels, averaged over the batch, as
 * {@code torch.nn.functional.cross_entropy}: {@code L = mean_i (logsumexp(x_i) - x_i[y_i])};
 * {@code dL/dx_ij = (softmax(x_i)_j - [j = y_i]) / N}. Fused so the softmax is computed once, stably
 * (row maximum subtracted), and reused by the backward.
 */
public final class CrossEntropy implements Loss {
    @Override
    public Tensor compute(Tensor logits, int[] labels) {
        int[] s = logits.shape();
        if (s.length != 2) {
            throw new IllegalArgumentException("cross_entropy: logits of shape " + Arrays.toString(s) + " must have rank 2 (N, C)");
        }
        int n = s[0], c = s[1];
        if (labels.length != n) {
            throw new IllegalArgumentException("cross_entropy: " + labels.length + " labels for logits of shape " + Arrays.toString(s));
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException("cross_entropy: label " + labels[i] + " at position " + i + " is outside [0, " + c + ")");
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("cross_entropy: empty batch (logits of shape " + Arrays.toString(s) + ")");
        }
        Tensor probs = Tensor.zeros(logits.dtype(), s);
        double total = 0;
        double[] row = new double[c];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                row[j] = logits.getFlat(i * c + j);
                max = Math.max(max, row[j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                row[j] = Math.exp(row[j] - max);
                sum += row[j];
            }
            for (int j = 0; j < c; j++) {
                probs.setFlat(i * c + j, row[j] / sum);
            }
            total += max + Math.log(sum) - logits.getFlat(i * c + labels[i]);
        }
        Tensor out = Tensor.scalar(total / n, logits.dtype());
        int[] y = labels.clone();
        return Tensor.record("cross_entropy", out, g -> {
            double scale = g.item() / n;
            Tensor dx = probs.copy();
            for (int i = 0; i < n; i++) {
                dx.setFlat(i * c + y[i], dx.getFlat(i * c + y[i]) - 1);
            }
            logits.accumulateGrad(dx.scale_(scale));
        }, logits);
    }

    /** Mean loss of the logits as a plain number (no graph), e.g. for validation. */
    public double value(Tensor logits, int[] labels) {
        return compute(logits.detach(), labels).item();
    }

    @Override
    public String toString() {
        return "CrossEntropy";
    }
}
