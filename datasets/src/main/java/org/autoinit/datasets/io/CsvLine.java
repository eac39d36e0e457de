package org.autoinit.datasets.io;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV line (RFC 4180 quoting: "a,b" and "" for a quote; unquoted fields trimmed). */
final class CsvLine {
    private CsvLine() {}

    static String[] split(String line, char sep, String source, long row) throws DatasetFormatException {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == ' ') {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw DatasetFormatException.atRow(source, row, "unterminated quoted field (fields spanning lines are not supported)");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(c);
                    }
                }
                while (i < n && line.charAt(i) == ' ') {
                    i++;
                }
                if (i < n && line.charAt(i) != sep) {
                    throw DatasetFormatException.atRow(source, row, "unexpected character '" + line.charAt(i)
                            + "' after a quoted field at column " + (i + 1));
                }
                out.add(field.toString());
            } else {
                int start = i;
                while (i < n && line.charAt(i) != sep) {
                    i++;
                }
                out.add(line.substring(start, i).trim());
            }
            field.setLength(0);
            if (i >= n) {
                return out.toArray(new String[0]);
            }
            i++; // skip the separator
        }
    }
}
