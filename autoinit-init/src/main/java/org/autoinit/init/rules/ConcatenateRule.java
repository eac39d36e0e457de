package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.init.moments.LayerRules;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.layers.Concatenate;

/**
 * Concatenation: an entry of the output comes from input i with probability {@code c_i / C} (c_i its number
 * of entries), so the output law is the mixture: {@code mu = sum c_i mu_i / C}, {@code E[y^2] = sum c_i q_i / C}
 * (exact, {@link LayerRules#concatenate}). The per-channel constants mix the same way:
 * shared {@code = sum c_i (shared_i + mu_i^2) / C - mu^2}. With channels known: concatenated along the channel
 * axis, else mixed channel by channel.
 */
public final class ConcatenateRule implements MomentRule<Concatenate> {
    @Override
    public Signal apply(Concatenate layer, List<Signal> inputs, RuleContext ctx) {
        int[][] shapes = layer.inputShapes();
        Signal perChannel = perChannel(layer.axis(), shapes, inputs);
        if (perChannel != null) {
            return perChannel;
        }
        long[] counts = new long[inputs.size()];
        double total = 0, c2 = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = GlobalAvgPoolRule.numel(shapes[i]);
            Signal s = inputs.get(i);
            total += counts[i];
            c2 += counts[i] * (s.sharedVariance() + s.mean() * s.mean());
        }
        Moments m = LayerRules.concatenate(counts, AddRule.moments(inputs));
        return Signal.of(m, Math.max(0, c2 / total - m.mean() * m.mean()));
    }

    /**
     * Along the channel axis the channel lists are concatenated; along another axis every channel is the
     * mixture of its parts, weighted by their sizes on that axis. Null when some input's channels are unknown.
     */
    private static Signal perChannel(int axis, int[][] shapes, List<Signal> inputs) {
        int rank = shapes[0].length;
        ChannelStats.Axis ax = inputs.get(0).channels() == null ? null : inputs.get(0).channels().axis;
        if (ax == null) {
            return null;
        }
        int chAxis = ax == ChannelStats.Axis.FIRST ? 0 : rank - 1;
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).channels(ax, shapes[i][chAxis]) == null) {
                return null;
            }
        }
        if (axis == chAxis) {
            int total = 0;
            for (int[] s : shapes) {
                total += s[chAxis];
            }
            double[] m = new double[total], v = new double[total];
            int at = 0;
            for (Signal s : inputs) {
                ChannelStats c = s.channels();
                System.arraycopy(c.mean, 0, m, at, c.count());
                System.arraycopy(c.var, 0, v, at, c.count());
                at += c.count();
            }
            return Signal.of(ChannelStats.wrap(ax, m, v));
        }
        int n = shapes[0][chAxis];
        double size = 0;
        for (int[] s : shapes) {
            size += s[axis];
        }
        double[] m = new double[n], q = new double[n];
        for (int i = 0; i < inputs.size(); i++) {
            double w = shapes[i][axis] / size;
            ChannelStats c = inputs.get(i).channels();
            for (int k = 0; k < n; k++) {
                m[k] += w * c.mean[k];
                q[k] += w * (c.mean[k] * c.mean[k] + c.var[k]);
            }
        }
        for (int k = 0; k < n; k++) {
            q[k] -= m[k] * m[k];
        }
        return Signal.of(ChannelStats.wrap(ax, m, q));
    }
}
