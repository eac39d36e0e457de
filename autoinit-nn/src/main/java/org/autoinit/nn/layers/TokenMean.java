package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;

/** Mean over tokens, {@code [N, S, D] -> [N, D]} (the ViT head's pooling; Keras GlobalAveragePooling1D). */
public final class TokenMean extends Layer {
    public TokenMean() {
        this(null);
    }

    public TokenMean(String name) {
        super(name);
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.rank(this, in, 2, "(tokens, features)");
        return new int[] {in[0][1]};
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return inputs[0].mean(1);
    }
}
