package org.autoinit.nn.train;

import java.util.Locale;

/**
 * Classification metrics from a confusion matrix {@code confusion[label][predicted]}. Precision, recall and
 * F1 of a class with no predictions (or no examples) are 0, as scikit-learn's {@code zero_division=0}.
 *
 * @param count     number of examples
 * @param accuracy  fraction on the diagonal (NaN when empty)
 * @param macroF1   unweighted mean of the per-class F1
 */
public record EvaluationStats(long count, double accuracy, double[] precision, double[] recall, double[] f1, double macroF1,
                              long[][] confusion) {

    /** Derives every metric from the matrix. */
    public static EvaluationStats of(long[][] confusion) {
        int k = confusion.length;
        long total = 0, correct = 0;
        long[] predicted = new long[k], actual = new long[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                total += confusion[i][j];
                actual[i] += confusion[i][j];
                predicted[j] += confusion[i][j];
            }
            correct += confusion[i][i];
        }
        double[] p = new double[k], r = new double[k], f = new double[k];
        double sumF = 0;
        for (int c = 0; c < k; c++) {
            long tp = confusion[c][c];
            p[c] = predicted[c] == 0 ? 0 : (double) tp / predicted[c];
            r[c] = actual[c] == 0 ? 0 : (double) tp / actual[c];
            f[c] = p[c] + r[c] == 0 ? 0 : 2 * p[c] * r[c] / (p[c] + r[c]);
            sumF += f[c];
        }
        return new EvaluationStats(total, total == 0 ? Double.NaN : (double) correct / total, p, r, f, sumF / k, confusion);
    }

    /** Number of classes. */
    public int numClasses() {
        return confusion.length;
    }

    /** A table: accuracy, then per class precision/recall/F1/support, then the confusion matrix. */
    public String render() {
        String[] names = new String[numClasses()];
        for (int i = 0; i < names.length; i++) names[i] = Integer.toString(i);
        return render(names);
    }

    /** {@link #render()} with class names. */
    public String render(String[] classNames) {
        if (classNames.length != numClasses()) {
            throw new IllegalArgumentException("render: " + classNames.length + " class names for " + numClasses() + " classes");
        }
        int w = 5;
        for (String n : classNames) w = Math.max(w, n.length());
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "accuracy %.4f (%d examples), macro F1 %.4f%n", accuracy, count, macroF1));
        sb.append(String.format(Locale.ROOT, "%-" + w + "s  %9s  %9s  %9s  %9s%n", "class", "precision", "recall", "f1", "support"));
        for (int c = 0; c < numClasses(); c++) {
            long support = 0;
            for (long x : confusion[c]) support += x;
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %9.4f  %9.4f  %9.4f  %9d%n", classNames[c], precision[c], recall[c], f1[c], support));
        }
        sb.append("confusion matrix (rows = label, columns = predicted):\n");
        int cw = w;
        for (long[] row : confusion) for (long x : row) cw = Math.max(cw, Long.toString(x).length());
        sb.append(" ".repeat(w));
        for (String n : classNames) sb.append("  ").append(String.format("%" + cw + "s", n));
        sb.append('\n');
        for (int i = 0; i < numClasses(); i++) {
            sb.append(String.format("%-" + w + "s", classNames[i]));
            for (long x : confusion[i]) sb.append("  ").append(String.format(Locale.ROOT, "%" + cw + "d", x));
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
