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
 * own coefficients are used. For one draw a branch is correlated with the stream it reads; when that cross-covariance is
 * known (MLPs, see {@link FeatureCovariance#cross()}), all coefficients are scaled by one common factor so that the
 * merge's predicted variance, cross terms included, is exactly s.
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
                a = correlatedScale(inputs, a, ctx.signalVariance());
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

    /**
     * When a branch carries its cross-covariance with the stream ({@link FeatureCovariance#cross()}), the merge's pooled
     * variance is the quadratic form {@code sum a_i^2 v_i + sum a_i a_j (K + K^T)} (channel means included), so it is
     * {@code c^2} times its value V at {@code a}: {@code a sqrt(s / V)} keeps the ratios and gives exactly s. Otherwise
     * (independent inputs: already s) {@code a} unchanged.
     */
    private static double[] correlatedScale(List<Signal> inputs, double[] a, double s) {
        FeatureCovariance[] covs = new FeatureCovariance[inputs.size()];
        for (int i = 0; i < covs.length; i++) {
            covs[i] = inputs.get(i).covariance();
            if (covs[i] == null || covs[i].features() != covs[0].features()) {
                return a;
            }
        }
        if (FeatureCovariance.crossVariances(covs, a) == null) {
            return a;
        }
        Signal merged = AddRule.combine(inputs, a);
        // Only the covariance path of combine adds the cross terms (a sum of non-Gaussian laws does not).
        double v = merged == null || merged.covariance() == null ? 0 : merged.variance();
        if (!(v > 0) || !Double.isFinite(v)) {
            return a;
        }
        double c = Math.sqrt(s / v);
        return Arrays.stream(a).map(x -> c * x).toArray();
    }
}
