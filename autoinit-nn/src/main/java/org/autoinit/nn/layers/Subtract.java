package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;

/** {@code x0 - x1} for two inputs of equal shape. */
public final class Subtract extends Layer {
    public Subtract() {
        this(null);
    }

    public Subtract(String name) {
        super(name);
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.sameShapes(this, in, 2);
        if (in.length != 2) {
            throw new IllegalArgumentException(this + " expects exactly 2 inputs, got " + in.length);
        }
        return in[0].clone();
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return inputs[0].sub(inputs[1]);
    }
}
