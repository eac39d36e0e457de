package org.autoinit.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A table of text cells written as GitHub Markdown or RFC 4180 CSV. */
public final class ResultTable {
    private final List<String> columns;
    private final List<String[]> rows = new ArrayList<>();

    public ResultTable(String... columns) {
        this(Arrays.asList(columns));
    }

    public ResultTable(List<String> columns) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("ResultTable: need at least one column");
        }
        this.columns = List.copyOf(columns);
    }

    /** Adds a row; every cell is {@code String.valueOf}'d (format numbers before). */
    public ResultTable add(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException("ResultTable: row of " + cells.length + " cells for " + columns.size() + " columns " + columns);
        }
        String[] r = new String[cells.length];
        for (int i = 0; i < r.length; i++) r[i] = String.valueOf(cells[i]);
        rows.add(r);
        return this;
    }

    public List<String> columns() {
        return columns;
    }

    public int size() {
        return rows.size();
    }

    /** Cell {@code (row, column name)}. */
    public String get(int row, String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("ResultTable: no column '" + column + "' in " + columns);
        }
        return rows.get(row)[c];
    }

    /** Markdown with the first column left-aligned and the others right-aligned. */
    public String markdown() {
        StringBuilder sb = new StringBuilder("|");
        for (String c : columns) sb.append(' ').append(c.replace("|", "\\|")).append(" |");
        sb.append("\n|");
        for (int i = 0; i < columns.size(); i++) sb.append(i == 0 ? " --- |" : " ---: |");
        sb.append('\n');
        for (String[] r : rows) {
            sb.append('|');
            for (String cell : r) sb.append(' ').append(cell.replace("|", "\\|")).append(" |");
            sb.append('\n');
        }
        return sb.toString();
    }

    public String csv() {
        StringBuilder sb = new StringBuilder();
        line(sb, columns.toArray(new String[0]));
        for (String[] r : rows) line(sb, r);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String[] cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) sb.append(',');
            String c = cells[i];
            boolean quote = c.contains(",") || c.contains("\"") || c.contains("\n");
            sb.append(quote ? '"' + c.replace("\"", "\"\"") + '"' : c);
        }
        sb.append('\n');
    }
}
