package org.autoinit.nn.testing;

import java.util.List;
import java.util.SplittableRandom;

import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Add;
import org.autoinit.nn.layers.Average;
import org.autoinit.nn.layers.AvgPool2d;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.Concatenate;
import org.autoinit.nn.layers.Conv1d;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.Dropout;
import org.autoinit.nn.layers.Embedding;
import org.autoinit.nn.layers.Flatten;
import org.autoinit.nn.layers.GlobalAvgPool;
import org.autoinit.nn.layers.GlobalMaxPool;
import org.autoinit.nn.layers.GroupNorm;
import org.autoinit.nn.layers.LayerNorm;
import org.autoinit.nn.layers.MaxPool2d;
import org.autoinit.nn.layers.MultiHeadAttention;
import org.autoinit.nn.layers.Multiply;
import org.autoinit.nn.layers.PatchEmbedding;
import org.autoinit.nn.layers.Permute;
import org.autoinit.nn.layers.PositionalEmbedding;
import org.autoinit.nn.layers.Reshape;
import org.autoinit.nn.layers.SpatialDropout;
import org.autoinit.nn.layers.Subtract;
import org.autoinit.nn.layers.TokenMean;
import org.autoinit.nn.layers.TransformerEncoderBlock;
import org.autoinit.nn.layers.WeightedSum;
import org.autoinit.nn.layers.ZeroPadding2d;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * One graph model that uses every layer type of autoinit-nn (and a shared layer, a cross-attention with a mask
 * input, both BatchNorm ranks), for tests that must cover all of them: save/load round trips and the layer
 * coverage check. Inputs: an image [2, 8, 8], token ids [5] (values 0..6), an additive attention mask [5, 8].
 * Names are fixed, so two builds have the same parameter names.
 */
public final class AllLayersModel {
    private AllLayersModel() {}

    public static Model build() {
        Node img = Model.input("img", 2, 8, 8);
        Node ids = Model.input("ids", 5);
        Node mask = Model.input("mask", 5, 8);

        // Image path: conv, BatchNorm2d, activation, channel dropout, two pools, every merge layer.
        Node x = Conv2d.builder(4, 3).padding("same").name("conv").build().apply(img);
        x = new BatchNorm("bn2d").apply(x);
        x = Activation.builder(ActivationKind.LEAKY_RELU).alpha(0.1).name("act").build().apply(x);
        x = new SpatialDropout("sdrop", 0.25).apply(x);
        Node mp = new MaxPool2d("maxpool", 2, 2, 2, 2, 0, 0).apply(x);
        Node ap = AvgPool2d.builder(3).stride(2).padding(1).name("avgpool").build().apply(x);
        Node add = new Add("add").apply(mp, ap);
        Node sub = new Subtract("sub").apply(mp, ap);
        Node mul = new Multiply("mul").apply(mp, ap);
        Node avg = new Average("avg").apply(mp, ap);
        Node ws = new WeightedSum("ws").apply(add, sub);
        Node cat = new Concatenate("cat", 0).apply(ws, mul, avg);                       // [12, 4, 4]
        Node pad = new ZeroPadding2d("zpad", 1, 0, 0, 1).apply(cat);                      // [12, 5, 5]
        Node dw = Conv2d.builder(12, 2).depthwise().name("dwconv").build().apply(pad);    // [12, 4, 4]
        Node gn = new GroupNorm("gn", 3, 1e-5).apply(dw);
        Node gmax = new GlobalMaxPool("gmax").apply(gn);                                  // [12]
        Node gavg = new GlobalAvgPool("gap").apply(gn);                                   // [12]

        // Sequence path: reshape to (C, L), conv1d, BatchNorm1d over (C, L), tokens, LayerNorm.
        Node seq = new Reshape("reshape", 12, 16).apply(gn);
        seq = Conv1d.builder(6, 3).stride(2).padding(1).name("conv1d").build().apply(seq); // [6, 8]
        seq = new BatchNorm("bn1d").apply(seq);
        seq = new Permute("perm", 1, 0).apply(seq);                                       // [8, 6]
        seq = new LayerNorm("ln").apply(seq);

        // Token path: embedding, positional, causal self-attention, masked cross-attention, post-LN block.
        Node tok = new Embedding("emb", 7, 8).apply(ids);                                 // [5, 8]
        tok = new PositionalEmbedding("pos").apply(tok);
        tok = MultiHeadAttention.builder(2).causal(true).name("self_att").build().apply(tok);
        tok = MultiHeadAttention.builder(2).headDim(3).outputDim(8).name("cross_att").build().apply(tok, seq, mask);
        tok = TransformerEncoderBlock.builder(2, 16).postNorm().name("enc").build().apply(tok);
        Node tmean = new TokenMean("tmean").apply(tok);                                   // [8]

        // Patch path on the raw image.
        Node patches = new PatchEmbedding("patch", 4, 6, true).apply(img);               // [4, 6]
        Node flat = new Flatten("flatten").apply(patches);                                // [24]

        Node feat = new Concatenate("feat", -1).apply(gmax, gavg, tmean, flat);           // [56]
        Node h = new Dense("fc1", 10).apply(feat);
        Dense shared = new Dense("shared", 10);
        h = shared.apply(shared.apply(h));
        h = new Dropout("drop", 0.3).apply(h);
        Node out = Dense.builder(3).bias(false).name("fc2").build().apply(h);
        return Model.of(List.of(img, ids, mask), List.of(out));
    }

    /** A batch of n samples: N(0,1) images, ids in 0..6, a mask dropping some keys (never a whole row). */
    public static Tensor[] batch(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor img = Tensor.randn(r, DType.FLOAT32, n, 2, 8, 8);
        Tensor ids = Tensor.zeros(DType.FLOAT32, n, 5);
        for (int i = 0; i < ids.numel(); i++) ids.setFlat(i, r.nextInt(7));
        Tensor mask = Tensor.zeros(DType.FLOAT32, n, 5, 8);
        for (int i = 0; i < mask.numel(); i++) {
            int key = i % 8;
            if (key > 0 && r.nextInt(3) == 0) mask.setFlat(i, -1e9);
        }
        return new Tensor[] {img, ids, mask};
    }
}
