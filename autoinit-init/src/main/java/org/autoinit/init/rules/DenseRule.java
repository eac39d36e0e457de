package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.nn.layers.Dense;

/**
 * Dense {@code y = x W + b} over the last axis: a weighted layer with fan_in = in_features.
 * {@code E[y] = 0}, {@code E[y^2] = fan_in sigma^2 E[x^2]} for zero-mean weights independent of x (the
 * cross terms {@code E[w_i w_j] E[x_i x_j]} vanish for i != j whatever the correlation of the inputs), so
 * {@code sigma^2 = s / (fan_in E[x^2])}; see {@link RuleContext#weighted}. A Dense on a flattened
 * {@code [C, ...]} map reads each channel's statistics for that channel's block of features. A random
 * {@code n}-wide map adds {@code 1/n} to the inverse effective dimension of the features ({@code 1/PR_out =
 * 1/PR_in + 1/n} for the participation ratio PR of their covariance).
 */
public final class DenseRule implements MomentRule<Dense> {
    @Override
    public Signal apply(Dense layer, List<Signal> inputs, RuleContext ctx) {
        boolean flat = layer.inputShapes()[0].length == 1;
        Signal in = inputs.get(0);
        Signal out = ctx.weighted(WeightSpec.dense(layer, flat), in).withInverseRank(in.inverseRank(layer.inFeatures()) + 1.0 / layer.units());
        // Applied token by token, the map carries a sample's token-coherent offsets over in the same proportion.
        return flat ? out : out.withCoherence(in.coherence()).withTokenScale(in.tokenScale());
    }
}
