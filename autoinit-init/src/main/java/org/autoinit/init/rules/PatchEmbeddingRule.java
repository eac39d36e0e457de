package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.nn.layers.PatchEmbedding;

/**
 * PatchEmbedding: cutting the image into patches moves entries without changing them (patch feature
 * {@code c p^2 + dy p + dx} comes from image channel c), then a Dense over the {@code C p^2} entries of a
 * patch: a weighted layer with fan_in = C p^2 (see {@link DenseRule}).
 */
public final class PatchEmbeddingRule implements MomentRule<PatchEmbedding> {
    @Override
    public Signal apply(PatchEmbedding layer, List<Signal> inputs, RuleContext ctx) {
        var p = layer.projection();
        // Pixels of a patch are independent: its features have effective dimension C p^2.
        return ctx.weighted(WeightSpec.dense(p, true), inputs.get(0)).withInverseRank(1.0 / p.inFeatures() + 1.0 / p.units());
    }
}
