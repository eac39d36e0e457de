package org.autoinit.init.rules;

import java.util.Arrays;
import java.util.List;

import org.autoinit.init.moments.LayerRules;
import org.autoinit.nn.layers.WeightedSum;

/**
 * {@code y = sum_i a_i x_i}, independent inputs: {@code E[y] = sum a_i mu_i}, {@code Var(y) = sum a_i^2 v_i}
 * ({@link LayerRules#weightedSum}). AutoInit sets {@code a_i = sqrt(s / (N v_i))}
 * ({@link LayerRules#residualCoefficients}) so each of the N inputs contributes s/N and the output keeps
 * variance s: a residual stream then stays at s at any depth instead of growing as 1 + depth. With
 * {@code keepWeightedSumCoefficients}, in a prediction, or when an input has zero variance, the layer's
 * own coefficients are used.
 */
public final class WeightedSumRule implements MomentRule<WeightedSum> {
    @Override
    public Signal apply(WeightedSum layer, List<Signal> inputs, RuleContext ctx) {
        double[] a = layer.coefficients();
        boolean degenerate = inputs.stream().anyMatch(s -> !(s.variance() > 0));
        if (ctx.initializing() && !ctx.keepWeightedSumCoefficients()) {
            if (degenerate) {
                ctx.note("an input has zero variance: coefficients kept");
            } else {
                double[] v = inputs.stream().mapToDouble(Signal::variance).toArray();
                a = LayerRules.residualCoefficients(ctx.signalVariance(), v);
                if (!ctx.dryRun()) {
                    layer.setCoefficients(a);
                }
                ctx.note((ctx.dryRun() ? "coefficients would be set to " : "coefficients set to ") + Arrays.toString(Arrays.stream(a).map(x -> Math.round(x * 1e4) / 1e4).toArray()));
            }
        }
        Signal perChannel = AddRule.combine(inputs, a);
        Signal out = perChannel != null ? perChannel : Signal.of(LayerRules.weightedSum(a, AddRule.moments(inputs)), AddRule.sharedSum(inputs, a));
        return out.withProfile(SpatialProfile.ofSum(inputs, a)).withInverseRank(AddRule.inverseRank(inputs, a, AddRule.features(layer)))
                .withCoherentVariance(AddRule.coherentSum(inputs, a)).withTokenScale(AddRule.tokenScale(inputs, a));
    }
}
