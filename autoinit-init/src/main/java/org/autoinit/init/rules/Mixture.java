package org.autoinit.init.rules;

import org.autoinit.init.moments.Moments;

/** The signal whose entries come from {@code parts[i]} with probability {@code weights[i]} (e.g. border vs interior positions). */
final class Mixture {
    private Mixture() {}

    /**
     * {@code mu = sum w_i mu_i}, {@code q = sum w_i q_i}; the per-entry constants mix too, so the shared
     * variance is {@code sum w_i (shared_i + mu_i^2) - mu^2}. Weights must sum to 1. Channel by channel when every
 * part has the same channels.
     */
    static Signal of(double[] weights, Signal[] parts) {
        if (parts.length == 1) {
            return parts[0];
        }
        ChannelStats first = parts[0].channels();
        boolean perChannel = first != null;
        for (Signal s : parts) {
            perChannel &= first != null && s.channels(first.axis, first.count()) != null;
        }
        if (perChannel) {
            double[] m = new double[first.count()], q = new double[first.count()];
            for (int i = 0; i < parts.length; i++) {
                ChannelStats c = parts[i].channels();
                for (int k = 0; k < m.length; k++) {
                    m[k] += weights[i] * c.mean[k];
                    q[k] += weights[i] * (c.mean[k] * c.mean[k] + c.var[k]);
                }
            }
            for (int k = 0; k < m.length; k++) {
                q[k] -= m[k] * m[k];
            }
            return Signal.of(ChannelStats.wrap(first.axis, m, q));
        }
        double mu = 0, q = 0, c2 = 0;
        for (int i = 0; i < parts.length; i++) {
            Signal s = parts[i];
            mu += weights[i] * s.mean();
            q += weights[i] * s.secondMoment();
            c2 += weights[i] * (s.sharedVariance() + s.mean() * s.mean());
        }
        return Signal.of(new Moments(mu, Math.max(q, mu * mu)), Math.max(0, c2 - mu * mu));
    }
}
