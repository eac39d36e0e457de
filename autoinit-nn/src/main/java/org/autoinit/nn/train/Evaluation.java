package org.autoinit.nn.train;

import java.util.Arrays;

import org.autoinit.tensor.Tensor;

/**
 * Accumulates classification results batch by batch (predicted class = argmax of the logits, first index on
 * ties) into a confusion matrix; {@link #stats()} derives accuracy and per-class precision, recall and F1.
 */
public final class Evaluation {
    private final int numClasses;
    private final long[][] confusion;

    /** An empty evaluation over classes {@code 0 .. numClasses-1}. */
    public Evaluation(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("Evaluation: need at least one class, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.confusion = new long[numClasses][numClasses];
    }

    public int numClasses() {
        return numClasses;
    }

    /** Adds a batch of logits {@code [N, numClasses]} with their labels. */
    public Evaluation add(Tensor logits, int[] labels) {
        int[] s = logits.shape();
        if (s.length != 2 || s[1] != numClasses) {
            throw new IllegalArgumentException("Evaluation.add: logits of shape " + Arrays.toString(s) + " must be [N, "
                    + numClasses + "]");
        }
        return add(argmax(logits), labels);
    }

    /** Adds predicted classes with their labels. */
    public Evaluation add(int[] predicted, int[] labels) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException("Evaluation.add: " + predicted.length + " predictions but " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            checkClass("label", labels[i], i);
            checkClass("prediction", predicted[i], i);
        }
        for (int i = 0; i < labels.length; i++) {
            confusion[labels[i]][predicted[i]]++;
        }
        return this;
    }

    private void checkClass(String what, int c, int i) {
        if (c < 0 || c >= numClasses) {
            throw new IllegalArgumentException("Evaluation.add: " + what + " " + c + " at position " + i + " is outside [0, "
                    + numClasses + ")");
        }
    }

    /** Row-wise argmax of {@code [N, C]} logits (first maximum on ties; NaN never wins). */
    public static int[] argmax(Tensor logits) {
        int n = logits.dim(0), c = logits.dim(1);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bv = logits.getFlat(i * c);
            for (int j = 1; j < c; j++) {
                double v = logits.getFlat(i * c + j);
                if (v > bv || (Double.isNaN(bv) && !Double.isNaN(v))) {
                    best = j;
                    bv = v;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Number of examples added so far. */
    public long count() {
        long n = 0;
        for (long[] row : confusion) for (long x : row) n += x;
        return n;
    }

    /** Accuracy and per-class precision, recall and F1 of everything added so far. */
    public EvaluationStats stats() {
        long[][] cm = new long[numClasses][];
        for (int i = 0; i < numClasses; i++) cm[i] = confusion[i].clone();
        return EvaluationStats.of(cm);
    }

    /** Forgets everything added. */
    public void reset() {
        for (long[] row : confusion) Arrays.fill(row, 0);
    }
}
