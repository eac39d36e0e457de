package org.autoinit.init.rules;

import java.util.Arrays;
import java.util.List;

import org.autoinit.nn.Layer;
import org.autoinit.nn.layers.Flatten;

/**
 * Flatten, Reshape, Permute: entries are moved, not changed, so the pooled moments, the shared variance and the
 * activation provenance pass through: the identity. Flatten keeps the channels too (channel c of a
 * {@code [C, ...]} map covers a block of consecutive features, feature d of {@code [S, D]} every D-th); a
 * Reshape or Permute that changes the layout forgets them.
 */
public final class ShapeRule implements MomentRule<Layer> {
    @Override
    public Signal apply(Layer layer, List<Signal> inputs, RuleContext ctx) {
        Signal in = inputs.get(0);
        int[] from = layer.inputShapes()[0], to = layer.outputShape();
        if (Arrays.equals(from, to)) {
            return in;
        }
        ChannelStats c = in.channels();
        ChannelStats out = null;
        if (c != null && layer instanceof Flatten && to.length == 1) {
            int n = to[0];
            if (c.axis == ChannelStats.Axis.FIRST && from.length > 0 && from[0] == c.count()) {
                out = c.repeat(n / c.count(), ChannelStats.Axis.LAST);
            } else if (c.axis == ChannelStats.Axis.LAST && from[from.length - 1] == c.count()) {
                out = tile(c, n / c.count());
            }
        }
        PositionStats map = layer instanceof Flatten && to.length == 1 && from.length == 3 ? in.positions(from[0], from[1], from[2]) : null;
        if (map != null) {
            // Every position is a feature of its own: its constant (border offsets included) is known.
            out = map.flattened();
        }
        return new Signal(in.moments(), map != null ? out.sharedVariance() : in.sharedVariance(), in.activated(), out, null, Double.NaN, 0, false,
                null, 0, null);
    }

    /** The channel list repeated {@code times} times as a whole. */
    private static ChannelStats tile(ChannelStats c, int times) {
        double[] m = new double[c.count() * times], v = new double[m.length];
        for (int t = 0; t < times; t++) {
            System.arraycopy(c.mean, 0, m, t * c.count(), c.count());
            System.arraycopy(c.var, 0, v, t * c.count(), c.count());
        }
        return ChannelStats.wrap(ChannelStats.Axis.LAST, m, v);
    }
}
