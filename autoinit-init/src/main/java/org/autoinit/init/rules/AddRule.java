package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.init.moments.LayerRules;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.layers.Add;

/**
 * {@code y = sum_i x_i} of independent inputs: {@code E[y] = sum mu_i}, {@code Var(y) = sum v_i}
 * ({@link LayerRules#add}); the shared parts add too. Independence holds for a residual branch whose last
 * layer has its own zero-mean weights: {@code E[x F(x)]} vanishes over those weights. A plain residual
 * stream therefore grows as 1 + depth (WeightedSum keeps it at s). With channels known, channel by channel.
 */
public final class AddRule implements MomentRule<Add> {
    @Override
    public Signal apply(Add layer, List<Signal> inputs, RuleContext ctx) {
        Signal perChannel = combine(inputs, null);
        Signal out = perChannel != null ? perChannel : Signal.of(LayerRules.add(moments(inputs)), sharedSum(inputs, null));
        return out.withProfile(SpatialProfile.ofSum(inputs, null));
    }

    /**
     * {@code sum_i a_i x_i} channel by channel when every input has channels of the same layout ({@code a} null =
     * all ones): means combine linearly, variances with {@code a_i^2}; null when the channels are not all known.
     */
    static Signal combine(List<Signal> inputs, double[] a) {
        ChannelStats first = inputs.get(0).channels();
        if (first == null) {
            return null;
        }
        for (Signal s : inputs) {
            if (s.channels(first.axis, first.count()) == null) {
                return null;
            }
        }
        int n = first.count();
        double[] m = new double[n], v = new double[n];
        for (int i = 0; i < inputs.size(); i++) {
            ChannelStats c = inputs.get(i).channels();
            double w = a == null ? 1 : a[i];
            for (int k = 0; k < n; k++) {
                m[k] += w * c.mean[k];
                v[k] += w * w * c.var[k];
            }
        }
        return Signal.of(ChannelStats.wrap(first.axis, m, v));
    }

    static Moments[] moments(List<Signal> inputs) {
        Moments[] m = new Moments[inputs.size()];
        for (int i = 0; i < m.length; i++) {
            m[i] = inputs.get(i).moments();
        }
        return m;
    }

    /** {@code sum a_i^2 shared_i} (a null = all ones): per-channel constants of independent inputs add like variances. */
    static double sharedSum(List<Signal> inputs, double[] a) {
        double sh = 0;
        for (int i = 0; i < inputs.size(); i++) {
            double c = a == null ? 1 : a[i];
            sh += c * c * inputs.get(i).sharedVariance();
        }
        return sh;
    }
}
