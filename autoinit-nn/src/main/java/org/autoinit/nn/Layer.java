package org.autoinit.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * A layer: named parameters, a build step that fixes the per-sample input shapes (batch dimension excluded)
 * and creates the parameters, and a forward pass on batched tensors. Lifecycle: construct, build (by
 * {@link #apply(Node...)} or {@link #build(int[]...)}), initialize (an {@code InitScheme}), run.
 *
 * <p>Layers made of other layers (attention, transformer blocks) register them with {@link #addChild};
 * {@link #parameters()} then lists the children's parameters too, each still owned by its leaf layer.
 */
public abstract class Layer {
    private static final Map<String, AtomicInteger> COUNTERS = new ConcurrentHashMap<>();

    private final String name;
    private final List<Parameter> params = new ArrayList<>();
    private final List<Layer> children = new ArrayList<>();
    private DType dtype = DType.FLOAT32;
    private int[][] inputShapes;
    private int[] outputShape;
    private int uses;

    /** @param name the layer name, or null for an automatic one ("dense_3"), unique per JVM and type */
    protected Layer(String name) {
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": layer name must not be blank");
        }
        this.name = name != null ? name : autoName(getClass().getSimpleName());
    }

    private static String autoName(String type) {
        String base = type.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
        return base + "_" + COUNTERS.computeIfAbsent(base, k -> new AtomicInteger()).incrementAndGet();
    }

    public String name() {
        return name;
    }

    /** The layer kind, e.g. "Dense", "Conv2d". */
    public String type() {
        return getClass().getSimpleName();
    }

    public boolean isBuilt() {
        return outputShape != null;
    }

    /**
     * Fixes the per-sample input shapes (batch dimension excluded), creates the parameters and returns the
     * per-sample output shape. A built layer only accepts the same shapes again (shared layers).
     */
    public final int[] build(int[]... shapes) {
        int[][] copy = new int[shapes.length][];
        for (int i = 0; i < shapes.length; i++) {
            copy[i] = shapes[i].clone();
        }
        if (isBuilt()) {
            if (!Arrays.deepEquals(copy, inputShapes)) {
                throw new IllegalArgumentException(this + " was built for input shapes " + shapesStr(inputShapes)
                        + " and cannot be applied to " + shapesStr(copy) + " (a shared layer needs the same shapes every time)");
            }
            return outputShape.clone();
        }
        int[] out = doBuild(copy);
        inputShapes = copy;
        outputShape = out.clone();
        return out.clone();
    }

    /** Validates the input shapes (throwing IllegalArgumentException naming this layer), creates parameters, returns the output shape. */
    protected abstract int[] doBuild(int[][] inputShapes);

    /**
     * Runs the layer on batched inputs (leading batch dimension). Checks that the layer is built and that
     * each input has shape {@code [N, built shape...]}, then calls {@link #doForward}.
     */
    public Tensor forward(ForwardContext ctx, Tensor... inputs) {
        requireBuilt();
        checkInputs(inputs);
        return doForward(ctx, inputs);
    }

    /** The computation, on inputs already checked against the built shapes. */
    protected abstract Tensor doForward(ForwardContext ctx, Tensor[] inputs);

    /**
     * Whether {@code next.forward(this.forward(inputs))} has a fused form ({@link #forwardFused}) that gives the same
     * bits and keeps no copy of this layer's output for backward. {@link Model} uses it only where {@code next} reads
     * this layer's output alone and nothing else reads it. Default: no.
     */
    public boolean fusesWith(Layer next) {
        return false;
    }

    /** {@code next.forward(ctx, this.forward(ctx, inputs))} as one op, for a {@code next} this layer {@link #fusesWith}. */
    public final Tensor forwardFused(ForwardContext ctx, Layer next, Tensor... inputs) {
        if (!fusesWith(next)) {
            throw new IllegalArgumentException(this + " has no fused forward with " + next);
        }
        requireBuilt();
        checkInputs(inputs);
        return doForwardFused(ctx, next, inputs);
    }

    /** The fused computation of {@link #forwardFused}; layers that override {@link #fusesWith} override this. */
    protected Tensor doForwardFused(ForwardContext ctx, Layer next, Tensor[] inputs) {
        throw new UnsupportedOperationException(this + " declares a fusion with " + next + " but does not implement it");
    }

    /**
     * Whether {@code next(merge(..this layer's output at input slot, other..))} has a fused form
     * ({@link #forwardFusedMerge}) giving the same bits without keeping this layer's output nor the merge's; {@code
     * merge} is a two-input layer, {@code next} a one-input layer or null (the group ends at the merge). {@link Model}
     * uses it only where each output has that single reader. Default: no.
     */
    public boolean fusesWithMerge(Layer merge, int slot, Layer next) {
        return false;
    }

    /** {@code next(merge(this(inputs), other))} (this layer's output at merge input {@code slot}; no next when null) as one op. */
    public final Tensor forwardFusedMerge(ForwardContext ctx, Layer merge, int slot, Tensor other, Layer next, Tensor... inputs) {
        if (!fusesWithMerge(merge, slot, next)) {
            throw new IllegalArgumentException(this + " has no fused forward with " + merge + " and " + next);
        }
        requireBuilt();
        checkInputs(inputs);
        return doForwardFusedMerge(ctx, merge, slot, other, next, inputs);
    }

    /** The fused computation of {@link #forwardFusedMerge}; layers that override {@link #fusesWithMerge} override this. */
    protected Tensor doForwardFusedMerge(ForwardContext ctx, Layer merge, int slot, Tensor other, Layer next, Tensor[] inputs) {
        throw new UnsupportedOperationException(this + " declares a fusion with " + merge + " and " + next + " but does not implement it");
    }

    private void checkInputs(Tensor[] inputs) {
        if (inputs.length != inputShapes.length) {
            throw new IllegalArgumentException(this + " expects " + inputShapes.length + " input(s), got " + inputs.length);
        }
        for (int i = 0; i < inputs.length; i++) {
            int[] s = inputs[i].shape();
            int[] want = inputShapes[i];
            boolean ok = s.length == want.length + 1 && Arrays.equals(Arrays.copyOfRange(s, 1, s.length), want);
            if (!ok) {
                throw new IllegalArgumentException(this + ": input " + (inputs.length > 1 ? i + " " : "") + "of shape "
                        + Arrays.toString(s) + " does not match the built shape " + batched(want));
            }
            DType pd = checksInputDType() ? paramDType() : null;
            if (pd != null && inputs[i].dtype() != pd) {
                throw new IllegalArgumentException(this + ": input dtype " + inputs[i].dtype() + " differs from parameter dtype "
                        + pd + "; convert the model with to(" + inputs[i].dtype().name() + ")");
            }
        }
    }

    /** Whether inputs must have the parameters' dtype (false for layers whose input is not data, e.g. embedding ids). */
    protected boolean checksInputDType() {
        return true;
    }

    private DType paramDType() {
        List<Parameter> ps = parameters();
        return ps.isEmpty() ? null : ps.get(0).value().dtype();
    }

    /** Throws the "not built" error if the layer has not been built. */
    protected final void requireBuilt() {
        if (!isBuilt()) {
            throw new IllegalStateException(this + " is not built; apply it to a Node or call build(shape) first");
        }
    }

    /** Per-sample input shapes given at build time. */
    public int[][] inputShapes() {
        requireBuilt();
        int[][] c = new int[inputShapes.length][];
        for (int i = 0; i < c.length; i++) {
            c[i] = inputShapes[i].clone();
        }
        return c;
    }

    /** Per-sample output shape. */
    public int[] outputShape() {
        requireBuilt();
        return outputShape.clone();
    }

    /** All parameters: this layer's own (weights first), then each child's, in a stable order. */
    public List<Parameter> parameters() {
        if (children.isEmpty()) {
            return Collections.unmodifiableList(params);
        }
        List<Parameter> all = new ArrayList<>(params);
        for (Layer c : children) {
            all.addAll(c.parameters());
        }
        return Collections.unmodifiableList(all);
    }

    /** Layers this one is made of (empty for a plain layer). */
    public List<Layer> children() {
        return Collections.unmodifiableList(children);
    }

    /** Creates a zero-filled parameter of this layer's dtype (float32 unless converted). */
    protected Parameter addParameter(String pname, ParamKind kind, int[] shape, Fans fans) {
        for (Parameter p : params) {
            if (p.name().equals(pname)) {
                throw new IllegalStateException(this + " already has a parameter '" + pname + "'");
            }
        }
        Parameter p = new Parameter(this, pname, kind, Tensor.zeros(dtype, shape), fans);
        params.add(p);
        return p;
    }

    /** Registers a sub-layer; name it {@code name() + "." + local} so its parameters get qualified names. */
    protected <L extends Layer> L addChild(L child) {
        ((Layer) child).dtype = dtype;
        children.add(child);
        return child;
    }

    /** Name for a child layer: "parent.local". */
    protected String childName(String local) {
        return name + "." + local;
    }

    /** The dtype new parameters are created with. */
    public DType dtype() {
        return dtype;
    }

    /** Converts all parameters (children included) to {@code target}; later-created ones use it too. */
    public Layer to(DType target) {
        dtype = target;
        for (Parameter p : params) {
            p.to(target);
        }
        for (Layer c : children) {
            c.to(target);
        }
        return this;
    }

    /**
     * Functional API: applies this layer to graph nodes and returns the new node. Builds the layer on the
     * first call; later calls (a shared layer) must bring the same shapes.
     */
    public Node apply(Node... inputs) {
        if (inputs.length == 0) {
            throw new IllegalArgumentException(this + ": apply needs at least one input node");
        }
        int[][] shapes = new int[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            shapes[i] = inputs[i].shape();
        }
        int[] out = build(shapes);
        uses++;
        return new Node(uses == 1 ? name : name + "_" + uses, this, List.of(inputs), out);
    }

    @Override
    public String toString() {
        return type() + " '" + name + "'";
    }

    /** "[N, a, b]" for a per-sample shape [a, b]. */
    static String batched(int[] sample) {
        StringBuilder sb = new StringBuilder("[N");
        for (int d : sample) {
            sb.append(", ").append(d);
        }
        return sb.append(']').toString();
    }

    static String shapesStr(int[][] shapes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shapes.length; i++) {
            sb.append(i > 0 ? ", " : "").append(Arrays.toString(shapes[i]));
        }
        return sb.toString();
    }
}
