package org.autoinit.init.rules;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.autoinit.init.moments.Moments;
import org.autoinit.nn.layers.AvgPool2d;

/**
 * AvgPool2d over windows of K entries (zero padding counts in the divisor): a window with n real entries
 * {@code c + e_i} outputs {@code (n c + sum e_i) / K}, so, treating the e_i as independent (an approximation:
 * neighbouring positions may be correlated, which gives more, up to v), its mean is {@code mu n / K} and its
 * variance {@code (shared n^2 + v_within n) / K^2}; without padding {@code (mu, shared + v_within / K)}.
 * Border windows make the output a mixture over the window sizes that occur. Channel by channel when known
 * (channel c: mean {@code m_c n / K}, variance {@code v_c n / K^2}).
 */
public final class AvgPoolRule implements MomentRule<AvgPool2d> {
    @Override
    public Signal apply(AvgPool2d layer, List<Signal> inputs, RuleContext ctx) {
        Signal s = inputs.get(0);
        double k = layer.windowSize();
        TreeMap<Integer, Double> counts = PoolWindows.counts(layer);
        double[] w = new double[counts.size()];
        Signal[] parts = new Signal[counts.size()];
        int i = 0;
        ChannelStats ch = s.channels(ChannelStats.Axis.FIRST, layer.inputShapes()[0][0]);
        for (Map.Entry<Integer, Double> e : counts.entrySet()) {
            double n = e.getKey();
            w[i] = e.getValue();
            if (ch != null) {
                double[] m = new double[ch.count()], v = new double[ch.count()];
                for (int c = 0; c < m.length; c++) {
                    m[c] = ch.mean[c] * n / k;
                    v[c] = ch.var[c] * n / (k * k);
                }
                parts[i++] = Signal.of(ChannelStats.wrap(ch.axis, m, v));
            } else {
                double shared = s.sharedVariance() * n * n / (k * k);
                parts[i++] = Signal.of(Moments.of(s.mean() * n / k, shared + s.withinVariance() * n / (k * k)), shared);
            }
        }
        int[] in = layer.inputShapes()[0], out = layer.outputShape(), kk = layer.window(), st = layer.stride(), p = layer.padding();
        SpatialProfile prof = SpatialProfile.pooled(SpatialProfile.of(s, in[1], in[2]), in[1], in[2], out[1], out[2], kk[0], kk[1], st[0], st[1],
                p[0], p[1], false);
        return Mixture.of(w, parts).withProfile(prof);
    }
}
