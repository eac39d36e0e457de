package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;

/** Flattens each sample to one dimension, row-major: {@code [N, C, H, W] -> [N, C*H*W]} (as torch.nn.Flatten). */
public final class Flatten extends Layer {
    public Flatten() {
        this(null);
    }

    public Flatten(String name) {
        super(name);
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.single(this, in);
        return new int[] {Shape.numel(in[0])};
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return inputs[0].reshape(inputs[0].dim(0), -1);
    }
}
