package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.init.moments.LayerRules;
import org.autoinit.nn.layers.Average;

/** {@code y = (1/N) sum_i x_i}, independent inputs: {@code E[y] = sum mu_i / N}, {@code Var(y) = sum v_i / N^2} (shared likewise). */
public final class AverageRule implements MomentRule<Average> {
    @Override
    public Signal apply(Average layer, List<Signal> inputs, RuleContext ctx) {
        double n = inputs.size();
        double[] a = new double[inputs.size()];
        java.util.Arrays.fill(a, 1 / n);
        Signal perChannel = AddRule.combine(inputs, a);
        if (perChannel != null) {
            return perChannel.withProfile(SpatialProfile.ofSum(inputs, null))
                .withInverseRank(AddRule.inverseRank(inputs, null, AddRule.features(layer)))
                .withCoherentVariance(AddRule.coherentSum(inputs, null) / (n * n));
        }
        return Signal.of(LayerRules.average(AddRule.moments(inputs)), AddRule.sharedSum(inputs, null) / (n * n))
                .withProfile(SpatialProfile.ofSum(inputs, null))
                .withInverseRank(AddRule.inverseRank(inputs, null, AddRule.features(layer)))
                .withCoherentVariance(AddRule.coherentSum(inputs, null) / (n * n));
    }
}
