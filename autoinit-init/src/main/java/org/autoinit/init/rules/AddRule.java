package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.init.moments.LayerRules;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.layers.Add;

/**
 * {@code y = sum_i x_i} of independent inputs: {@code E[y] = sum mu_i}, {@code Var(y) = sum v_i}
 * ({@link LayerRules#add}); the shared parts add too. Independence holds for a residual branch whose last
 * layer has its own zero-mean weights: {@code E[x F(x)]} vanishes over those weights. A plain residual
 * stream therefore grows as 1 + depth (WeightedSum keeps it at s). With channels known, channel by channel. For one
 * draw the branch is not independent of the stream: when the feature covariance is tracked (MLPs), the branch carries
 * {@code Cov(stream, branch)} (Stein's lemma, {@link FeatureCovariance#cross()}) and its diagonal is added.
 */
public final class AddRule implements MomentRule<Add> {
    @Override
    public Signal apply(Add layer, List<Signal> inputs, RuleContext ctx) {
        Signal perChannel = combine(inputs, null);
        Signal out = perChannel != null ? perChannel : Signal.of(LayerRules.add(moments(inputs)), sharedSum(inputs, null));
        return out.withProfile(SpatialProfile.ofSum(inputs, null)).withInverseRank(inverseRank(inputs, null, features(layer)))
                .withCoherentVariance(coherentSum(inputs, null)).withTokenScale(tokenScale(inputs, null));
    }

    /**
     * The per-token scale variance ({@link Signal#tokenScale()}) of {@code sum_i a_i x_i}: token-specific variances
     * {@code u_i = a_i^2 tokenVariance_i} with scales r_i; taking the scales as comonotone (a residual branch is computed
     * from the stream's token, so a large token gives a large branch), the sum's token energy {@code sum u_i r_i} has
     * relative variance {@code (sum u_i sqrt(kappa_i))^2 / (sum u_i)^2}. An approximation (the scales are not perfectly
     * correlated: attention's output scale follows its query only in part).
     */
    static double tokenScale(List<Signal> inputs, double[] a) {
        double u = 0, w = 0;
        for (int i = 0; i < inputs.size(); i++) {
            double c = a == null ? 1 : a[i];
            double ui = c * c * inputs.get(i).tokenVariance();
            u += ui;
            w += ui * Math.sqrt(inputs.get(i).tokenScale());
        }
        return u > 0 ? w * w / (u * u) : 0;
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
        boolean laws = false;
        for (Signal s : inputs) {
            laws |= s.channels().hasLaws();
        }
        if (laws) {
            return Signal.of(sumOfLaws(inputs, a, first.axis, n));
        }
        double[] m = new double[n], v = new double[n];
        for (int i = 0; i < inputs.size(); i++) {
            ChannelStats c = inputs.get(i).channels();
            double w = a == null ? 1 : a[i];
            for (int k = 0; k < n; k++) {
                m[k] += w * c.mean[k];
                v[k] += w * w * c.var[k];
            }
        }
        FeatureCovariance[] covs = new FeatureCovariance[inputs.size()];
        for (int i = 0; i < covs.length; i++) {
            covs[i] = inputs.get(i).covariance();
            if (covs[i] == null || covs[i].features() != n) {
                return Signal.of(ChannelStats.wrap(first.axis, m, v));
            }
        }
        // A residual branch is correlated with the stream it reads, for one draw (Stein; see FeatureCovariance).
        double[] extra = FeatureCovariance.crossVariances(covs, a);
        for (int k = 0; extra != null && k < n; k++) {
            v[k] = Math.max(0, v[k] + extra[k]);
        }
        return Signal.of(ChannelStats.wrap(first.axis, m, v)).withCovariance(FeatureCovariance.sum(covs, a));
    }

    /**
     * Channel by channel, the law of {@code sum_i a_i x_i} when some input is non-Gaussian (a residual stream):
     * the convolution of the inputs' {@link Law}s; channels with the same inputs are combined once.
     */
    private static ChannelStats sumOfLaws(List<Signal> inputs, double[] a, ChannelStats.Axis axis, int n) {
        Law[] out = new Law[n];
        java.util.Map<List<Object>, Law> done = new java.util.HashMap<>();
        java.util.Map<List<Double>, Law> gaussians = new java.util.HashMap<>();
        for (int k = 0; k < n; k++) {
            Law[] parts = new Law[inputs.size()];
            for (int i = 0; i < parts.length; i++) {
                ChannelStats c = inputs.get(i).channels();
                parts[i] = c.hasLaws() ? c.law[k] : gaussians.computeIfAbsent(List.of(c.mean[k], c.var[k]), mv -> Law.gaussian(mv.get(0), mv.get(1)));
            }
            out[k] = done.computeIfAbsent(List.of((Object[]) parts), key -> {
                Law sum = null;
                for (int i = 0; i < parts.length; i++) {
                    Law term = a == null || a[i] == 1 ? parts[i] : parts[i].affine(a[i], 0);
                    sum = sum == null ? term : sum.plus(term);
                }
                return sum;
            });
        }
        return ChannelStats.ofLaws(axis, out);
    }

    /**
     * Inverse effective dimension of {@code sum_i a_i x_i} for independent inputs of {@code features} features:
     * covariances add, so {@code tr(C)} and {@code tr(C^2)} add: {@code sum a_i^4 v_i^2 r_i / (sum a_i^2 v_i)^2}.
     */
    static double inverseRank(List<Signal> inputs, double[] a, int features) {
        double tr = 0, tr2 = 0;
        for (int i = 0; i < inputs.size(); i++) {
            double c = a == null ? 1 : a[i];
            double v = c * c * inputs.get(i).variance();
            tr += v;
            tr2 += v * v * inputs.get(i).inverseRank(features);
        }
        return tr > 0 ? tr2 / (tr * tr) : Double.NaN;
    }

    /** {@code sum a_i^2 tau_i}: the coherent variances of independent inputs add. */
    static double coherentSum(List<Signal> inputs, double[] a) {
        double t = 0;
        for (int i = 0; i < inputs.size(); i++) {
            double c = a == null ? 1 : a[i];
            t += c * c * inputs.get(i).coherentVariance();
        }
        return t;
    }

    /** Number of features (the last per-sample axis) of the layer's first input. */
    static int features(org.autoinit.nn.Layer layer) {
        int[] s = layer.inputShapes()[0];
        return s[s.length - 1];
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
