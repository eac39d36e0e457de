package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;

/** Elementwise product of two or more inputs of equal shape (gating). */
public final class Multiply extends Layer {
    public Multiply() {
        this(null);
    }

    public Multiply(String name) {
        super(name);
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.sameShapes(this, in, 2);
        return in[0].clone();
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        Tensor y = inputs[0];
        for (int i = 1; i < inputs.length; i++) {
            y = y.mul(inputs[i]);
        }
        return y;
    }
}
