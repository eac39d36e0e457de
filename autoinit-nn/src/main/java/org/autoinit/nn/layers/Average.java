package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;

/** Elementwise mean of two or more inputs of equal shape: {@code (x0 + ... + x_{n-1}) / n}. */
public final class Average extends Layer {
    public Average() {
        this(null);
    }

    public Average(String name) {
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
        return y.mul(1.0 / inputs.length);
    }
}
