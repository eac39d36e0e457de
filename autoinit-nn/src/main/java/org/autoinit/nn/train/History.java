package org.autoinit.nn.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.autoinit.nn.io.AtomicFiles;
import org.autoinit.nn.io.Json;

/** Per-epoch metrics of a training run, in order; written as CSV or JSON (atomically). */
public final class History {
    private final List<EpochMetrics> epochs = new ArrayList<>();

    public void add(EpochMetrics m) {
        epochs.add(m);
    }

    public List<EpochMetrics> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    public int size() {
        return epochs.size();
    }

    /** The latest epoch, or null before the first one ends. */
    public EpochMetrics last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    /** One metric over all epochs. */
    public double[] series(String metric) {
        double[] out = new double[epochs.size()];
        for (int i = 0; i < out.length; i++) out[i] = epochs.get(i).get(metric);
        return out;
    }

    /** CSV with a header row; NaN is written as an empty field. */
    public String toCsv() {
        StringBuilder sb = new StringBuilder(String.join(",", EpochMetrics.NAMES)).append('\n');
        for (EpochMetrics m : epochs) {
            for (int i = 0; i < EpochMetrics.NAMES.size(); i++) {
                if (i > 0) sb.append(',');
                double v = m.get(EpochMetrics.NAMES.get(i));
                if (i < 2) {
                    sb.append((long) v);
                } else if (!Double.isNaN(v)) {
                    sb.append(v);
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The epochs as a JSON-ready list of maps. */
    public List<Map<String, Object>> toJsonList() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (EpochMetrics m : epochs) out.add(m.toMap());
        return out;
    }

    /** Rebuilds a history from {@link #toJsonList()} output (after a JSON round trip). */
    public static History fromJsonList(List<?> list) {
        History h = new History();
        for (Object o : list) {
            h.add(EpochMetrics.fromMap((Map<?, ?>) o));
        }
        return h;
    }

    public void writeCsv(Path file) throws IOException {
        AtomicFiles.writeString(file, toCsv());
    }

    public void writeJson(Path file) throws IOException {
        AtomicFiles.writeString(file, Json.pretty(toJsonList()));
    }
}
