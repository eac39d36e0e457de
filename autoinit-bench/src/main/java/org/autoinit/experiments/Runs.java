package org.autoinit.experiments;

import java.util.Locale;

import org.autoinit.app.ResultTable;

/** The per-run CSV shared by the training experiments. */
final class Runs {
    private Runs() {}

    /** Columns: the experiment's own keys, then seed, accuracy, diverged, seconds, the divergence message. */
    static ResultTable table(String... keys) {
        String[] cols = new String[keys.length + 5];
        System.arraycopy(keys, 0, cols, 0, keys.length);
        System.arraycopy(new String[] {"seed", "test_accuracy", "diverged", "seconds", "divergence"}, 0, cols, keys.length, 5);
        return new ResultTable(cols);
    }

    static void add(ResultTable t, Trial.Outcome o, long seed, Object... keys) {
        Object[] row = new Object[keys.length + 5];
        System.arraycopy(keys, 0, row, 0, keys.length);
        row[keys.length] = seed;
        row[keys.length + 1] = o.diverged() ? "" : String.format(Locale.ROOT, "%.4f", o.accuracy());
        row[keys.length + 2] = o.diverged();
        row[keys.length + 3] = String.format(Locale.ROOT, "%.1f", o.seconds());
        row[keys.length + 4] = o.divergence().replace('\n', ' ');
        t.add(row);
    }

    /** "0.8123" or "diverged" for a log line. */
    static String show(Trial.Outcome o) {
        return o.diverged() ? "diverged" : String.format(Locale.ROOT, "%.4f", o.accuracy());
    }

    static String sci(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
