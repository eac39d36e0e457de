package org.autoinit.nn.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one epoch produced. Epochs count from 0 (as Keras' CSV logs); {@code step} is the number of optimizer
 * steps taken so far. Validation fields are NaN when there is no validation data.
 */
public record EpochMetrics(int epoch, long step, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                           double learningRate, double seconds) {

    /** Column names, in CSV/JSON order; also the names {@link #get(String)} accepts. */
    public static final List<String> NAMES =
            List.of("epoch", "step", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds");

    /** A metric by name ("val_loss", "train_accuracy", ...). */
    public double get(String name) {
        return switch (name) {
            case "epoch" -> epoch;
            case "step" -> step;
            case "train_loss" -> trainLoss;
            case "train_accuracy" -> trainAccuracy;
            case "val_loss" -> valLoss;
            case "val_accuracy" -> valAccuracy;
            case "lr" -> learningRate;
            case "seconds" -> seconds;
            default -> throw new IllegalArgumentException("EpochMetrics: unknown metric '" + name + "'; known: " + NAMES);
        };
    }

    /** Name -> value, in {@link #NAMES} order (NaN stays NaN; JSON writes it as null). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", (long) epoch);
        m.put("step", step);
        for (String n : NAMES.subList(2, NAMES.size())) {
            m.put(n, get(n));
        }
        return m;
    }

    /** Inverse of {@link #toMap()} after a JSON round trip (null = NaN). */
    public static EpochMetrics fromMap(Map<?, ?> m) {
        return new EpochMetrics((int) num(m, "epoch"), (long) num(m, "step"), num(m, "train_loss"), num(m, "train_accuracy"),
                num(m, "val_loss"), num(m, "val_accuracy"), num(m, "lr"), num(m, "seconds"));
    }

    private static double num(Map<?, ?> m, String key) {
        if (!m.containsKey(key)) {
            throw new IllegalArgumentException("EpochMetrics: missing '" + key + "' in " + m);
        }
        Object v = m.get(key);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }
}
