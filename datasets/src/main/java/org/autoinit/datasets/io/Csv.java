package org.autoinit.datasets.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.autoinit.datasets.Dataset;

/**
 * Tabular CSV (PMLB / UCI Adult style): a header row, then one sample per row. The target column is
 * chosen by name; its distinct values become classes in sorted order (numeric order if they are all
 * numbers). Every other column is numeric if all its values parse as numbers, otherwise categorical
 * and one-hot encoded over its sorted distinct values (feature {@code "col=value"}); integer-coded
 * categories can be forced categorical through {@link Options#categorical}. Unquoted fields are trimmed.
 * Missing values ({@link Options#missingTokens}, by default empty, "?", "NA", "NaN") fail the load naming
 * the row and column, unless {@link Missing#DROP_ROWS} is chosen, which drops and reports those rows.
 */
public final class Csv {
    /** What to do with a row that has a missing value in a used column. */
    public enum Missing { FAIL, DROP_ROWS }

    /** Loading options; {@link #defaults()} then the {@code with...} methods. */
    public record Options(char separator, Set<String> categorical, Set<String> ignored, Set<String> missingTokens, Missing missing) {
        public Options {
            categorical = Set.copyOf(categorical);
            ignored = Set.copyOf(ignored);
            missingTokens = Set.copyOf(missingTokens);
        }

        public static Options defaults() {
            return new Options(',', Set.of(), Set.of(), Set.of("", "?", "NA", "NaN"), Missing.FAIL);
        }

        public Options withSeparator(char sep) {
            return new Options(sep, categorical, ignored, missingTokens, missing);
        }

        /** Treats these columns as categorical even if their values are numbers. */
        public Options withCategorical(String... columns) {
            return new Options(separator, Set.of(columns), ignored, missingTokens, missing);
        }

        /** Leaves these columns out of the features. */
        public Options withIgnored(String... columns) {
            return new Options(separator, categorical, Set.of(columns), missingTokens, missing);
        }

        public Options withMissingTokens(String... tokens) {
            return new Options(separator, categorical, ignored, Set.of(tokens), missing);
        }

        public Options withMissing(Missing policy) {
            return new Options(separator, categorical, ignored, missingTokens, policy);
        }
    }

    /** A loaded table: the dataset (samples of shape [F]), the name of each feature, and the dropped rows (1-based). */
    public record Table(Dataset dataset, List<String> featureNames, List<Integer> droppedRows) {}

    private Csv() {}

    public static Table load(Path file, String target, String name) throws IOException {
        return load(file, target, name, Options.defaults());
    }

    public static Table load(Path file, String target, String name, Options opt) throws IOException {
        String src = file.toString();
        List<String[]> rows = new ArrayList<>();
        List<Integer> rowNumbers = new ArrayList<>();
        String[] header;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line == null) {
                throw DatasetFormatException.inFile(src, "empty file (expected a header row)", null);
            }
            header = CsvLine.split(line, opt.separator(), src, 0);
            int row = 0;
            while ((line = in.readLine()) != null) {
                row++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = CsvLine.split(line, opt.separator(), src, row);
                if (fields.length != header.length) {
                    throw DatasetFormatException.atRow(src, row, "has " + fields.length + " fields but the header has " + header.length);
                }
                rows.add(fields);
                rowNumbers.add(row);
            }
        }
        Map<String, Integer> col = new HashMap<>();
        for (int j = 0; j < header.length; j++) {
            if (col.put(header[j], j) != null) {
                throw DatasetFormatException.atRow(src, 0, "duplicate column name '" + header[j] + "'");
            }
        }
        for (String c : concat(opt.categorical(), opt.ignored(), Set.of(target))) {
            if (!col.containsKey(c)) {
                throw new IllegalArgumentException("Csv.load: " + src + " has no column '" + c + "'; columns are " + List.of(header));
            }
        }
        int t = col.get(target);
        List<Integer> used = new ArrayList<>();
        for (int j = 0; j < header.length; j++) {
            if (j != t && !opt.ignored().contains(header[j])) {
                used.add(j);
            }
        }
        used.add(t);

        List<Integer> dropped = new ArrayList<>();
        List<String[]> kept = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i);
            int missingCol = -1;
            for (int j : used) {
                if (opt.missingTokens().contains(r[j])) {
                    missingCol = j;
                    break;
                }
            }
            if (missingCol < 0) {
                kept.add(r);
            } else if (opt.missing() == Missing.DROP_ROWS) {
                dropped.add(rowNumbers.get(i));
            } else {
                throw DatasetFormatException.atRow(src, rowNumbers.get(i), "missing value '" + r[missingCol] + "' in column '"
                        + header[missingCol] + "' (use Csv.Missing.DROP_ROWS to drop such rows, or impute them first)");
            }
        }
        if (kept.isEmpty()) {
            throw DatasetFormatException.inFile(src, "has no complete data rows", null);
        }

        List<String> featureNames = new ArrayList<>();
        List<Column> columns = new ArrayList<>();
        for (int j : used) {
            if (j == t) {
                continue;
            }
            boolean numeric = !opt.categorical().contains(header[j]) && allNumeric(kept, j);
            Column c = numeric ? new Column(j, null) : new Column(j, indexOf(sortedValues(kept, j)));
            columns.add(c);
            if (numeric) {
                featureNames.add(header[j]);
            } else {
                c.levels.keySet().stream().sorted(Comparator.comparing(c.levels::get)).forEach(v -> featureNames.add(header[j] + "=" + v));
            }
        }
        List<String> classes = sortedValues(kept, t);
        Map<String, Integer> classIndex = indexOf(classes);
        int f = featureNames.size();
        float[] x = new float[Math.multiplyExact(kept.size(), f)];
        int[] y = new int[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            String[] r = kept.get(i);
            int k = i * f;
            for (Column c : columns) {
                if (c.levels == null) {
                    x[k++] = (float) Double.parseDouble(r[c.index]);
                } else {
                    x[k + c.levels.get(r[c.index])] = 1f;
                    k += c.levels.size();
                }
            }
            y[i] = classIndex.get(r[t]);
        }
        Dataset ds = new Dataset(name, x, new int[] {f}, y, classes.size(), classes);
        return new Table(ds, List.copyOf(featureNames), List.copyOf(dropped));
    }

    private static final class Column {
        final int index;
        final Map<String, Integer> levels; // null for numeric columns

        Column(int index, Map<String, Integer> levels) {
            this.index = index;
            this.levels = levels;
        }
    }

    private static boolean allNumeric(List<String[]> rows, int j) {
        for (String[] r : rows) {
            if (!isNumber(r[j])) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNumber(String s) {
        try {
            return Double.isFinite(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Distinct values of column j, in numeric order if all are numbers, otherwise in string order. */
    private static List<String> sortedValues(List<String[]> rows, int j) {
        TreeSet<String> distinct = new TreeSet<>();
        for (String[] r : rows) {
            distinct.add(r[j]);
        }
        List<String> out = new ArrayList<>(distinct);
        if (allNumeric(rows, j)) {
            out.sort(Comparator.comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder()));
        }
        return out;
    }

    private static Map<String, Integer> indexOf(List<String> values) {
        Map<String, Integer> m = new HashMap<>();
        for (String v : values) {
            m.put(v, m.size());
        }
        return m;
    }

    @SafeVarargs
    private static List<String> concat(Set<String>... sets) {
        List<String> out = new ArrayList<>();
        for (Set<String> s : sets) {
            out.addAll(new TreeSet<>(s));
        }
        return out;
    }
}
