package org.autoinit.init;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.autoinit.init.moments.Moments;

/**
 * What AutoInit did, node by node in topological order: the rule used, the predicted moments entering and
 * leaving the node, and for weighted nodes the weights it drew. {@link #toString()} renders a text table.
 */
public final class InitReport {

    /** One weight tensor: its qualified name, the fan_in used, the std drawn and the distribution ("frozen" when left alone). */
    public record WeightDraw(String parameter, double fanIn, double std, String distribution, boolean frozen) {}

    /**
     * One node (or one inner node of a composite layer, named "outer/inner").
     *
     * @param node           node name, unique in the report
     * @param layerType      {@code Layer.type()}, or "Input"
     * @param rule           name of the rule applied ("input" for inputs, "pass-through" for unknown layers under that policy)
     * @param inputs         predicted moments of each input
     * @param output         predicted output moments
     * @param sharedVariance predicted variance of the per-channel constants of the output (see {@code Signal})
     * @param weights        weights drawn (or read when frozen) by this node; empty for non-weighted nodes
     * @param notes          remarks (approximations used, coefficients set)
     */
    public record Entry(String node, String layerType, String rule, List<Moments> inputs, Moments output, double sharedVariance,
            List<WeightDraw> weights, List<String> notes) {
        public Entry {
            inputs = List.copyOf(inputs);
            weights = List.copyOf(weights);
            notes = List.copyOf(notes);
        }

        /** True when the node drew (or owns frozen) weights. */
        public boolean weighted() {
            return !weights.isEmpty();
        }

        /** Std of the first weight drawn, NaN for non-weighted nodes. */
        public double weightStd() {
            return weights.isEmpty() ? Double.NaN : weights.get(0).std();
        }

        /** Distribution of the first weight drawn, null for non-weighted nodes. */
        public String distribution() {
            return weights.isEmpty() ? null : weights.get(0).distribution();
        }
    }

    private final double signalVariance;
    private final List<Entry> entries;

    InitReport(double signalVariance, List<Entry> entries) {
        this.signalVariance = signalVariance;
        this.entries = List.copyOf(entries);
    }

    /** The target variance s. */
    public double signalVariance() {
        return signalVariance;
    }

    /** All entries in visiting order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The entry of the node called {@code name}. */
    public Entry entry(String name) {
        for (Entry e : entries) {
            if (e.node().equals(name)) {
                return e;
            }
        }
        throw new IllegalArgumentException("InitReport: no node named '" + name + "'");
    }

    /** The entries of weighted nodes. */
    public List<Entry> weightedEntries() {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.weighted()) {
                out.add(e);
            }
        }
        return out;
    }

    /** A text table: node, type, rule, input mean/var (first input), output mean/var, weight std and distribution. */
    @Override
    public String toString() {
        String[] head = {"node", "type", "rule", "in mean", "in var", "out mean", "out var", "weight std", "distribution"};
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (Entry e : entries) {
            Moments in = e.inputs().isEmpty() ? null : e.inputs().get(0);
            rows.add(new String[] {e.node(), e.layerType(), e.rule(), in == null ? "" : num(in.mean()), in == null ? "" : num(in.variance()),
                num(e.output().mean()), num(e.output().variance()), e.weighted() ? num(e.weightStd()) : "",
                e.weighted() ? e.distribution() + (e.weights().size() > 1 ? " (+" + (e.weights().size() - 1) + ")" : "") : ""});
        }
        int[] w = new int[head.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "AutoInit report (target variance s = %s, %d nodes, %d weighted)%n", num(signalVariance),
                entries.size(), weightedEntries().size()));
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            for (int i = 0; i < r.length; i++) {
                boolean numeric = i >= 3 && k > 0;
                String cell = numeric ? " ".repeat(w[i] - r[i].length()) + r[i] : r[i] + " ".repeat(w[i] - r[i].length());
                sb.append(i == 0 ? "" : "  ").append(cell);
            }
            sb.append(System.lineSeparator());
            if (k == 0) {
                int total = 0;
                for (int x : w) {
                    total += x + 2;
                }
                sb.append("-".repeat(total - 2)).append(System.lineSeparator());
            }
        }
        return sb.toString();
    }

    private static String num(double x) {
        return String.format(Locale.ROOT, "%.4g", x);
    }
}
