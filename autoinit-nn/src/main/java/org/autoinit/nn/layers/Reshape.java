package org.autoinit.nn.layers;

import java.util.Arrays;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;

/** Reshapes each sample to {@code target} (one entry may be -1, inferred); the batch dimension is kept. */
public final class Reshape extends Layer {
    private final int[] target;
    private int[] resolved;

    public Reshape(int... target) {
        this(null, target);
    }

    public Reshape(String name, int... target) {
        super(name);
        this.target = target.clone();
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.single(this, in);
        int n = Shape.numel(in[0]);
        int[] s = target.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1 && infer < 0) {
                infer = i;
            } else if (s[i] <= 0) {
                throw new IllegalArgumentException(this + ": invalid target shape " + Arrays.toString(target));
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0 && known > 0 && n % known == 0) {
            s[infer] = (int) (n / known);
        }
        if ((infer >= 0 && s[infer] == -1) || Shape.numel(s) != n) {
            throw new IllegalArgumentException(this + ": shape " + Arrays.toString(target) + " is invalid for a sample of shape "
                    + Arrays.toString(in[0]) + " (" + n + " elements)");
        }
        resolved = s;
        return s.clone();
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        int[] s = new int[resolved.length + 1];
        s[0] = inputs[0].dim(0);
        System.arraycopy(resolved, 0, s, 1, resolved.length);
        return inputs[0].reshape(s);
    }

    public int[] target() {
        return target.clone();
    }
}
