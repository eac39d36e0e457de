package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.init.moments.LayerRules;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.layers.ZeroPadding2d;

/**
 * ZeroPadding2d keeping the fraction {@code r = H W / (H' W')} of entries: the output law is the mixture of
 * the input (probability r) and the constant 0, so {@code mu' = r mu}, {@code E[y^2] = r E[x^2]} (exact, {@link LayerRules#zeroPadding}). The
 * zeros are constants shared by all samples (and the spatial profile is zero there): shared {@code = r (shared + mu^2) - (r mu)^2}. Channel by channel
 * when the channels are known. (A convolution that
 * follows weights border entries less than interior ones; with small maps its prediction is then slightly off.)
 */
public final class ZeroPaddingRule implements MomentRule<ZeroPadding2d> {
    @Override
    public Signal apply(ZeroPadding2d layer, List<Signal> inputs, RuleContext ctx) {
        int[] in = layer.inputShapes()[0];
        int[] out = layer.outputShape();
        double r = (double) in[1] * in[2] / ((double) out[1] * out[2]);
        Signal s = inputs.get(0);
        int[] p = layer.padding();
        SpatialProfile prof = SpatialProfile.padded(SpatialProfile.of(s, in[1], in[2]), in[1], in[2], p[0], p[2], out[1], out[2]);
        if (s.channels(ChannelStats.Axis.FIRST, in[0]) != null && s.channels().hasLaws()) {
            ChannelStats c = s.channels();
            Law[] laws = new Law[c.count()];
            for (int k = 0; k < laws.length; k++) {
                laws[k] = c.law[k].withZeros(1 - r);
            }
            return Signal.of(ChannelStats.ofLaws(c.axis, laws)).withProfile(prof);
        }
        if (s.channels(ChannelStats.Axis.FIRST, in[0]) != null) {
            ChannelStats c = s.channels();
            double[] mu = new double[c.count()], v = new double[c.count()];
            for (int k = 0; k < mu.length; k++) {
                mu[k] = r * c.mean[k];
                v[k] = r * (c.mean[k] * c.mean[k] + c.var[k]) - mu[k] * mu[k];
            }
            return Signal.of(ChannelStats.wrap(c.axis, mu, v)).withProfile(prof);
        }
        Moments m = LayerRules.zeroPadding(s.moments(), r);
        double shared = r * (s.sharedVariance() + s.mean() * s.mean()) - m.mean() * m.mean();
        return Signal.of(m, Math.max(0, shared)).withProfile(prof);
    }
}
