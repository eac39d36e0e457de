package org.autoinit.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * A directed acyclic graph of layer applications, from input nodes to output nodes (Keras functional API).
 * Built with {@link #input} and {@link Layer#apply}; nodes are visited in topological order, inputs first.
 */
public final class Model {
    private final List<Node> inputs;
    private final List<Node> outputs;
    private final List<Node> nodes;
    private final List<Layer> layers;
    private final FusionPlan fusion;

    private Model(List<Node> inputs, List<Node> outputs) {
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("Model.of: needs at least one input and one output node");
        }
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        Set<Node> inputSet = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Node in : inputs) {
            if (!in.isInput()) {
                throw new IllegalArgumentException("Model.of: " + in + " is not an input node (create inputs with Model.input)");
            }
            if (!inputSet.add(in)) {
                throw new IllegalArgumentException("Model.of: input '" + in.name() + "' is listed twice");
            }
        }
        Set<Node> reached = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayList<Node> stack = new ArrayList<>(outputs);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (!reached.add(n)) {
                continue;
            }
            if (n.isInput() && !inputSet.contains(n)) {
                throw new IllegalArgumentException("Model.of: the outputs depend on input '" + n.name() + "' " + Arrays.toString(n.shape())
                        + ", which is not among the model inputs");
            }
            stack.addAll(n.inbound());
        }
        List<Node> order = new ArrayList<>(inputs);
        List<Node> rest = new ArrayList<>();
        for (Node n : reached) {
            if (!n.isInput()) {
                rest.add(n);
            }
        }
        rest.sort(Comparator.comparingLong(n -> n.seq));
        order.addAll(rest);
        this.nodes = List.copyOf(order);
        Set<String> names = new HashSet<>();
        LinkedHashSet<Layer> ls = new LinkedHashSet<>();
        for (Node n : nodes) {
            if (!names.add(n.name())) {
                throw new IllegalArgumentException("Model.of: two nodes are named '" + n.name() + "'; give the layers distinct names");
            }
            if (n.layer() != null) {
                ls.add(n.layer());
            }
        }
        this.layers = List.copyOf(ls);
        namedParameters(); // fails early on duplicate qualified names
        this.fusion = new FusionPlan(nodes, this.outputs);
    }

    /** A graph input with the given per-sample shape (batch dimension excluded); null name = "input_k". */
    public static Node input(String name, int... sampleShape) {
        return Node.newInput(name, sampleShape);
    }

    public static Model of(List<Node> inputs, List<Node> outputs) {
        return new Model(inputs, outputs);
    }

    public static Model of(Node input, Node output) {
        return new Model(List.of(input), List.of(output));
    }

    /** All nodes in topological order, inputs first. */
    public List<Node> nodes() {
        return nodes;
    }

    public List<Node> inputs() {
        return inputs;
    }

    public List<Node> outputs() {
        return outputs;
    }

    /** Distinct layers in first-use order (a block counts once; see {@link Layer#children()}). */
    public List<Layer> layers() {
        return layers;
    }

    /** Every layer including the children of composite layers (blocks, attention), each before its children. */
    public List<Layer> allLayers() {
        List<Layer> out = new ArrayList<>();
        ArrayList<Layer> stack = new ArrayList<>();
        for (int i = layers.size() - 1; i >= 0; i--) {
            stack.add(layers.get(i));
        }
        while (!stack.isEmpty()) {
            Layer l = stack.remove(stack.size() - 1);
            out.add(l);
            for (int i = l.children().size() - 1; i >= 0; i--) {
                stack.add(l.children().get(i));
            }
        }
        return out;
    }

    /** The node with this name. */
    public Node node(String name) {
        for (Node n : nodes) {
            if (n.name().equals(name)) {
                return n;
            }
        }
        throw new IllegalArgumentException("Model: no node named '" + name + "'");
    }

    /** The layer with this name (top level). */
    public Layer layer(String name) {
        for (Layer l : layers) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("Model: no layer named '" + name + "'");
    }

    /** Runs a single-output model. */
    public Tensor forward(ForwardContext ctx, Tensor... in) {
        if (outputs.size() != 1) {
            throw new IllegalStateException("Model.forward: the model has " + outputs.size() + " outputs; use forwardAll");
        }
        return forwardAll(ctx, in).get(0);
    }

    /** Runs the graph on batched inputs (one tensor per input node, leading batch dimension); returns the outputs in order. */
    public List<Tensor> forwardAll(ForwardContext ctx, Tensor... in) {
        if (in.length != inputs.size()) {
            throw new IllegalArgumentException("Model.forward: expected " + inputs.size() + " input tensor(s), got " + in.length);
        }
        Map<Node, Tensor> values = new IdentityHashMap<>();
        for (int i = 0; i < in.length; i++) {
            Node n = inputs.get(i);
            int[] s = in[i].shape();
            if (s.length != n.shape().length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), n.shape())) {
                throw new IllegalArgumentException("Model.forward: input '" + n.name() + "' of shape " + Arrays.toString(s)
                        + " does not match the declared shape " + Layer.batched(n.shape()));
            }
            values.put(n, in[i]);
            ctx.notify(n, in[i]);
        }
        boolean fuse = FusionPlan.ENABLED && !ctx.hasObservers();
        for (Node n : nodes) {
            if (n.isInput() || fuse && fusion.isAbsorbed(n)) {
                continue;
            }
            FusionPlan.Group group = fuse ? fusion.groupOf(n) : null;
            if (group != null) {
                Tensor out = group.run(ctx, n, values);
                values.put(n, out);
                ctx.notify(n, out);
                continue;
            }
            Tensor[] args = new Tensor[n.inbound().size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = values.get(n.inbound().get(i));
            }
            Tensor out = n.layer().forward(ctx, args);
            values.put(n, out);
            ctx.notify(n, out);
        }
        List<Tensor> result = new ArrayList<>();
        for (Node o : outputs) {
            result.add(values.get(o));
        }
        return result;
    }

    /**
     * Nodes run inside a later node's fused op when no observer is attached, by that node: e.g. a ReLU maps to the
     * BatchNorm it follows, or to [BatchNorm, Add] at a residual join, an Add to the Dense projection it adds; see {@link Layer#fusesWith} and
     * {@link Layer#fusesWithMerge}. Empty when fusion is off ({@code -Dautoinit.fuse=false}).
     */
    public Map<Node, List<Node>> fusedNodes() {
        Map<Node, List<Node>> out = new LinkedHashMap<>();
        if (FusionPlan.ENABLED) {
            for (Node n : nodes) {
                FusionPlan.Group g = fusion.groupOf(n);
                if (g != null) {
                    out.put(n, g.merge() == null || g.merge() == n ? List.of(g.head()) : List.of(g.head(), g.merge()));
                }
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Every parameter (buffers included) under "layerName.paramName", in model order (children qualified). */
    public LinkedHashMap<String, Parameter> namedParameters() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        for (Layer l : layers) {
            for (Parameter p : l.parameters()) {
                Parameter prev = out.put(p.qualifiedName(), p);
                if (prev != null && prev != p) {
                    throw new IllegalArgumentException("Model: two parameters are named '" + p.qualifiedName() + "'; give the layers distinct names");
                }
            }
        }
        return out;
    }

    /** All parameters that receive gradients (not buffers, not frozen). */
    public List<Parameter> trainableParameters() {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : namedParameters().values()) {
            if (p.trainable()) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Number of parameter entries, buffers excluded (as {@code sum(p.numel() for p in model.parameters())}):
     * all of them, or only the trainable (not frozen) ones.
     */
    public long parameterCount(boolean trainableOnly) {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            if (p.kind() != ParamKind.BUFFER && (!trainableOnly || p.trainable())) {
                n += p.numel();
            }
        }
        return n;
    }

    /** Number of buffer entries (running statistics). */
    public long bufferCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            if (p.kind() == ParamKind.BUFFER) {
                n += p.numel();
            }
        }
        return n;
    }

    /** Converts every parameter and buffer to {@code dtype} (float64 for gradient checks); returns this model. */
    public Model to(DType dtype) {
        for (Layer l : layers) {
            l.to(dtype);
        }
        return this;
    }

    /** A text table: node name (layer type), output shape, parameter count, inbound nodes; then the totals. */
    public String summary() {
        return ModelSummary.render(this);
    }
}
