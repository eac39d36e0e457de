package org.autoinit.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Renders {@link Model#summary()}; counts exclude buffers, which are totalled separately. */
final class ModelSummary {
    private ModelSummary() {}

    static String render(Model m) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Node (type)", "Output shape", "Params", "Inputs"});
        Set<Layer> seen = new HashSet<>();
        for (Node n : m.nodes()) {
            String type = n.isInput() ? "Input" : n.layer().type();
            String params;
            if (n.isInput()) {
                params = "0";
            } else if (!seen.add(n.layer())) {
                params = "(shared)";
            } else {
                params = String.format("%,d", count(n.layer()));
            }
            List<String> in = new ArrayList<>();
            for (Node i : n.inbound()) {
                in.add(i.name());
            }
            rows.add(new String[] {n.name() + " (" + type + ")", Arrays.toString(n.shape()), params, String.join(", ", in)});
        }
        int[] w = new int[4];
        for (String[] r : rows) {
            for (int i = 0; i < 4; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        int total = w[0] + w[1] + w[2] + w[3] + 6;
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            sb.append(pad(r[0], w[0])).append("  ").append(pad(r[1], w[1])).append("  ")
                    .append(" ".repeat(w[2] - r[2].length())).append(r[2]).append("  ").append(r[3]).append('\n');
            if (k == 0) {
                sb.append("-".repeat(total)).append('\n');
            }
        }
        sb.append("=".repeat(total)).append('\n');
        long all = m.parameterCount(false), trainable = m.parameterCount(true);
        sb.append(String.format("Total params: %,d%n", all));
        sb.append(String.format("Trainable params: %,d%n", trainable));
        sb.append(String.format("Non-trainable params: %,d%n", all - trainable));
        sb.append(String.format("Buffers: %,d%n", m.bufferCount()));
        return sb.toString();
    }

    private static long count(Layer l) {
        long n = 0;
        for (Parameter p : l.parameters()) {
            if (p.kind() != ParamKind.BUFFER) {
                n += p.numel();
            }
        }
        return n;
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }
}
