package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;

/**
 * Channel (spatial) dropout of {@code [N, C, ...]}: in training whole channels are zeroed with probability p,
 * survivors scaled by 1/(1-p) (torch Dropout2d, Keras SpatialDropout2D); the identity in eval.
 */
public final class SpatialDropout extends Layer {
    private final double p;

    public SpatialDropout(double p) {
        this(null, p);
    }

    public SpatialDropout(String name, double p) {
        super(name);
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("SpatialDropout: probability must be in [0, 1), got " + p);
        }
        this.p = p;
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.single(this, in);
        if (in[0].length < 2) {
            throw new IllegalArgumentException(this + ": input of per-sample shape " + java.util.Arrays.toString(in[0])
                    + " must have channels and at least one spatial dimension (C, ...)");
        }
        return in[0].clone();
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        if (!ctx.training() || p == 0) {
            return inputs[0];
        }
        return org.autoinit.tensor.ops.Dropout.channelDropout(inputs[0], p, true, ctx.rng());
    }

    public double rate() {
        return p;
    }
}
