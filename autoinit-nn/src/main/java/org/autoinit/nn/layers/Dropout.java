package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;

/**
 * Inverted dropout: in training each entry is zeroed with probability p and survivors scaled by 1/(1-p);
 * the identity in eval. Draws from the context's generator.
 */
public final class Dropout extends Layer {
    private final double p;

    public Dropout(double p) {
        this(null, p);
    }

    public Dropout(String name, double p) {
        super(name);
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.single(this, in);
        return in[0].clone();
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        if (!ctx.training() || p == 0) {
            return inputs[0];
        }
        return org.autoinit.tensor.ops.Dropout.dropout(inputs[0], p, true, ctx.rng());
    }

    public double rate() {
        return p;
    }
}
