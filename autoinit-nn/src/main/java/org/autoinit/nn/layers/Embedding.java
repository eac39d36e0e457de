package org.autoinit.nn.layers;

import org.autoinit.nn.Fans;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.Tensor;

/**
 * Token embedding: integer ids {@code [N, S]} (held in a float tensor) -> rows of {@code weight [vocab, dim]},
 * giving {@code [N, S, dim]}. Fans as PyTorch computes them for a {@code [vocab, dim]} tensor: (dim, vocab).
 */
public final class Embedding extends Layer {
    private final int vocab;
    private final int dim;
    private Parameter weight;

    public Embedding(int vocab, int dim) {
        this(null, vocab, dim);
    }

    public Embedding(String name, int vocab, int dim) {
        super(name);
        if (vocab <= 0 || dim <= 0) {
            throw new IllegalArgumentException("Embedding: vocabulary size and dim must be positive, got " + vocab + ", " + dim);
        }
        this.vocab = vocab;
        this.dim = dim;
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.single(this, in);
        weight = addParameter("weight", ParamKind.EMBEDDING, new int[] {vocab, dim}, new Fans(dim, vocab));
        int[] out = new int[in[0].length + 1];
        System.arraycopy(in[0], 0, out, 0, in[0].length);
        out[in[0].length] = dim;
        return out;
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        int[] ids = new int[x.numel()];
        for (int i = 0; i < ids.length; i++) {
            double v = x.getFlat(i);
            if (v != Math.rint(v) || v < 0 || v >= vocab) {
                throw new IllegalArgumentException(this + ": id " + v + " at flat index " + i + " is not an integer in [0, " + vocab + ")");
            }
            ids[i] = (int) v;
        }
        return org.autoinit.tensor.ops.Embedding.lookup(weight.value(), ids, x.shape());
    }

    @Override
    protected boolean checksInputDType() {
        return false;
    }

    public int vocab() { return vocab; }
    public int dim() { return dim; }
    /** The [vocab, dim] table. */
    public Parameter weight() { return weight; }
}
