package org.autoinit.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.autoinit.tensor.autograd.Backward;
import org.autoinit.tensor.autograd.GradMode;
import org.autoinit.tensor.memory.StepStorage;
import org.autoinit.tensor.ops.Elementwise;
import org.autoinit.tensor.ops.MatMul;
import org.autoinit.tensor.ops.Reductions;
import org.autoinit.tensor.ops.ShapeOps;
import org.autoinit.tensor.ops.Unary;

/**
 * A dense row-major n-dimensional array of float32 or float64 that records the ops applied to it
 * (define-by-run) so that {@link #backward()} can compute gradients.
 *
 * <p>Storage is a plain {@code float[]} or {@code double[]} of exactly {@link #numel()} elements. Tensors
 * are immutable from the point of view of autodiff: ops return new tensors; the few in-place methods
 * ({@code *_} suffix) are for optimizers and initializers and refuse tensors that are part of a graph.
 */
public final class Tensor {
    private final int[] shape;
    private final DType dtype;
    private final float[] f;
    private final double[] d;

    private boolean requiresGrad;
    private boolean retainGrad;
    private Tensor grad;
    /** True while {@link #grad} shares storage with a tensor this one does not own (copy before modifying it). */
    private boolean gradShared;
    /** True only while this tensor is the upstream gradient of a backward function that may overwrite it ({@link #isScratchGradient}). */
    private boolean scratchGradient;
    private Tensor[] inputs;
    private Backward backwardFn;
    private String op;
    private String name;

    private Tensor(int[] shape, DType dtype, float[] f, double[] d) {
        this.shape = shape;
        this.dtype = dtype;
        this.f = f;
        this.d = d;
    }

    // ------------------------------------------------------------------ creation

    /** Wraps (does not copy) a float array as a float32 tensor of the given shape. */
    public static Tensor of(float[] data, int... shape) {
        int[] s = Shape.checked(shape);
        if (Shape.numel(s) != data.length) {
            throw new IllegalArgumentException("Tensor.of: " + data.length + " values do not fill shape " + Shape.str(s));
        }
        return new Tensor(s, DType.FLOAT32, data, null);
    }

    /** Wraps (does not copy) a double array as a float64 tensor of the given shape. */
    public static Tensor of(double[] data, int... shape) {
        int[] s = Shape.checked(shape);
        if (Shape.numel(s) != data.length) {
            throw new IllegalArgumentException("Tensor.of: " + data.length + " values do not fill shape " + Shape.str(s));
        }
        return new Tensor(s, DType.FLOAT64, null, data);
    }

    /** A rank-0 tensor holding one value. */
    public static Tensor scalar(double value, DType dtype) {
        return full(value, dtype);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(DType dtype, int... shape) {
        int[] s = Shape.checked(shape);
        int n = Shape.numel(s);
        return dtype == DType.FLOAT32 ? new Tensor(s, dtype, new float[n], null) : new Tensor(s, dtype, null, new double[n]);
    }

    /** A tensor of ones. */
    public static Tensor ones(DType dtype, int... shape) {
        return full(1.0, dtype, shape);
    }

    /** A tensor with every element equal to {@code value}. */
    public static Tensor full(double value, DType dtype, int... shape) {
        Tensor t = zeros(dtype, shape);
        t.fill_(value);
        return t;
    }

    /** A zero tensor with the shape and dtype of {@code like}. */
    public static Tensor zerosLike(Tensor like) {
        return zeros(like.dtype, like.shape);
    }

    /** {@code [start, start+step, ...)} below {@code end}, as a 1-d tensor. */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0 || !Double.isFinite(step) || !Double.isFinite(start) || !Double.isFinite(end)) {
            throw new IllegalArgumentException("arange: start, end and step must be finite and step non-zero, got "
                    + start + ", " + end + ", " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        Tensor t = zeros(dtype, n);
        for (int i = 0; i < n; i++) {
            t.setFlat(i, start + i * step);
        }
        return t;
    }

    /** Uniform samples in [0, 1) from the given generator. */
    public static Tensor rand(RandomGenerator rng, DType dtype, int... shape) {
        Tensor t = zeros(dtype, shape);
        for (int i = 0; i < t.numel(); i++) {
            t.setFlat(i, rng.nextDouble());
        }
        return t;
    }

    /** Standard normal samples from the given generator. */
    public static Tensor randn(RandomGenerator rng, DType dtype, int... shape) {
        Tensor t = zeros(dtype, shape);
        for (int i = 0; i < t.numel(); i++) {
            t.setFlat(i, rng.nextGaussian());
        }
        return t;
    }

    // ------------------------------------------------------------------ accessors

    public int[] shape() {
        return shape.clone();
    }

    /** Size along one dimension (negative counts from the end). */
    public int dim(int axis) {
        return shape[Shape.axis("dim", axis, shape.length)];
    }

    public int rank() {
        return shape.length;
    }

    public int numel() {
        return f != null ? f.length : d.length;
    }

    public DType dtype() {
        return dtype;
    }

    /** The backing float32 array (no copy); throws for float64 tensors. */
    public float[] floatData() {
        if (f == null) {
            throw new IllegalArgumentException("floatData: tensor is " + dtype + ", not float32");
        }
        return f;
    }

    /** The backing float64 array (no copy); throws for float32 tensors. */
    public double[] doubleData() {
        if (d == null) {
            throw new IllegalArgumentException("doubleData: tensor is " + dtype + ", not float64");
        }
        return d;
    }

    /** Element at a flat (row-major) index, as a double. */
    public double getFlat(int i) {
        return f != null ? f[i] : d[i];
    }

    /** Sets the element at a flat index (no autodiff; for building data). */
    public void setFlat(int i, double v) {
        if (f != null) {
            f[i] = (float) v;
        } else {
            d[i] = v;
        }
    }

    /** Element at a multi-index. */
    public double get(int... index) {
        return getFlat(flatIndex(index));
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: tensor of shape " + Shape.str(shape) + " has " + numel() + " elements, not 1");
        }
        return getFlat(0);
    }

    /** A copy of the values as doubles. */
    public double[] toDoubleArray() {
        double[] out = new double[numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = getFlat(i);
        }
        return out;
    }

    /** A copy of the values as floats. */
    public float[] toFloatArray() {
        float[] out = new float[numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) getFlat(i);
        }
        return out;
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: index " + Arrays.toString(index) + " has " + index.length
                    + " dimensions but the tensor has shape " + Shape.str(shape));
        }
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IllegalArgumentException("get: index " + Arrays.toString(index) + " out of bounds for shape " + Shape.str(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return flat;
    }

    public String name() {
        return name;
    }

    /** Names the tensor (used in error messages and checkpoints). */
    public Tensor name(String n) {
        this.name = n;
        return this;
    }

    /** The op that produced this tensor, or null for a leaf. */
    public String op() {
        return op;
    }

    // ------------------------------------------------------------------ in-place (optimizers, initializers)

    /** Sets every element to {@code v}. */
    public Tensor fill_(double v) {
        requireNotInGraph("fill_");
        if (f != null) {
            Arrays.fill(f, (float) v);
        } else {
            Arrays.fill(d, v);
        }
        return this;
    }

    /** Copies the values of {@code src} (same shape; dtype converted). */
    public Tensor copy_(Tensor src) {
        requireNotInGraph("copy_");
        if (!Arrays.equals(shape, src.shape)) {
            throw new IllegalArgumentException("copy_: shapes " + Shape.str(src.shape) + " and " + Shape.str(shape) + " differ");
        }
        if (f != null && src.f != null) {
            System.arraycopy(src.f, 0, f, 0, f.length);
        } else if (d != null && src.d != null) {
            System.arraycopy(src.d, 0, d, 0, d.length);
        } else {
            for (int i = 0; i < numel(); i++) {
                setFlat(i, src.getFlat(i));
            }
        }
        return this;
    }

    /** {@code this += alpha * other} elementwise (same shape), no autodiff. */
    public Tensor addScaled_(Tensor other, double alpha) {
        requireNotInGraph("addScaled_");
        if (!Arrays.equals(shape, other.shape)) {
            throw new IllegalArgumentException("addScaled_: shapes " + Shape.str(shape) + " and " + Shape.str(other.shape) + " differ");
        }
        if (f != null && other.f != null) {
            float a = (float) alpha;
            for (int i = 0; i < f.length; i++) {
                f[i] += a * other.f[i];
            }
        } else {
            for (int i = 0; i < numel(); i++) {
                setFlat(i, getFlat(i) + alpha * other.getFlat(i));
            }
        }
        return this;
    }

    /** {@code this *= alpha}, no autodiff. */
    public Tensor scale_(double alpha) {
        requireNotInGraph("scale_");
        if (f != null) {
            float a = (float) alpha;
            for (int i = 0; i < f.length; i++) {
                f[i] *= a;
            }
        } else {
            for (int i = 0; i < d.length; i++) {
                d[i] *= alpha;
            }
        }
        return this;
    }

    private void requireNotInGraph(String method) {
        if (inputs != null) {
            throw new IllegalStateException(method + ": tensor produced by '" + op
                    + "' is part of an autodiff graph; modify a detach()ed copy instead");
        }
    }

    /** A copy with its own storage, not connected to the graph. */
    public Tensor copy() {
        return f != null ? new Tensor(shape.clone(), dtype, f.clone(), null) : new Tensor(shape.clone(), dtype, null, d.clone());
    }

    /** Same storage, cut from the graph (as {@code torch.Tensor.detach}). */
    public Tensor detach() {
        return new Tensor(shape, dtype, f, d);
    }

    /** Same storage viewed with another shape of equal size, not connected to the graph. */
    public Tensor viewAs(int... newShape) {
        int[] s = Shape.checked(newShape);
        if (Shape.numel(s) != numel()) {
            throw new IllegalArgumentException("view: shape " + Shape.str(s) + " is invalid for input of size " + numel());
        }
        return new Tensor(s, dtype, f, d);
    }

    // ------------------------------------------------------------------ autodiff

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as a parameter/input whose gradient is wanted. */
    public Tensor requiresGrad(boolean on) {
        if (!on && inputs != null) {
            throw new IllegalArgumentException("requiresGrad(false): tensor produced by '" + op + "' is part of a graph; use detach()");
        }
        this.requiresGrad = on;
        return this;
    }

    /** Keeps the gradient of a non-leaf tensor after backward (leaves always keep theirs). */
    public Tensor retainGrad() {
        this.retainGrad = true;
        return this;
    }

    /** The accumulated gradient, or null. */
    public Tensor grad() {
        return grad;
    }

    /**
     * True while this tensor is the upstream gradient handed to a backward function and nothing else holds its storage
     * (a non-retained gradient its tensor owns: not shared with another tensor's gradient, nor the caller's upstream of
     * {@link #backward(Tensor, boolean)}). The backward function may then overwrite it, e.g. mask it in place or write
     * its input's gradient into it, instead of allocating a tensor of the same size. False everywhere else.
     */
    public boolean isScratchGradient() {
        return scratchGradient;
    }

    /** Clears the gradient (as {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        grad = null;
    }

    /** True when this tensor was produced by a recorded op. */
    public boolean isLeaf() {
        return inputs == null;
    }

    /**
     * The tensors this one was computed from (empty for a leaf). Optional inputs an op was recorded without (a
     * convolution without bias records {@code null} in its place) are left out.
     */
    public List<Tensor> inputs() {
        if (inputs == null) {
            return List.of();
        }
        List<Tensor> present = new java.util.ArrayList<>(inputs.length);
        for (Tensor t : inputs) {
            if (t != null) {
                present.add(t);
            }
        }
        return java.util.Collections.unmodifiableList(present);
    }

    /**
     * Adds {@code g} to this tensor's gradient. Called by backward functions; a tensor used several
     * times receives the sum of all contributions.
     */
    public void accumulateGrad(Tensor g) {
        if (!Arrays.equals(g.shape, shape)) {
            throw new IllegalStateException("gradient of shape " + Shape.str(g.shape) + " for tensor of shape " + Shape.str(shape)
                    + (op != null ? " (output of " + op + ")" : ""));
        }
        if (grad == null) {
            gradShared = false;
            if (g.dtype != dtype) {
                grad = g.detach().to(dtype);
            } else if (inputs != null && !retainGrad) {
                // An intermediate's gradient is only read by its own backward, then dropped: share g's storage
                // (copied before a second contribution is added, below).
                grad = g.detach();
                gradShared = true;
            } else {
                grad = g.detach().copy();
            }
        } else {
            if (gradShared) {
                grad = grad.copy();
                gradShared = false;
            }
            grad.addScaled_(g, 1.0);
        }
    }

    /**
     * As {@link #accumulateGrad}, for a gradient the caller has just allocated and hands over: when this tensor has
     * no gradient yet, {@code g} itself becomes the gradient instead of a copy. The caller must not use {@code g}
     * afterwards nor pass it to any other tensor (backward functions call this with their fresh result buffers).
     */
    public void accumulateGradOwned(Tensor g) {
        if (g.dtype == dtype && g.inputs == null && Arrays.equals(g.shape, shape) && (grad == null || gradShared)) {
            if (grad != null) {
                // The gradient so far shares another tensor's storage: add it into g (ours to overwrite) rather than
                // copying it first. Same bits: a + b == b + a.
                g.addScaled_(grad, 1.0);
            }
            grad = g;
            gradShared = false;
            return;
        }
        accumulateGrad(g);
    }

    /**
     * Records that {@code out} was computed from {@code ins} by {@code opName} with the given backward,
     * if grad mode is on and some input requires a gradient. Returns {@code out}.
     */
    public static Tensor record(String opName, Tensor out, Backward backward, Tensor... ins) {
        out.op = opName;
        if (!GradMode.isEnabled()) {
            return out;
        }
        for (Tensor t : ins) {
            if (t != null && t.requiresGrad) {
                out.requiresGrad = true;
                out.inputs = ins;
                out.backwardFn = backward;
                return out;
            }
        }
        return out;
    }

    /** Backward from a one-element tensor, with upstream gradient 1. */
    public void backward() {
        if (numel() != 1) {
            throw new IllegalArgumentException("backward: grad can be implicitly created only for a one-element output, got shape "
                    + Shape.str(shape) + "; pass an upstream gradient");
        }
        backward(Tensor.ones(dtype, shape), false);
    }

    /** Backward with a given upstream gradient; the graph is released unless {@code retainGraph}. */
    public void backward(Tensor upstream, boolean retainGraph) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward: tensor does not require grad and has no grad_fn");
        }
        if (!Arrays.equals(upstream.shape, shape)) {
            throw new IllegalArgumentException("backward: upstream gradient of shape " + Shape.str(upstream.shape)
                    + " does not match output shape " + Shape.str(shape));
        }
        List<Tensor> order = topologicalOrder();
        // Non-leaf gradients are cleared after each pass unless retained, so a root starts from `upstream`.
        accumulateGrad(upstream);
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                if (!retainGraph) {
                    // Drop the list's reference: once its backward has run, an activation is kept alive only by
                    // whoever still holds it (its consumers' closures are released above), so its memory can be
                    // reclaimed while the rest of the backward pass allocates gradients, as PyTorch frees saved tensors.
                    order.set(i, null);
                }
                if (t.backwardFn == null) {
                    continue;
                }
                if (t.grad != null) {
                    Tensor g = t.grad;
                    // Dropped right after this call unless retained, and shared with no other tensor: the function may reuse it.
                    boolean scratch = !t.gradShared && !t.retainGrad;
                    g.scratchGradient = scratch;
                    try {
                        t.backwardFn.apply(g);
                    } finally {
                        g.scratchGradient = false;
                    }
                    if (scratch) {
                        // Dead now unless handed on to an input: step storage may reuse it for the rest of the pass.
                        StepStorage.releaseGradient(g, t.inputs);
                    }
                }
                if (!t.retainGrad) {
                    t.grad = null;
                }
                if (!retainGraph) {
                    // Step storage (if a scope is open) takes t's array back for the rest of the pass.
                    StepStorage.releaseOutput(t, t.inputs);
                    t.backwardFn = null;
                    t.inputs = null;
                }
            }
        }
    }

    /** Graph nodes reachable from this tensor, inputs before outputs (iterative DFS, no recursion limit). */
    private List<Tensor> topologicalOrder() {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {this, 0});
        seen.add(this);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] ins = t.inputs;
            if (ins != null && next < ins.length) {
                frame[1] = next + 1;
                Tensor c = ins[next];
                if (c != null && c.requiresGrad && seen.add(c)) {
                    stack.push(new Object[] {c, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }

    // ------------------------------------------------------------------ ops (delegating to tensor.ops)

    public Tensor add(Tensor o) { return Elementwise.add(this, o); }
    public Tensor sub(Tensor o) { return Elementwise.sub(this, o); }
    public Tensor mul(Tensor o) { return Elementwise.mul(this, o); }
    public Tensor div(Tensor o) { return Elementwise.div(this, o); }
    public Tensor add(double c) { return Elementwise.add(this, scalarLike(c)); }
    public Tensor sub(double c) { return Elementwise.sub(this, scalarLike(c)); }
    public Tensor mul(double c) { return Elementwise.mul(this, scalarLike(c)); }
    public Tensor div(double c) { return Elementwise.div(this, scalarLike(c)); }
    public Tensor pow(double p) { return Unary.pow(this, p); }
    public Tensor pow(Tensor p) { return Elementwise.pow(this, p); }
    public Tensor maximum(Tensor o) { return Elementwise.maximum(this, o); }
    public Tensor minimum(Tensor o) { return Elementwise.minimum(this, o); }
    public Tensor neg() { return Unary.neg(this); }
    public Tensor exp() { return Unary.exp(this); }
    public Tensor log() { return Unary.log(this); }
    public Tensor sqrt() { return Unary.sqrt(this); }
    public Tensor abs() { return Unary.abs(this); }
    public Tensor clamp(double lo, double hi) { return Unary.clamp(this, lo, hi); }

    public Tensor sum(int... axes) { return Reductions.sum(this, false, axes); }
    public Tensor sum(boolean keepDim, int... axes) { return Reductions.sum(this, keepDim, axes); }
    public Tensor mean(int... axes) { return Reductions.mean(this, false, axes); }
    public Tensor mean(boolean keepDim, int... axes) { return Reductions.mean(this, keepDim, axes); }
    public Tensor max(boolean keepDim, int... axes) { return Reductions.max(this, keepDim, axes); }
    public Tensor min(boolean keepDim, int... axes) { return Reductions.min(this, keepDim, axes); }
    public Tensor var(boolean keepDim, int... axes) { return Reductions.var(this, keepDim, axes); }
    public Tensor argmax(int axis) { return Reductions.argmax(this, axis); }

    public Tensor matmul(Tensor o) { return MatMul.matmul(this, o); }

    public Tensor reshape(int... newShape) { return ShapeOps.reshape(this, newShape); }
    public Tensor flatten(int startDim) { return ShapeOps.flatten(this, startDim, -1); }
    public Tensor transpose(int a, int b) { return ShapeOps.transpose(this, a, b); }
    public Tensor permute(int... order) { return ShapeOps.permute(this, order); }
    public Tensor narrow(int axis, int start, int length) { return ShapeOps.narrow(this, axis, start, length); }

    /** Converts to another dtype (differentiable; the gradient is converted back). */
    public Tensor to(DType target) {
        if (target == dtype) {
            return this;
        }
        Tensor out = zeros(target, shape);
        for (int i = 0; i < numel(); i++) {
            out.setFlat(i, getFlat(i));
        }
        Tensor self = this;
        return record("to(" + target + ")", out, g -> self.accumulateGrad(g.to(self.dtype)), this);
    }

    /** A rank-0 tensor of this tensor's dtype. */
    public Tensor scalarLike(double c) {
        return scalar(c, dtype);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(shape=").append(Shape.str(shape)).append(", dtype=").append(dtype);
        if (op != null) {
            sb.append(", op=").append(op);
        }
        sb.append(", values=[");
        int n = Math.min(numel(), 8);
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? ", " : "").append(getFlat(i));
        }
        return sb.append(numel() > n ? ", ...])" : "])").toString();
    }

    /** Checks two tensors have the same dtype, naming the op in the error. */
    public static void requireSameDType(String op, Tensor a, Tensor b) {
        if (a.dtype != b.dtype) {
            throw new IllegalArgumentException(op + ": dtypes " + a.dtype + " and " + b.dtype + " differ; convert with to()");
        }
    }

}
