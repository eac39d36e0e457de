package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;

/** Elementwise sum of two or more inputs of equal shape (residual connections). */
public final class Add extends Layer {
    public Add() {
        this(null);
    }

    public Add(String name) {
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
            y = y.add(inputs[i]);
        }
        return y;
    }
}
