package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.init.moments.LayerRules;
import org.autoinit.nn.layers.Subtract;

/** {@code y = x_0 - x_1}, independent inputs: {@code E[y] = mu_0 - mu_1}, {@code Var(y) = v_0 + v_1}; shared parts add. */
public final class SubtractRule implements MomentRule<Subtract> {
    @Override
    public Signal apply(Subtract layer, List<Signal> inputs, RuleContext ctx) {
        Signal perChannel = AddRule.combine(inputs, new double[] {1, -1});
        Signal out = perChannel != null ? perChannel
                : Signal.of(LayerRules.subtract(inputs.get(0).moments(), inputs.get(1).moments()), AddRule.sharedSum(inputs, null));
        return out.withProfile(SpatialProfile.ofSum(inputs, null)).withInverseRank(AddRule.inverseRank(inputs, null, AddRule.features(layer)))
                .withCoherentVariance(AddRule.coherentSum(inputs, null));
    }
}
