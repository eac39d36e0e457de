package org.autoinit.nn.layers;

import org.autoinit.nn.Fans;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.Tensor;

/**
 * Adds a learned positional embedding {@code pos [1, seq, dim]} (kind POSITIONAL) to tokens {@code [N, seq, dim]}.
 * The init schemes draw it from N(0, 0.02^2) (PyTorch ViT convention). Fans reported as (dim, seq), PyTorch's
 * fans of a {@code [1, seq, dim]} tensor would be (seq*dim, dim); they are informational only.
 */
public final class PositionalEmbedding extends Layer {
    private Parameter pos;

    public PositionalEmbedding() {
        this(null);
    }

    public PositionalEmbedding(String name) {
        super(name);
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.rank(this, in, 2, "(tokens, features)");
        pos = addParameter("pos", ParamKind.POSITIONAL, new int[] {1, in[0][0], in[0][1]}, new Fans(in[0][1], in[0][0]));
        return in[0].clone();
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return inputs[0].add(pos.value());
    }

    /** The [1, seq, dim] table. */
    public Parameter pos() {
        return pos;
    }
}
