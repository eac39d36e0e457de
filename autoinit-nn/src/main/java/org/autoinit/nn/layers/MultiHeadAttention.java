package org.autoinit.nn.layers;

import java.util.Arrays;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.Attention;
import org.autoinit.tensor.ops.FusedAttention;

/**
 * Multi-head attention (Vaswani et al. 2017). Inputs: {@code (query)} self-attention, {@code (query, keyValue)}
 * cross-attention, or {@code (query, keyValue, mask)} with a per-sample additive mask {@code [Sq, Sk]}
 * (0 keep, -inf drop). Query {@code [Sq, Dq]}, keyValue {@code [Sk, Dkv]} -> {@code [Sq, outputDim]}.
 *
 * <p>{@code Q = query Wq, K = kv Wk, V = kv Wv} (Dense children "q", "k", "v", each {@code heads * headDim}
 * wide, with their own fans), heads attend with {@code softmax(Q K^T / sqrt(headDim) + mask) V}, are
 * concatenated and projected by "o". With {@link Builder#fusedQkv} (self-attention only) one Dense "qkv" of
 * width {@code 3 * heads * headDim} computes q, k, v (features ordered q|k|v, then head, then dim), as the
 * PyTorch peer's {@code Linear(d, 3d)}. An optional causal mask blocks keys after the query position.
 */
public final class MultiHeadAttention extends Layer {
    private final int heads;
    private final int headDimSetting;
    private final int outputDimSetting;
    private final boolean bias;
    private final boolean causal;
    private final boolean fused;
    private final Tensor fixedMask;
    private int headDim;
    private int sq, sk;
    private Dense q, k, v, qkv, o;
    private Tensor causalMask;

    private MultiHeadAttention(Builder b) {
        super(b.name);
        if (b.heads <= 0 || b.headDim < 0 || b.outputDim < 0) {
            throw new IllegalArgumentException("MultiHeadAttention: heads must be positive (got " + b.heads + "), dims non-negative");
        }
        this.heads = b.heads;
        this.headDimSetting = b.headDim;
        this.outputDimSetting = b.outputDim;
        this.bias = b.bias;
        this.causal = b.causal;
        this.fused = b.fused;
        this.fixedMask = b.mask;
    }

    /** {@code heads} is required; head dim defaults to query dim / heads, output dim to the query dim. */
    public static Builder builder(int heads) {
        return new Builder(heads);
    }

    /** Optional settings of a MultiHeadAttention layer. */
    public static final class Builder {
        private final int heads;
        private int headDim, outputDim;
        private boolean bias = true, causal, fused;
        private Tensor mask;
        private String name;

        private Builder(int heads) { this.heads = heads; }
        public Builder headDim(int d) { headDim = d; return this; }
        public Builder outputDim(int d) { outputDim = d; return this; }
        public Builder bias(boolean b) { bias = b; return this; }
        /** Query i may attend to keys j <= i only. */
        public Builder causal(boolean c) { causal = c; return this; }
        /** A fixed additive mask broadcastable to {@code [N, heads, Sq, Sk]} (e.g. {@code [Sq, Sk]}). */
        public Builder mask(Tensor m) { mask = m; return this; }
        /** One q|k|v projection (self-attention only), as the PyTorch peer's {@code Linear(d, 3d)}. */
        public Builder fusedQkv(boolean f) { fused = f; return this; }
        public Builder name(String n) { name = n; return this; }
        public MultiHeadAttention build() { return new MultiHeadAttention(this); }
    }

    @Override
    protected int[] doBuild(int[][] in) {
        if (in.length < 1 || in.length > 3) {
            throw new IllegalArgumentException(this + " expects (query), (query, keyValue) or (query, keyValue, mask), got " + in.length + " inputs");
        }
        int[] qs = in[0], kvs = in.length > 1 ? in[1] : in[0];
        if (qs.length != 2 || kvs.length != 2) {
            throw new IllegalArgumentException(this + ": query and keyValue must have per-sample shape (tokens, features), got "
                    + Arrays.toString(qs) + " and " + Arrays.toString(kvs));
        }
        if (fused && in.length > 1) {
            throw new IllegalArgumentException(this + ": a fused qkv projection only supports self-attention (one input)");
        }
        sq = qs[0];
        sk = kvs[0];
        if (in.length == 3 && !Arrays.equals(in[2], new int[] {sq, sk})) {
            throw new IllegalArgumentException(this + ": mask of per-sample shape " + Arrays.toString(in[2]) + " must be [" + sq + ", " + sk + "]");
        }
        if (causal && in.length == 3) {
            throw new IllegalArgumentException(this + ": use either causal or a mask input, not both");
        }
        headDim = headDimSetting > 0 ? headDimSetting : qs[1] / heads;
        if (headDimSetting == 0 && qs[1] % heads != 0) {
            throw new IllegalArgumentException(this + ": query dim " + qs[1] + " is not divisible by " + heads + " heads; set headDim");
        }
        int inner = heads * headDim;
        int outDim = outputDimSetting > 0 ? outputDimSetting : qs[1];
        if (fused) {
            qkv = addChild(Dense.builder(3 * inner).bias(bias).name(childName("qkv")).build());
            qkv.build(qs);
        } else {
            q = addChild(Dense.builder(inner).bias(bias).name(childName("q")).build());
            k = addChild(Dense.builder(inner).bias(bias).name(childName("k")).build());
            v = addChild(Dense.builder(inner).bias(bias).name(childName("v")).build());
            q.build(qs);
            k.build(kvs);
            v.build(kvs);
        }
        o = addChild(Dense.builder(outDim).bias(bias).name(childName("o")).build());
        o.build(new int[] {sq, inner});
        return new int[] {sq, outDim};
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return o.forward(ctx, attend(ctx, inputs));
    }

    /** Fuses its output projection with a residual {@link Add} ending the group, as {@link Dense} does. */
    @Override
    public boolean fusesWithMerge(Layer merge, int slot, Layer next) {
        return o != null && o.fusesWithMerge(merge, slot, next);
    }

    @Override
    protected Tensor doForwardFusedMerge(ForwardContext ctx, Layer merge, int slot, Tensor other, Layer next, Tensor[] inputs) {
        return o.forwardFusedMerge(ctx, merge, slot, other, next, attend(ctx, inputs));
    }

    /** The heads' attention outputs merged back to [n, sq, heads * headDim], before the output projection. */
    private Tensor attend(ForwardContext ctx, Tensor[] inputs) {
        Tensor x = inputs[0];
        int n = x.dim(0);
        Tensor qh, kh, vh;
        if (fused) {
            Tensor proj = qkv.forward(ctx, x);
            if (inputs.length == 1 && !causal && fixedMask == null && FusedAttention.applies(proj)) {
                // Reads the heads straight out of the q|k|v projection: no split/merge copies.
                return FusedAttention.selfAttention(proj, heads, 1.0 / Math.sqrt(headDim));
            }
            Tensor all = proj.reshape(n, sq, 3, heads, headDim).permute(2, 0, 3, 1, 4);
            qh = all.narrow(0, 0, 1).reshape(n, heads, sq, headDim);
            kh = all.narrow(0, 1, 1).reshape(n, heads, sq, headDim);
            vh = all.narrow(0, 2, 1).reshape(n, heads, sq, headDim);
        } else {
            Tensor kv = inputs.length > 1 ? inputs[1] : x;
            qh = splitHeads(q.forward(ctx, x), n, sq);
            kh = splitHeads(k.forward(ctx, kv), n, sk);
            vh = splitHeads(v.forward(ctx, kv), n, sk);
        }
        Tensor mask = inputs.length == 3 ? inputs[2].reshape(n, 1, sq, sk) : causal ? causalMask(x) : fixedMask;
        if (mask != null && mask.dtype() != x.dtype()) {
            mask = mask.to(x.dtype());
        }
        Tensor att = Attention.scaledDotProduct(qh, kh, vh, mask, 1.0 / Math.sqrt(headDim));
        return att.permute(0, 2, 1, 3).reshape(n, sq, heads * headDim);
    }

    private Tensor splitHeads(Tensor t, int n, int s) {
        return t.reshape(n, s, heads, headDim).permute(0, 2, 1, 3);
    }

    private Tensor causalMask(Tensor like) {
        if (causalMask == null || causalMask.dtype() != like.dtype()) {
            Tensor m = Tensor.zeros(like.dtype(), sq, sk);
            for (int i = 0; i < sq; i++) {
                for (int j = i + 1; j < sk; j++) {
                    m.setFlat(i * sk + j, Double.NEGATIVE_INFINITY);
                }
            }
            causalMask = m;
        }
        return causalMask;
    }

    public int heads() { return heads; }
    public int headDim() { requireBuilt(); return headDim; }
    public boolean causal() { return causal; }
    public boolean fusedQkv() { return fused; }
    /** Query projection (null when fused). */
    public Dense query() { return q; }
    /** Key projection (null when fused). */
    public Dense key() { return k; }
    /** Value projection (null when fused). */
    public Dense value() { return v; }
    /** The fused q|k|v projection (null unless fused). */
    public Dense qkv() { return qkv; }
    /** Output projection. */
    public Dense output() { return o; }
    /** Scale applied to q k^T: 1/sqrt(headDim). */
    public double scale() { return 1.0 / Math.sqrt(headDim()); }
}
