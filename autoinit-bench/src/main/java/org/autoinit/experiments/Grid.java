package org.autoinit.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.autoinit.app.Charts;
import org.autoinit.app.ResultTable;

/**
 * Test accuracies of a rows x columns grid of configurations, each run with several seeds. A cell reads
 * {@code mean ± half-range} over the seeds that finished (with two seeds, the half-range is half their
 * difference), with the count of diverged runs when there are any.
 */
final class Grid {
    private final String rowName;
    private final List<String> rows, cols;
    private final Map<String, List<Trial.Outcome>> cells = new LinkedHashMap<>();

    Grid(String rowName, List<String> rows, List<String> cols) {
        this.rowName = rowName;
        this.rows = List.copyOf(rows);
        this.cols = List.copyOf(cols);
    }

    void add(String row, String col, Trial.Outcome o) {
        if (!rows.contains(row) || !cols.contains(col)) {
            throw new IllegalArgumentException("Grid: no cell (" + row + ", " + col + ")");
        }
        cells.computeIfAbsent(row + "\u0000" + col, k -> new ArrayList<>()).add(o);
    }

    List<Trial.Outcome> outcomes(String row, String col) {
        return cells.getOrDefault(row + "\u0000" + col, List.of());
    }

    /** {min, mean, max} of the finished runs' accuracies (NaN when none finished). */
    double[] stats(String row, String col) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0;
        int n = 0;
        for (Trial.Outcome o : outcomes(row, col)) {
            if (!o.diverged()) {
                min = Math.min(min, o.accuracy());
                max = Math.max(max, o.accuracy());
                sum += o.accuracy();
                n++;
            }
        }
        return n == 0 ? new double[] {Double.NaN, Double.NaN, Double.NaN} : new double[] {min, sum / n, max};
    }

    int diverged(String row, String col) {
        return (int) outcomes(row, col).stream().filter(Trial.Outcome::diverged).count();
    }

    int totalDiverged() {
        int d = 0;
        for (String r : rows) for (String c : cols) d += diverged(r, c);
        return d;
    }

    int totalRuns() {
        return cells.values().stream().mapToInt(List::size).sum();
    }

    String cell(String row, String col) {
        List<Trial.Outcome> os = outcomes(row, col);
        if (os.isEmpty()) {
            return "";
        }
        int d = diverged(row, col);
        if (d == os.size()) {
            return "diverged (" + d + "/" + os.size() + ")";
        }
        double[] s = stats(row, col);
        String v = os.size() - d > 1 ? String.format(Locale.ROOT, "%.4f ± %.4f", s[1], (s[2] - s[0]) / 2) : String.format(Locale.ROOT, "%.4f", s[1]);
        return d > 0 ? v + " (" + d + "/" + os.size() + " diverged)" : v;
    }

    /** Rows x columns of {@link #cell}. */
    ResultTable summary() {
        List<String> head = new ArrayList<>();
        head.add(rowName);
        head.addAll(cols);
        ResultTable t = new ResultTable(head);
        for (String r : rows) {
            Object[] line = new Object[cols.size() + 1];
            line[0] = r;
            for (int c = 0; c < cols.size(); c++) line[c + 1] = cell(r, cols.get(c));
            t.add(line);
        }
        return t;
    }

    /** Bars of the mean accuracy per (row, column) with min-max whiskers; diverged cells are marked x. */
    String chart(String title) {
        List<Charts.Series> series = new ArrayList<>();
        for (String c : cols) {
            double[] mean = new double[rows.size()], lo = new double[rows.size()], hi = new double[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                double[] s = stats(rows.get(r), c);
                lo[r] = s[0];
                mean[r] = s[1];
                hi[r] = s[2];
            }
            series.add(new Charts.Series(c, mean, lo, hi));
        }
        return Charts.bars(title, "test accuracy", rows, series, 0, 1);
    }
}
