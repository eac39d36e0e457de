package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.nn.layers.Conv1d;
import org.autoinit.tensor.ops.Conv1dSpec;

/**
 * Conv1d, weight {@code [O, C/g, k]}: as {@link Conv2dRule} with {@code fan_in = (C/g) sum_t phi_t}, phi_t the
 * average relative second moment tap t reads (the fraction of outputs where it reads a real input, for a
 * uniform map); the positional profile is propagated as a {@code 1 x L} map.
 */
public final class Conv1dRule implements MomentRule<Conv1d> {
    @Override
    public Signal apply(Conv1d layer, List<Signal> inputs, RuleContext ctx) {
        int[] in = layer.inputShapes()[0];
        int[] out = layer.outputShape();
        int k = layer.kernelSize();
        Conv1dSpec spec = layer.spec();
        int before = spec.same() ? ValidTaps.samePadBefore(in[1], k, spec.stride(), spec.dilation()) : spec.padding();
        Signal x = inputs.get(0);
        SpatialProfile.Taps taps = SpatialProfile.window(SpatialProfile.of(x, 1, in[1]), 1, in[1], 1, out[1], 1, k, 1, spec.stride(), 0, before,
                1, spec.dilation());
        return ctx.weighted(WeightSpec.conv(layer.weight(), layer.bias(), spec.groups(), taps.variance(), taps.mean(), taps.covariance()), x)
                .withProfile(taps.out()).withCoherence(x.coherence());
    }
}
