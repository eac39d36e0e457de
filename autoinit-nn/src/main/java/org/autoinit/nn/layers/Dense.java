package org.autoinit.nn.layers;

import java.util.Arrays;

import org.autoinit.nn.Fans;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.Linear;

/**
 * Fully connected layer on the last dimension: {@code [..., in] -> [..., units]}, {@code y = x W + b}.
 * The weight is stored {@code [in, units]} (Keras layout; PyTorch's Linear stores the transpose), fans (in, units).
 */
public final class Dense extends Layer {
    private final int units;
    private final boolean useBias;
    private Parameter weight;
    private Parameter bias;

    public Dense(int units) {
        this(null, units, true);
    }

    public Dense(String name, int units) {
        this(name, units, true);
    }

    private Dense(String name, int units, boolean useBias) {
        super(name);
        if (units <= 0) {
            throw new IllegalArgumentException("Dense: units must be positive, got " + units);
        }
        this.units = units;
        this.useBias = useBias;
    }

    public static Builder builder(int units) {
        return new Builder(units);
    }

    /** Optional settings of a Dense layer; {@code units} is required. */
    public static final class Builder {
        private final int units;
        private boolean bias = true;
        private String name;

        private Builder(int units) {
            this.units = units;
        }

        public Builder bias(boolean b) {
            bias = b;
            return this;
        }

        public Builder name(String n) {
            name = n;
            return this;
        }

        public Dense build() {
            return new Dense(name, units, bias);
        }
    }

    @Override
    protected int[] doBuild(int[][] in) {
        if (in.length != 1 || in[0].length < 1) {
            throw new IllegalArgumentException(this + " expects one input of shape [..., features], got " + Arrays.deepToString(in));
        }
        int features = in[0][in[0].length - 1];
        Fans fans = new Fans(features, units);
        weight = addParameter("weight", ParamKind.WEIGHT, new int[] {features, units}, fans);
        if (useBias) {
            bias = addParameter("bias", ParamKind.BIAS, new int[] {units}, fans);
        }
        int[] out = in[0].clone();
        out[out.length - 1] = units;
        return out;
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        // One fused node (GEMM, bias added in place): same values as matmul + add, one output buffer instead of two.
        return Linear.linear(inputs[0], weight.value(), bias != null ? bias.value() : null);
    }

    /** Fuses with a two-input {@link Add} that ends the group (a residual join): {@link Linear#linearAdd}, same bits. */
    @Override
    public boolean fusesWithMerge(Layer merge, int slot, Layer next) {
        return merge instanceof Add && merge.isBuilt() && merge.inputShapes().length == 2 && next == null;
    }

    @Override
    protected Tensor doForwardFusedMerge(ForwardContext ctx, Layer merge, int slot, Tensor other, Layer next, Tensor[] inputs) {
        return linearAdd(ctx, inputs[0], other, slot, merge);
    }

    /** {@code merge(this(x) at input slot, other)}, fused when shapes and dtypes allow (else the two layers). */
    Tensor linearAdd(ForwardContext ctx, Tensor x, Tensor other, int slot, Layer merge) {
        int[] os = x.shape().clone();
        os[os.length - 1] = units;
        Tensor b = bias != null ? bias.value() : null;
        if (other.dtype() != x.dtype() || !Arrays.equals(other.shape(), os)) {
            Tensor y = Linear.linear(x, weight.value(), b);
            return merge.forward(ctx, slot == 0 ? new Tensor[] {y, other} : new Tensor[] {other, y});
        }
        return Linear.linearAdd(x, weight.value(), b, other);
    }

    public int units() {
        return units;
    }

    public boolean hasBias() {
        return useBias;
    }

    /** The [in, units] kernel (null before build). */
    public Parameter weight() {
        return weight;
    }

    /** The [units] bias, or null without bias. */
    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        requireBuilt();
        return weight.shape()[0];
    }
}
