package org.autoinit.init.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.autoinit.init.InitReport;
import org.autoinit.nn.Block;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * Measured statistics of every node of a model on one batch: the mean and variance of each node's output in a
 * TRAINING-mode forward pass (dropout active, batch norm on batch statistics), and the variance of the
 * gradient reaching each node's output after one backward pass of a loss; side by side with AutoInit's
 * predictions when an {@link InitReport} is given. Buffers (running statistics) are restored afterwards. Rendered by {@link TraceSvg} and {@link TraceHtml}.
 */
public final class Trace {

    /**
     * One node. Predicted fields are NaN without a report (or for nodes it does not cover); gradVariance is
     * NaN where no gradient arrives.
     */
    public record Row(String node, String type, boolean weighted, double predictedMean, double predictedVariance, double measuredMean,
            double measuredVariance, double gradVariance) {

        /** True when AutoInit predicted this node. */
        public boolean hasPrediction() {
            return !Double.isNaN(predictedVariance);
        }
    }

    /** The scalar whose gradient is traced, computed from the model's output. */
    @FunctionalInterface
    public interface Loss {
        Tensor of(Tensor output);
    }

    private final String title;
    private final List<Row> rows;

    private Trace(String title, List<Row> rows) {
        this.title = title;
        this.rows = List.copyOf(rows);
    }

    /**
     * Traces {@code model} on iid N(0, 1) inputs of its input shapes ({@code samples} per batch), with
     * {@link #randomProjection(long)} as loss. Randomness (inputs, dropout, loss direction) from {@code seed}.
     */
    public static Trace measure(String title, Model model, InitReport report, int samples, long seed) {
        return measure(title, model, report, gaussianInputs(model, samples, seed), randomProjection(seed ^ 0x5DEECE66DL), seed);
    }

    /** One batch of iid N(0, 1) entries per model input, of the model's dtype. */
    public static Tensor[] gaussianInputs(Model model, int samples, long seed) {
        if (samples < 2) {
            throw new IllegalArgumentException("Trace: need at least 2 samples per batch, got " + samples);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        DType dtype = model.namedParameters().isEmpty() ? DType.FLOAT32 : model.namedParameters().values().iterator().next().value().dtype();
        Tensor[] in = new Tensor[model.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            int[] shape = model.inputs().get(i).shape();
            int[] batched = new int[shape.length + 1];
            batched[0] = samples;
            System.arraycopy(shape, 0, batched, 1, shape.length);
            in[i] = Tensor.randn(rng.split(), dtype, batched);
        }
        return in;
    }

    /**
     * Traces {@code model} on the given batched inputs. {@code report} (may be null) supplies the
     * predictions, matched by node name; {@code loss} the scalar to differentiate; {@code seed} the dropout masks.
     */
    public static Trace measure(String title, Model model, InitReport report, Tensor[] inputs, Loss loss, long seed) {
        Map<String, InitReport.Entry> predicted = new HashMap<>();
        if (report != null) {
            for (InitReport.Entry e : report.entries()) {
                predicted.put(e.node(), e);
            }
        }
        LinkedHashMap<String, Node> nodes = new LinkedHashMap<>();
        Map<String, double[]> stats = new HashMap<>();
        Map<String, Tensor> outputs = new HashMap<>();
        Tensor[] in = new Tensor[inputs.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = inputs[i].detach().copy().requiresGrad(true);
        }
        ForwardContext ctx = ForwardContext.training(new SplittableRandom(seed)).observe((node, out) -> {
            if (nodes.putIfAbsent(node.name(), node) == null) {
                stats.put(node.name(), meanAndVariance(out));
                if (out.requiresGrad()) {
                    out.retainGrad();
                    outputs.put(node.name(), out);
                }
            }
        });
        BufferSnapshot buffers = BufferSnapshot.of(model);
        try {
            Tensor l = loss.of(model.forward(ctx, in));
            if (l.requiresGrad()) {
                l.backward();
            }
            List<Row> rows = new ArrayList<>();
            for (Map.Entry<String, Node> e : nodes.entrySet()) {
                String name = e.getKey();
                Node n = e.getValue();
                double[] ms = stats.get(name);
                Tensor out = outputs.get(name);
                double g = out != null && out.grad() != null ? meanAndVariance(out.grad())[1] : Double.NaN;
                InitReport.Entry p = predicted.get(name);
                boolean weighted = p != null ? p.weighted() : isWeighted(n.layer());
                rows.add(new Row(name, n.isInput() ? "Input" : n.layer().type(), weighted, p == null ? Double.NaN : p.output().mean(),
                        p == null ? Double.NaN : p.output().variance(), ms[0], ms[1], g));
            }
            return new Trace(title, rows);
        } finally {
            buffers.restore();
            for (Parameter p : model.namedParameters().values()) {
                p.value().zeroGrad();
            }
        }
    }

    /**
     * {@code sum(y * g)} for a fixed g with iid N(0, 1) entries: the gradient entering the output has unit
     * variance, so each node's gradient variance is the backward gain from the output to that node.
     */
    public static Loss randomProjection(long seed) {
        return y -> y.mul(Tensor.randn(new SplittableRandom(seed), y.dtype(), y.shape())).sum();
    }

    private static boolean isWeighted(Layer layer) {
        if (layer == null || layer instanceof Block) {
            return false;
        }
        for (Parameter p : layer.parameters()) {
            if (p.kind() == ParamKind.WEIGHT || p.kind() == ParamKind.EMBEDDING) {
                return true;
            }
        }
        return false;
    }

    /** Mean and (population) variance of all entries, accumulated in double (two passes, no cancellation). */
    public static double[] meanAndVariance(Tensor t) {
        int n = t.numel();
        double s = 0, q = 0;
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.floatData();
            for (int i = 0; i < n; i++) {
                s += a[i];
            }
            double m = s / n;
            for (int i = 0; i < n; i++) {
                double d = a[i] - m;
                q += d * d;
            }
            return new double[] {m, q / n};
        }
        double[] a = t.doubleData();
        for (int i = 0; i < n; i++) {
            s += a[i];
        }
        double m = s / n;
        for (int i = 0; i < n; i++) {
            double d = a[i] - m;
            q += d * d;
        }
        return new double[] {m, q / n};
    }

    public String title() {
        return title;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The row of node {@code name}. */
    public Row row(String name) {
        for (Row r : rows) {
            if (r.node().equals(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("Trace: no node named '" + name + "'");
    }

    /** Standalone SVG: predicted vs measured mean and variance per node (see {@link TraceSvg}). */
    public String toSvg() {
        return TraceSvg.render(this, null);
    }

    /** Standalone SVG with a baseline's measured values drawn beside this trace's (null for none). */
    public String toSvg(Trace baseline) {
        return TraceSvg.render(this, baseline);
    }

    /** An HTML page embedding the SVG and a table of the rows (baseline may be null). */
    public String toHtml(Trace baseline) {
        return TraceHtml.render(this, baseline);
    }
}
