package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.Pool;

/** Maximum over the spatial positions: {@code [N, C, H, W] -> [N, C]} (or {@code [N, C, L] -> [N, C]}). */
public final class GlobalMaxPool extends Layer {
    public GlobalMaxPool() {
        this(null);
    }

    public GlobalMaxPool(String name) {
        super(name);
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.single(this, in);
        if (in[0].length != 2 && in[0].length != 3) {
            throw new IllegalArgumentException(this + ": input of per-sample shape " + java.util.Arrays.toString(in[0])
                    + " must be (C, L) or (C, H, W) (batch dimension excluded)");
        }
        return new int[] {in[0][0]};
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return inputs[0].rank() == 4 ? Pool.globalMaxPool(inputs[0]) : inputs[0].max(false, 2);
    }
}
