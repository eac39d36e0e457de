package org.autoinit.nn.layers;

import java.util.Arrays;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;

/**
 * Permutes the per-sample dimensions: {@code order} is 0-based over the sample shape (the batch dimension
 * stays first), e.g. {@code new Permute(1, 0)} turns {@code [N, S, D]} into {@code [N, D, S]}.
 */
public final class Permute extends Layer {
    private final int[] order;

    public Permute(int... order) {
        this(null, order);
    }

    public Permute(String name, int... order) {
        super(name);
        this.order = order.clone();
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.single(this, in);
        int r = in[0].length;
        boolean[] seen = new boolean[r];
        boolean ok = order.length == r;
        for (int i = 0; ok && i < r; i++) {
            ok = order[i] >= 0 && order[i] < r && !seen[order[i]];
            if (ok) {
                seen[order[i]] = true;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException(this + ": order " + Arrays.toString(order) + " is not a permutation of the "
                    + r + " sample dimensions of " + Arrays.toString(in[0]));
        }
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            out[i] = in[0][order[i]];
        }
        return out;
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        int[] full = new int[order.length + 1];
        for (int i = 0; i < order.length; i++) {
            full[i + 1] = order[i] + 1;
        }
        return inputs[0].permute(full);
    }

    public int[] order() {
        return order.clone();
    }
}
