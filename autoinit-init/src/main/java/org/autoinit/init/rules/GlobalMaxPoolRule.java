package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.nn.Layer;

/**
 * Max over the k = H*W positions of each channel: the order statistics of {@link WindowMax} (exact for iid
 * Gaussian entries or a monotone activation of them, with the PRE-activation moments, channel by channel;
 * independence of the positions is an approximation).
 */
public final class GlobalMaxPoolRule implements MomentRule<Layer> {
    @Override
    public Signal apply(Layer layer, List<Signal> inputs, RuleContext ctx) {
        int[] in = layer.inputShapes()[0];
        int[] out = layer.outputShape();
        long k = GlobalAvgPoolRule.numel(in) / GlobalAvgPoolRule.numel(out);
        return WindowMax.of(inputs.get(0), (int) k, ctx);
    }
}
