package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.nn.layers.GroupNorm;

/**
 * GroupNorm with g groups over {@code [C, positions...]}: each (sample, group) set of {@code M = (C/g) P}
 * entries is normalized as in {@link LayerNormRule}, then the ACTUAL per-channel gamma and beta. With channels
 * known, group by group: {@code s^2 = avg_c (m_c - m_group)^2 + avg_c v_c (1 - 1/M)}. Otherwise pooled:
 * {@code E[s^2] = shared (1 - g/C) + v_within (1 - 1/M)} (the set mean removes the group average of the C/g
 * channel constants and 1/M of the rest). The same approximation as LayerNorm: s^2 at its expectation.
 */
public final class GroupNormRule implements MomentRule<GroupNorm> {
    @Override
    public Signal apply(GroupNorm layer, List<Signal> inputs, RuleContext ctx) {
        int[] shape = layer.inputShapes()[0];
        double perSample = 1;
        for (int d : shape) {
            perSample *= d;
        }
        double setSize = perSample / layer.groups();
        int c = shape[0], perGroup = c / layer.groups();
        ChannelStats ch = inputs.get(0).channels(ChannelStats.Axis.FIRST, c);
        if (ch != null) {
            double[] m = new double[c], v = new double[c];
            ChannelStats out = null;
            for (int g = 0; g < layer.groups(); g++) {
                out = LayerNormRule.normalizedChannels(ch, g * perGroup, perGroup, setSize, layer.eps(), layer.gamma().value()::getFlat,
                        layer.beta().value()::getFlat, m, v);
            }
            return Signal.of(out).withProfile(inputs.get(0).profile()).withCoherence(inputs.get(0).coherence());
        }
        return LayerNormRule.normalized(inputs.get(0), setSize, perGroup, layer.eps(), Affine.of(layer.gamma(), layer.beta()))
                .withProfile(inputs.get(0).profile());
    }
}
