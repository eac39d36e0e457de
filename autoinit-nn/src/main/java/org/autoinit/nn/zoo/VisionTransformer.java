package org.autoinit.nn.zoo;

import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.LayerNorm;
import org.autoinit.nn.layers.PatchEmbedding;
import org.autoinit.nn.layers.PositionalEmbedding;
import org.autoinit.nn.layers.TokenMean;
import org.autoinit.nn.layers.TransformerEncoderBlock;
import org.autoinit.nn.layers.ZeroPadding2d;
import org.autoinit.tensor.ops.ActivationKind;

/** The peer's ViT-like encoder ("transformer", peer e). */
final class VisionTransformer {
    private VisionTransformer() {}

    /**
     * [1,28,28] zero-padded by 2 to 32x32, 4x4 patches -> 64 tokens of 16 features (feature dy*4+dx),
     * PatchEmbedding Dense(16 -> 128) + learned positional embedding [1,64,128], 4 pre-LN encoder blocks
     * (4 heads of 32 with one fused qkv Dense(128 -> 384), Wo 128x128, MLP 128 -> 256 -> 128 with exact GELU,
     * LayerNorm eps 1e-5), final LayerNorm, mean over tokens, Dense(128 -> classes): 541,834 parameters.
     * Options: width = model dim (128; always 4 heads, MLP 2 x dim), depth = blocks (4), activation = the MLP's
     * (default GELU; its alpha option is not used here), dropout inside the blocks, normalization (default on;
     * off drops every LayerNorm, the blocks' and the final one, as in initialization studies).
     * Other input sizes are padded up to a multiple of 4 (28x28 gets the peer's 2 on every side).
     */
    static Model vit(ZooOptions o) {
        boolean norm = o.normalization(true);
        if (o.activationShift() != 0) {
            throw new IllegalArgumentException("transformer: centred activations (activationShift) are not supported inside its blocks");
        }
        if (o.merge() != ZooOptions.Merge.ADD) {
            throw new IllegalArgumentException("transformer: only Add residual joins are supported");
        }
        int dim = o.width(128), depth = o.depth(4), patch = 4;
        if (dim % 4 != 0) {
            throw new IllegalArgumentException("transformer: width " + dim + " must be divisible by the 4 heads");
        }
        Node in = Model.input("input", o.inputShape(1, 28, 28));
        int[] s = in.shape();
        if (s.length != 3) {
            throw new IllegalArgumentException("transformer: input shape must be (C, H, W), got " + java.util.Arrays.toString(s));
        }
        Node x = in;
        if (s[1] == 28 && s[2] == 28) {
            x = new ZeroPadding2d("pad", 2, 2, 2, 2).apply(x);
        } else if (s[1] % patch != 0 || s[2] % patch != 0) {
            int ph = (patch - s[1] % patch) % patch, pw = (patch - s[2] % patch) % patch;
            x = new ZeroPadding2d("pad", ph / 2, ph - ph / 2, pw / 2, pw - pw / 2).apply(x);
        }
        x = new PatchEmbedding("patch", patch, dim, true).apply(x);
        x = new PositionalEmbedding("pos").apply(x);
        for (int i = 1; i <= depth; i++) {
            x = TransformerEncoderBlock.builder(4, 2 * dim).fusedQkv(true).activation(o.activation(ActivationKind.GELU))
                    .dropout(o.dropout()).normalization(norm).name("block" + i).build().apply(x);
        }
        x = new TokenMean("pool").apply(norm ? new LayerNorm("ln", 1, 1e-5).apply(x) : x);
        return Model.of(in, new Dense("head", o.classes(10)).apply(x));
    }
}
