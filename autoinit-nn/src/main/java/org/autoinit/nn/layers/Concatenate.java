package org.autoinit.nn.layers;

import java.util.Arrays;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ShapeOps;

/**
 * Concatenates inputs along one per-sample axis ({@code axis} counts over the sample shape, negative from
 * the end; default -1, the features/last axis). All other sizes must agree.
 */
public final class Concatenate extends Layer {
    private final int axis;
    private int resolvedAxis;

    public Concatenate() {
        this(null, -1);
    }

    public Concatenate(int axis) {
        this(null, axis);
    }

    public Concatenate(String name, int axis) {
        super(name);
        this.axis = axis;
    }

    @Override
    protected int[] doBuild(int[][] in) {
        if (in.length < 2) {
            throw new IllegalArgumentException(this + " expects at least 2 inputs, got " + in.length);
        }
        int r = in[0].length;
        int a = axis < 0 ? axis + r : axis;
        if (a < 0 || a >= r) {
            throw new IllegalArgumentException(this + ": axis " + axis + " out of range for sample shape " + Arrays.toString(in[0]));
        }
        int[] out = in[0].clone();
        for (int i = 1; i < in.length; i++) {
            boolean ok = in[i].length == r;
            for (int k = 0; ok && k < r; k++) {
                ok = k == a || in[i][k] == in[0][k];
            }
            if (!ok) {
                throw new IllegalArgumentException(this + ": shapes " + Arrays.toString(in[0]) + " and " + Arrays.toString(in[i])
                        + " differ outside axis " + axis);
            }
            out[a] += in[i][a];
        }
        resolvedAxis = a;
        return out;
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return ShapeOps.concat(resolvedAxis + 1, inputs);
    }

    /** The concatenation axis over the per-sample shape (resolved to non-negative after build). */
    public int axis() {
        return isBuilt() ? resolvedAxis : axis;
    }
}
