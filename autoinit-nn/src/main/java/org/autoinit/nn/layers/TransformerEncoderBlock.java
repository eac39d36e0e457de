package org.autoinit.nn.layers;

import org.autoinit.nn.Block;
import org.autoinit.nn.Node;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * Transformer encoder block on tokens {@code [S, D]}, as a subgraph of ordinary layers (children named
 * "block.ln1", "block.attn", "block.fc1", ...):
 * <ul>
 * <li>pre-LN (default): {@code h = x + Drop(MHA(LN1(x)));  y = h + Drop(fc2(act(fc1(LN2(h)))))}</li>
 * <li>post-LN: {@code h = LN1(x + Drop(MHA(x)));  y = LN2(h + Drop(fc2(act(fc1(h)))))}</li>
 * <li>without normalization ({@code normalization(false)}, for initialization studies): {@code h = x + Drop(MHA(x));
 *     y = h + Drop(fc2(act(fc1(h))))}</li>
 * </ul>
 * Defaults: GELU (exact), no dropout, LayerNorm eps 1e-5, separate q/k/v projections.
 */
public final class TransformerEncoderBlock extends Block {
    private final int heads, mlpDim;
    private final boolean preNorm, normalization, fusedQkv, causal;
    private final ActivationKind activation;
    private final double dropout, eps;
    private MultiHeadAttention attention;

    private TransformerEncoderBlock(Builder b) {
        super(b.name);
        if (b.heads <= 0 || b.mlpDim <= 0 || !(b.dropout >= 0 && b.dropout < 1)) {
            throw new IllegalArgumentException("TransformerEncoderBlock: heads and mlpDim must be positive and dropout in [0, 1), got "
                    + b.heads + ", " + b.mlpDim + ", " + b.dropout);
        }
        heads = b.heads;
        mlpDim = b.mlpDim;
        preNorm = b.preNorm;
        normalization = b.normalization;
        fusedQkv = b.fusedQkv;
        causal = b.causal;
        activation = b.activation;
        dropout = b.dropout;
        eps = b.eps;
    }

    /** {@code heads} attention heads and an MLP of width {@code mlpDim} are required. */
    public static Builder builder(int heads, int mlpDim) {
        return new Builder(heads, mlpDim);
    }

    /** Optional settings of a transformer encoder block. */
    public static final class Builder {
        private final int heads, mlpDim;
        private boolean preNorm = true, normalization = true, fusedQkv, causal;
        private ActivationKind activation = ActivationKind.GELU;
        private double dropout, eps = 1e-5;
        private String name;

        private Builder(int heads, int mlpDim) {
            this.heads = heads;
            this.mlpDim = mlpDim;
        }

        /** Normalize after each residual add (original Transformer) instead of before each branch. */
        public Builder postNorm() { preNorm = false; return this; }
        public Builder preNorm(boolean p) { preNorm = p; return this; }
        /** With false, the block has no LayerNorm at all (a plain residual attention + MLP block); default true. */
        public Builder normalization(boolean on) { normalization = on; return this; }
        /** One q|k|v Dense (as the PyTorch peer's Linear(d, 3d)). */
        public Builder fusedQkv(boolean f) { fusedQkv = f; return this; }
        public Builder causal(boolean c) { causal = c; return this; }
        public Builder activation(ActivationKind a) { activation = a; return this; }
        public Builder dropout(double p) { dropout = p; return this; }
        public Builder eps(double e) { eps = e; return this; }
        public Builder name(String n) { name = n; return this; }
        public TransformerEncoderBlock build() { return new TransformerEncoderBlock(this); }
    }

    @Override
    protected Node define(Node... in) {
        if (in.length != 1 || in[0].shape().length != 2) {
            throw new IllegalArgumentException(this + " expects one input of per-sample shape (tokens, features), got "
                    + (in.length == 1 ? java.util.Arrays.toString(in[0].shape()) : in.length + " inputs"));
        }
        Node x = in[0];
        int d = x.shape()[1];
        attention = MultiHeadAttention.builder(heads).fusedQkv(fusedQkv).causal(causal).name(childName("attn")).build();
        LayerNorm ln1 = new LayerNorm(childName("ln1"), 1, eps), ln2 = new LayerNorm(childName("ln2"), 1, eps);
        boolean pre = normalization && preNorm, post = normalization && !preNorm;
        Node a = attention.apply(pre ? ln1.apply(x) : x);
        a = drop("drop1", a);
        Node h = new Add(childName("add1")).apply(x, a);
        if (post) {
            h = ln1.apply(h);
        }
        Node m = new Dense(childName("fc1"), mlpDim).apply(pre ? ln2.apply(h) : h);
        m = Activation.builder(activation).name(childName("act")).build().apply(m);
        m = drop("drop2", new Dense(childName("fc2"), d).apply(m));
        Node y = new Add(childName("add2")).apply(h, m);
        return post ? ln2.apply(y) : y;
    }

    private Node drop(String local, Node x) {
        return dropout > 0 ? new Dropout(childName(local), dropout).apply(x) : x;
    }

    public boolean preNorm() { return preNorm; }
    /** False when the block was built without LayerNorms. */
    public boolean normalization() { return normalization; }
    public int heads() { return heads; }
    public int mlpDim() { return mlpDim; }
    /** The attention layer (after build). */
    public MultiHeadAttention attention() { requireBuilt(); return attention; }
}
