package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.nn.layers.TokenMean;

/**
 * Mean over the S tokens of each feature, {@code [S, D] -> [D]}: as {@link GlobalAvgPoolRule} with k = S,
 * feature d keeps its mean m_d and its variance becomes {@code v_d / S} (tokens treated as independent;
 * attention mixes tokens, so this is an approximation).
 */
public final class TokenMeanRule implements MomentRule<TokenMean> {
    @Override
    public Signal apply(TokenMean layer, List<Signal> inputs, RuleContext ctx) {
        int[] in = layer.inputShapes()[0];
        return GlobalAvgPoolRule.meanOver(inputs.get(0), in[0], ChannelStats.Axis.LAST, in[1]);
    }
}
