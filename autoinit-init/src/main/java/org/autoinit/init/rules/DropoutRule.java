package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.init.moments.LayerRules;
import org.autoinit.nn.Layer;
import org.autoinit.nn.layers.Dropout;
import org.autoinit.nn.layers.SpatialDropout;

/**
 * Inverted dropout with rate p in training mode, {@code y = x m / (1 - p)}, m ~ Bernoulli(1 - p) independent
 * of x: {@code E[y] = mu}, {@code E[y^2] = q / (1 - p)} (exact, {@link LayerRules#dropout}; in variance terms
 * {@code v' = v/(1-p) + mu^2 p/(1-p)}: the mean term is easy to forget). The masks differ per sample, so the
 * per-channel constants are unchanged: {@code E_n[y] = E_n[x]}. SpatialDropout zeroes whole channels: the
 * same moments (its mask is coherent over positions, which a later global pool would see as extra variance;
 * not modelled). A channel's non-Gaussian {@link Law} becomes the mixture with the dropped zeros. With the
 * dropout adjustment off, dropout is treated as the identity (its eval behaviour).
 */
public final class DropoutRule implements MomentRule<Layer> {
    @Override
    public Signal apply(Layer layer, List<Signal> inputs, RuleContext ctx) {
        Signal in = inputs.get(0);
        double p = layer instanceof Dropout d ? d.rate() : ((SpatialDropout) layer).rate();
        if (!ctx.dropoutAdjustment() || p == 0) {
            return in;
        }
        return dropped(layer, in, p).withProfile(in.profile()).withInverseRank(noisier(in, p, AddRule.features(layer)))
                .withCoherentVariance(in.coherentVariance());
    }

    /**
     * The masks add independent noise of variance {@code q p/(1-p)} to every feature: the covariance becomes
     * {@code C + noise I}, so {@code 1/PR} mixes the two by their shares of the total variance.
     */
    private static double noisier(Signal in, double p, int n) {
        double v = in.variance(), noise = in.secondMoment() * p / (1 - p);
        double f = v / (v + noise);
        return f * f * in.inverseRank(n) + (1 - f) * (1 - f) / n;
    }

    private static Signal dropped(Layer layer, Signal in, double p) {
        if (in.channels() != null && in.channels().hasLaws()) {
            ChannelStats c = in.channels();
            Law[] out = new Law[c.count()];
            java.util.Map<Law, Law> done = new java.util.IdentityHashMap<>();
            for (int k = 0; k < out.length; k++) {
                out[k] = done.computeIfAbsent(c.law[k], l -> l.affine(1 / (1 - p), 0).withZeros(p));
            }
            return Signal.of(ChannelStats.ofLaws(c.axis, out));
        }
        if (in.channels() != null) {
            ChannelStats c = in.channels();
            double[] v = new double[c.count()], extra = new double[c.count()];
            for (int k = 0; k < v.length; k++) {
                double m = c.mean[k];
                v[k] = (c.var[k] + m * m) / (1 - p) - m * m;
                extra[k] = v[k] - c.var[k];
            }
            Signal out = Signal.of(ChannelStats.wrap(c.axis, c.mean.clone(), v));
            // Independent masks leave covariances between features alone and add to each variance.
            FeatureCovariance cov = in.covariance();
            return cov != null && cov.features() == v.length ? out.withCovariance(cov.plusDiagonal(extra)) : out;
        }
        return Signal.of(LayerRules.dropout(in.moments(), p), in.sharedVariance());
    }
}
