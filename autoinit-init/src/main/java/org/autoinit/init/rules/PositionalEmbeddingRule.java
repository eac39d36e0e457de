package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.init.moments.Moments;
import org.autoinit.nn.layers.PositionalEmbedding;
import org.autoinit.tensor.Tensor;

/**
 * {@code y = x + P} with the ACTUAL positional table P {@code [1, S, D]} (AutoInit leaves it alone): P is a
 * per-entry constant independent of x, so feature d gains the mean {@code avg_t P[t, d]} and the variance
 * {@code Var_t P[t, d]} over tokens (exact over entries). Without channels: {@code mu' = mu + avg P},
 * {@code v' = v + Var(P)}, and P's spread adds to the shared variance. P's part of a token does not scale with the
 * token's size, so the per-token scale variance ({@link Signal#tokenScale()}) shrinks by {@code (u / (u + Var P))^2},
 * u the input's token-specific variance.
 */
public final class PositionalEmbeddingRule implements MomentRule<PositionalEmbedding> {
    @Override
    public Signal apply(PositionalEmbedding layer, List<Signal> inputs, RuleContext ctx) {
        Signal s = inputs.get(0);
        Tensor p = layer.pos().value();
        int tokens = p.dim(1), d = p.dim(2);
        ChannelStats c = s.channels(ChannelStats.Axis.LAST, d);
        if (c != null) {
            double[] m = c.mean.clone(), v = c.var.clone();
            double added = 0;
            for (int j = 0; j < d; j++) {
                double a = 0, b = 0;
                for (int t = 0; t < tokens; t++) {
                    double x = p.getFlat(t * d + j);
                    a += x;
                    b += x * x;
                }
                a /= tokens;
                m[j] += a;
                v[j] += Math.max(0, b / tokens - a * a);
                added += Math.max(0, b / tokens - a * a) / d;
            }
            return Signal.of(ChannelStats.wrap(c.axis, m, v)).withInverseRank(s.inverseRank()).withCoherentVariance(s.coherentVariance())
                    .withTokenScale(diluted(s, added));
        }
        Affine a = Affine.of(null, layer.pos());
        return Signal.of(Moments.of(s.mean() + a.beta(), s.variance() + a.betaVariance()), s.sharedVariance() + a.betaVariance())
                .withInverseRank(s.inverseRank()).withCoherentVariance(s.coherentVariance()).withTokenScale(diluted(s, a.betaVariance()));
    }

    /** The token scale variance after adding a scale-free part of variance {@code added} to the token-specific part. */
    private static double diluted(Signal s, double added) {
        double u = s.tokenVariance();
        return u + added > 0 ? s.tokenScale() * (u / (u + added)) * (u / (u + added)) : 0;
    }
}
