package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.nn.layers.Conv2d;
import org.autoinit.tensor.ops.Conv2dSpec;

/**
 * Conv2d, weight {@code [O, C/g, kh, kw]}: every output sums {@code fan_in = (C/g) kh kw} products (per group;
 * depthwise: {@code kh kw}), so {@code sigma^2 = s / (fan_in E[x^2])} as for {@link DenseRule}; stride and
 * dilation do not change it. Zero padding does: tap t reads a real input only at a fraction phi_t of the
 * output positions, so averaged over positions the output's mean square is {@code sigma^2 E[x^2] (C/g) sum_t phi_t}
 * and the effective fan_in {@code (C/g) sum_t phi_t} makes it s (exact). Since border outputs are then weaker,
 * the map's {@link SpatialProfile} is propagated and phi_t generalizes to the average relative second moment
 * the tap reads (see {@link WeightedStats} for the per-channel computation).
 */
public final class Conv2dRule implements MomentRule<Conv2d> {
    @Override
    public Signal apply(Conv2d layer, List<Signal> inputs, RuleContext ctx) {
        int[] in = layer.inputShapes()[0];
        int[] out = layer.outputShape();
        int[] k = layer.kernelSize();
        Conv2dSpec spec = layer.spec();
        int[] pad = spec.padding(in[1], in[2], k[0], k[1]);
        Signal x = inputs.get(0);
        SpatialProfile.Taps taps = SpatialProfile.window(SpatialProfile.of(x, in[1], in[2]), in[1], in[2], out[1], out[2], k[0], k[1],
                spec.strideH(), spec.strideW(), pad[0], pad[2], spec.dilH(), spec.dilW());
        Signal y = ctx.weighted(WeightSpec.conv(layer.weight(), layer.bias(), spec.groups(), taps.variance(), taps.mean(), taps.covariance()), x)
                .withProfile(taps.out()).withCoherence(x.coherence());
        PositionStats map = ctx.positionMaps() && (long) out[0] * out[1] * out[2] <= PositionStats.MAX_ENTRIES ? inputMap(x, in) : null;
        return map == null ? y : y.withPositions(PositionStats.conv(layer, map));
    }

    /** The input's position map: its own, or uniform channels when its spatial profile is uniform; null otherwise. */
    private static PositionStats inputMap(Signal x, int[] in) {
        PositionStats p = x.positions(in[0], in[1], in[2]);
        if (p != null || x.profile() != null || (long) in[0] * in[1] * in[2] > PositionStats.MAX_ENTRIES) {
            return p;
        }
        return PositionStats.uniform(x.channels(ChannelStats.Axis.FIRST, in[0]), x.moments(), in[0], in[1], in[2]);
    }
}
