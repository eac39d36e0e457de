package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.init.moments.LayerRules;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.layers.Multiply;

/**
 * {@code y = prod_i x_i}, independent inputs: {@code E[y] = prod mu_i}, {@code E[y^2] = prod E[x_i^2]} (exact,
 * {@link LayerRules#multiply}). The per-channel constant of the product is {@code prod (mu_i + c_i)}, so the
 * shared variance is {@code prod (mu_i^2 + shared_i) - prod mu_i^2}.
 */
public final class MultiplyRule implements MomentRule<Multiply> {
    @Override
    public Signal apply(Multiply layer, List<Signal> inputs, RuleContext ctx) {
        ChannelStats first = inputs.get(0).channels();
        if (first != null && inputs.stream().allMatch(s -> s.channels(first.axis, first.count()) != null)) {
            double[] mu = new double[first.count()], q = new double[first.count()];
            java.util.Arrays.fill(mu, 1);
            java.util.Arrays.fill(q, 1);
            for (Signal s : inputs) {
                for (int k = 0; k < mu.length; k++) {
                    mu[k] *= s.channels().mean[k];
                    q[k] *= s.channels().mean[k] * s.channels().mean[k] + s.channels().var[k];
                }
            }
            for (int k = 0; k < mu.length; k++) {
                q[k] -= mu[k] * mu[k];
            }
            return Signal.of(ChannelStats.wrap(first.axis, mu, q));
        }
        Moments m = LayerRules.multiply(AddRule.moments(inputs));
        double c2 = 1;
        for (Signal s : inputs) {
            c2 *= s.mean() * s.mean() + s.sharedVariance();
        }
        return Signal.of(m, Math.max(0, c2 - m.mean() * m.mean()));
    }
}
