package org.autoinit.nn;

import java.util.Arrays;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * A named tensor owned by a layer. {@link #value()} is a leaf tensor with {@code requiresGrad == trainable()};
 * initializers and optimizers write into it in place. Buffers (running statistics) are never trainable.
 */
public final class Parameter {
    private final String name;
    private final ParamKind kind;
    private final Fans fans;
    private final Layer owner;
    private Tensor value;
    private boolean trainable;

    Parameter(Layer owner, String name, ParamKind kind, Tensor value, Fans fans) {
        if ((kind == ParamKind.WEIGHT || kind == ParamKind.EMBEDDING) && fans == null) {
            throw new IllegalArgumentException("Parameter '" + name + "' of kind " + kind + " needs explicit fans");
        }
        this.owner = owner;
        this.name = name;
        this.kind = kind;
        this.fans = fans;
        this.trainable = kind != ParamKind.BUFFER;
        this.value = value.requiresGrad(trainable);
    }

    /** Local name within the owning layer: "weight", "bias", "gamma", "beta", "running_mean", ... */
    public String name() {
        return name;
    }

    /** "ownerName.name", the key used by {@link Model#namedParameters()}. */
    public String qualifiedName() {
        return owner.name() + "." + name;
    }

    /** The live tensor. */
    public Tensor value() {
        return value;
    }

    /**
     * Replaces the value by a detached copy of {@code t} (same shape; the dtype may change, as in {@link Model#to}).
     * An optimizer created earlier still holds the old tensor: to change values in place use {@code value().copy_(t)}.
     */
    public void set(Tensor t) {
        if (!Arrays.equals(t.shape(), value.shape())) {
            throw new IllegalArgumentException("Parameter " + qualifiedName() + ": cannot set a value of shape "
                    + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(value.shape()));
        }
        value = t.detach().copy().requiresGrad(trainable);
    }

    /** Converts the value to {@code dtype} (a no-op when it already is). */
    public void to(DType dtype) {
        if (value.dtype() != dtype) {
            value = value.detach().to(dtype).requiresGrad(trainable);
        }
    }

    public ParamKind kind() {
        return kind;
    }

    /** Fans of the weight this parameter belongs to (biases carry their weight's fans); null for norms/buffers. */
    public Fans fans() {
        return fans;
    }

    public boolean trainable() {
        return trainable;
    }

    /** Freezes or unfreezes; buffers cannot be made trainable. */
    public void setTrainable(boolean t) {
        if (t && kind == ParamKind.BUFFER) {
            throw new IllegalArgumentException("Parameter " + qualifiedName() + " is a buffer and cannot be trainable");
        }
        trainable = t;
        value.zeroGrad();
        value.requiresGrad(t);
    }

    public Layer owner() {
        return owner;
    }

    public int[] shape() {
        return value.shape();
    }

    public int numel() {
        return value.numel();
    }

    @Override
    public String toString() {
        return "Parameter(" + qualifiedName() + ", " + kind + ", shape=" + Arrays.toString(value.shape()) + (trainable ? "" : ", frozen") + ")";
    }
}
