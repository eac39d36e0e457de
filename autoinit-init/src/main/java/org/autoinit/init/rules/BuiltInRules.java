package org.autoinit.init.rules;

import org.autoinit.nn.Block;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Add;
import org.autoinit.nn.layers.AvgPool2d;
import org.autoinit.nn.layers.Average;
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
import org.autoinit.nn.layers.WeightedSum;
import org.autoinit.nn.layers.ZeroPadding2d;

/** The rule of every built-in layer; the report shows the name given here. */
public final class BuiltInRules {
    private BuiltInRules() {}

    static void registerAll(RuleRegistry r) {
        r.register(Dense.class, "weighted", new DenseRule());
        r.register(Conv1d.class, "weighted-conv", new Conv1dRule());
        r.register(Conv2d.class, "weighted-conv", new Conv2dRule());
        r.register(Embedding.class, "embedding", new EmbeddingRule());
        r.register(PatchEmbedding.class, "weighted-patch", new PatchEmbeddingRule());
        r.register(MultiHeadAttention.class, "attention", new AttentionRule());
        r.register(PositionalEmbedding.class, "positional", new PositionalEmbeddingRule());
        r.register(Activation.class, "activation", new ActivationRule());
        DropoutRule dropout = new DropoutRule();
        r.register(Dropout.class, "dropout", dropout);
        r.register(SpatialDropout.class, "dropout", dropout);
        r.register(BatchNorm.class, "batch-norm", new BatchNormRule());
        r.register(LayerNorm.class, "layer-norm", new LayerNormRule());
        r.register(GroupNorm.class, "group-norm", new GroupNormRule());
        r.register(Add.class, "add", new AddRule());
        r.register(Subtract.class, "subtract", new SubtractRule());
        r.register(Average.class, "average", new AverageRule());
        r.register(Multiply.class, "multiply", new MultiplyRule());
        r.register(Concatenate.class, "concatenate", new ConcatenateRule());
        r.register(WeightedSum.class, "weighted-sum", new WeightedSumRule());
        ShapeRule shape = new ShapeRule();
        r.register(Flatten.class, "identity", shape);
        r.register(Reshape.class, "identity", shape);
        r.register(Permute.class, "identity", shape);
        r.register(ZeroPadding2d.class, "zero-padding", new ZeroPaddingRule());
        r.register(MaxPool2d.class, "max-pool", new MaxPoolRule());
        r.register(AvgPool2d.class, "avg-pool", new AvgPoolRule());
        r.register(GlobalAvgPool.class, "global-avg-pool", new GlobalAvgPoolRule());
        r.register(GlobalMaxPool.class, "global-max-pool", new GlobalMaxPoolRule());
        r.register(TokenMean.class, "token-mean", new TokenMeanRule());
        r.register(Block.class, "block", new BlockRule());
    }
}
