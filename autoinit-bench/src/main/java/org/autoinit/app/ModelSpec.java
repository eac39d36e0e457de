package org.autoinit.app;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.autoinit.nn.Model;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * A zoo model with the options the command line exposes; unset options (null, or NaN for dropout) keep the
 * model's own default. The input shape and class count always come from the data, so a model built for
 * 3x32x32 (allcnnc, resnets) runs on 1x28x28 Fashion-MNIST with the zoo's input-shape option.
 */
public record ModelSpec(String model, String activation, Integer depth, Integer width, Double dropout, Boolean normalization, String merge) {

    public ModelSpec {
        if (!Zoo.names().contains(model.toLowerCase(Locale.ROOT)) && !Arrays.asList("resnet", "transformer", "all-cnn-c").contains(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "'; known: " + String.join(", ", Zoo.names()));
        }
        if (activation != null) {
            ActivationKind.fromId(activation); // fails early naming the valid ones
        }
        if (merge != null && !merge.equals("add") && !merge.equals("weighted-sum")) {
            throw new IllegalArgumentException("merge must be add or weighted-sum, got '" + merge + "'");
        }
    }

    /** Only the model name; every option at the model's default. */
    public static ModelSpec of(String model) {
        return new ModelSpec(model, null, null, null, null, null, null);
    }

    /**
     * Builds the model for samples of {@code inputShape} and {@code classes} outputs, every parameter left at zero
     * (initialize it with {@link Inits}).
     */
    public Model build(int[] inputShape, int classes) {
        ZooOptions.Builder b = ZooOptions.builder().inputShape(inputShape).classes(classes).init(null);
        if (activation != null) b.activation(ActivationKind.fromId(activation));
        if (depth != null) b.depth(depth);
        if (width != null) b.width(width);
        if (dropout != null) b.dropout(dropout);
        if (normalization != null) b.normalization(normalization);
        if (merge != null) b.merge(merge.equals("add") ? ZooOptions.Merge.ADD : ZooOptions.Merge.WEIGHTED_SUM);
        return Zoo.build(model, b.build());
    }

    /** The spec as JSON-ready values (absent options omitted). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        if (activation != null) m.put("activation", activation);
        if (depth != null) m.put("depth", (long) depth);
        if (width != null) m.put("width", (long) width);
        if (dropout != null) m.put("dropout", dropout);
        if (normalization != null) m.put("normalization", normalization);
        if (merge != null) m.put("merge", merge);
        return m;
    }

    /** Inverse of {@link #toMap()} after a JSON round trip. */
    public static ModelSpec fromMap(Map<?, ?> m) {
        return new ModelSpec((String) m.get("model"), (String) m.get("activation"), intOrNull(m.get("depth")), intOrNull(m.get("width")),
                m.get("dropout") == null ? null : ((Number) m.get("dropout")).doubleValue(), (Boolean) m.get("normalization"),
                (String) m.get("merge"));
    }

    private static Integer intOrNull(Object o) {
        return o == null ? null : ((Number) o).intValue();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(model);
        toMap().forEach((k, v) -> {
            if (!k.equals("model")) sb.append(' ').append(k).append('=').append(v);
        });
        return sb.toString();
    }
}
