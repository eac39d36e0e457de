package org.autoinit.init.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

import org.autoinit.init.moments.ActivationMoments;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.layers.Activation;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Activation {@code y = f(x) - shift} of a Gaussian x: {@code m_j = E[f(x)^j]} from {@link ActivationMoments}
 * (closed forms or quadrature in the standardized variable, split at the kinks), then the shift:
 * {@code (m1 - c, m2 - 2 c m1 + c^2)}. "AutoInit++" centring uses {@code c = E[f(z)]}, z ~ N(0, 1), so a unit
 * Gaussian maps to mean 0 (see {@code CentredActivations}). With channels known, each channel is mapped from its
 * own law: N(m_c, v_c), or the Gaussian mixture of a residual stream ({@link Law}; exact per component), and the
 * output keeps its law so that a following residual add stays exact. Without channels, the pooled law of x is
 * still Gaussian (a Gaussian mixture of Gaussians), so the pooled moments are exact; the shared part
 * {@code Var_c g(c)}, {@code g(c) = E_e f(c + e)} with c ~ N(mu, shared), e ~ N(0, v_within), comes from a
 * 24-node Gauss-Hermite rule over c. A Gaussian input's output remembers it is f of a Gaussian, so a max pool
 * that follows uses the exact order statistics of the pre-activation. A tracked feature covariance passes
 * through f by the Hermite expansion of {@link FeatureCovariance}. The spatial profile passes through
 * (exact for relu-like, positively homogeneous f of zero-mean inputs; an approximation otherwise).
 */
public final class ActivationRule implements MomentRule<Activation> {
    @Override
    public Signal apply(Activation layer, List<Signal> inputs, RuleContext ctx) {
        Signal in = inputs.get(0);
        double c = layer.shift();
        if (in.activated() != null && (in.channels() == null || !in.channels().hasLaws())) {
            ctx.note("input is itself an activation output, treated as Gaussian with its moments (approximation)");
        }
        Signal out;
        if (in.channels() != null) {
            out = Signal.of(perChannel(layer, in.channels(), c));
        } else {
            Moments o = shifted(moments(layer, in.moments()), c);
            out = Signal.of(o, Math.min(sharedPart(layer, in, o), o.variance()));
        }
        out = out.withProfile(in.profile()).withInverseRank(inverseRank(layer, in));
        FeatureCovariance cov = in.covariance();
        if (cov != null && out.channels() != null && in.channels() != null && cov.d == out.channels().count() && !in.channels().hasLaws()) {
            ChannelStats ic = in.channels(), oc = out.channels();
            Moments[] exact = cov.scaleVar > 0 ? ScaleMixture.marginals(layer, c, ic.mean, ic.var, cov.scaleVar) : null;
            boolean mixed = exact != null && ScaleMixture.plausible(exact, oc);
            if (exact != null && !mixed) {
                ctx.note("per-sample scale mixture not modelled: it would change the output energy more than "
                        + ScaleMixture.MAX_ENERGY_RATIO + "x (f grows too fast)");
            }
            if (mixed) {
                // Per-sample scale mixture (ScaleMixture): each feature's moments averaged over the sample's scale.
                double[] m = new double[cov.d], v = new double[cov.d];
                for (int k = 0; k < exact.length; k++) {
                    m[k] = exact[k].mean();
                    v[k] = exact[k].variance();
                }
                out = Signal.of(ChannelStats.wrap(oc.axis, m, v)).withProfile(in.profile()).withInverseRank(out.inverseRank());
            } else {
                exact = new Moments[cov.d];
                for (int k = 0; k < exact.length; k++) {
                    exact[k] = Moments.of(oc.mean[k], oc.var[k]);
                }
            }
            FeatureCovariance fcov = cov.activation(HermiteExpansion.of(layer, c), ic.mean, exact);
            double[][] between = mixed && centred(ic) ? ScaleMixture.meanDeviations(layer, c, ic.mean, ic.var, cov.scaleVar) : null;
            if (between != null) {
                // Law of total covariance over the sample's scale: Mehler gives E_r Cov(f_i, f_j | r) (the Gaussian
                // part), and samples of different scale have different mean vectors, Cov_r(E[f_i | r], E[f_j | r]).
                // Only for zero-mean inputs (after batch norm): with nonzero means the next Dense passes this term
                // into the pre-activations' covariance along their means, and adding it again at every activation
                // over-counts (measured: deep-mlp gelu depth 8 and centred relu depth 12 fail on draws 15 and 16).
                fcov = fcov.plusOffDiagonal(between);
            }
            double t = mixed || cov.scaleVar == 0 ? ScaleMixture.propagated(layer, c, ic.mean, ic.var, cov.scaleVar) + fcov.scaleVar : 0;
            double cap = ScaleMixture.MAX_LOG_VARIANCE;
            out = out.withCovariance(fcov.withScaleVariance(Double.isFinite(t) ? Math.min(cap, Math.max(0, t)) : cap));
        }
        if (in.coherence() > 0) {
            // A sample's coherent offset d shifts f(x) by about E[f'] d.
            double sl = slope(layer, in);
            out = out.withCoherentVariance(sl * sl * in.coherentVariance());
        }
        if (in.tokenScale() > 0) {
            out = out.withTokenScale(tokenScale(layer, c, in, out));
        }
        int[] shape = layer.inputShapes()[0];
        PositionStats map = shape.length == 3 ? in.positions(shape[0], shape[1], shape[2]) : null;
        if (map != null) {
            // Each entry is Gaussian with its own mean and variance: the channel is the mixture of its positions.
            // Closed-form kinds evaluate every entry directly (a cache lookup costs more; All-CNN-C maps ~45k entries).
            boolean closed = !layer.isCustom() && ActivationMoments.closedFormKind(layer.kind());
            out = out.withPositions(map.map(m -> shifted(moments(layer, m), c), !closed));
        }
        boolean gaussianIn = in.activated() == null && (in.channels() == null || !in.channels().hasLaws());
        if (!gaussianIn) {
            return out;
        }
        Activated prov = layer.isCustom() ? new Activated(null, Double.NaN, layer.function(), new double[0], false, c, in.plain())
                : Activated.of(layer.kind(), layer.alpha(), c, in.plain());
        return out.withActivated(prov);
    }

    /** True when every feature's mean is 0 (batch norm without beta, or a zero-mean input): y = sqrt(r) g exactly. */
    private static boolean centred(ChannelStats in) {
        for (int j = 0; j < in.mean.length; j++) {
            if (!(Math.abs(in.mean[j]) <= 1e-9 * Math.sqrt(Math.max(0, in.var[j])))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The output's inverse effective dimension: f(x) splits into its best linear part {@code E[f'] (x - mu)}
     * (Stein: the projection on x), whose covariance is the input's scaled by {@code lambda = E[f']^2 v / Var f(x)},
     * and a nonlinear remainder uncorrelated with it, spread over all n features; so
     * {@code 1/PR_out = lambda^2 / PR_in + (1 - lambda)^2 / n} (pooled moments).
     */
    private static double inverseRank(Activation layer, Signal in) {
        int[] s = layer.inputShapes()[0];
        int n = s[s.length - 1];
        double r = in.inverseRank(n), v = in.variance();
        if (!(v > 0)) {
            return r;
        }
        double slope = slope(layer, in);
        double vf = moments(layer, in.moments()).variance();
        if (!(vf > 0)) {
            return r;
        }
        double lambda = Math.min(1, slope * slope * v / vf);
        return lambda * lambda * r + (1 - lambda) * (1 - lambda) / n;
    }

    /**
     * The per-token scale variance after f ({@link Signal#tokenScale()}): a token of scale r has pre-activations of
     * variance {@code shared + coherent + r u} (u the token-specific variance; pooled law), so its output energy about
     * the output mean m is {@code E(r) = m2(r) - 2 m m1(r) + m^2}. The change {@code E'(1) (r - 1)} falls on the output's
     * token-specific part U, so {@code kappa' = (E'(1) / U)^2 kappa} (linear in r - 1; for gelu of N(0, 1) the factor is
     * about 1.37: a large token's second moment grows faster than r).
     */
    private static double tokenScale(Activation layer, double shift, Signal in, Signal out) {
        double fixed = in.sharedVariance() + in.coherentVariance(), u = in.tokenVariance(), mu = in.mean(), h = 0.05;
        double uOut = out.tokenVariance();
        if (!(u > 0) || !(uOut > 0)) {
            return 0;
        }
        Moments hi = shifted(moments(layer, Moments.of(mu, fixed + (1 + h) * u)), shift);
        Moments lo = shifted(moments(layer, Moments.of(mu, fixed + (1 - h) * u)), shift);
        double m = out.mean();
        double slope = ((hi.secondMoment() - lo.secondMoment()) - 2 * m * (hi.mean() - lo.mean())) / (2 * h);
        double e = slope / uOut;
        return e * e * in.tokenScale();
    }

    /** {@code E[f'(x)] = d E[f(x)] / d mu} for x Gaussian with the pooled moments (central difference). */
    private static double slope(Activation layer, Signal in) {
        double v = in.variance(), mu = in.mean(), h = 1e-3 * Math.sqrt(Math.max(v, 1e-300));
        return (moments(layer, Moments.of(mu + h, v)).mean() - moments(layer, Moments.of(mu - h, v)).mean()) / (2 * h);
    }

    /** Every channel's output law from its input law; identical inputs are mapped once. */
    private static ChannelStats perChannel(Activation layer, ChannelStats ch, double shift) {
        DoubleUnaryOperator f = layer.function();
        DoubleUnaryOperator fs = shift == 0 ? f : x -> f.applyAsDouble(x) - shift;
        int n = ch.count();
        // Distinct input laws are mapped once each, split over the cores (a residual stream has thousands of channels).
        int[] which = new int[n];
        List<Law> unique = new ArrayList<>();
        if (ch.hasLaws()) {
            Map<Law, Integer> slot = new IdentityHashMap<>();
            for (int k = 0; k < n; k++) {
                which[k] = slot.computeIfAbsent(ch.law[k], l -> {
                    unique.add(l);
                    return unique.size() - 1;
                });
            }
        } else {
            // Gaussian channels: bucketed like PerChannel (identical channels exactly, near-identical on a fine grid).
            ChannelStats grid = PerChannel.gridded(ch);
            Map<GaussianKey, Integer> slot = new HashMap<>();
            for (int k = 0; k < n; k++) {
                double m = grid.mean[k], v = grid.var[k];
                which[k] = slot.computeIfAbsent(new GaussianKey(m, v), kk -> {
                    unique.add(Law.gaussian(m, v));
                    return unique.size() - 1;
                });
            }
        }
        Law[] mapped = new Law[unique.size()];
        boolean laws = ch.hasLaws();
        Parallel.forRange(mapped.length, 8, (from, to) -> {
            for (int u = from; u < to; u++) {
                Law l = unique.get(u);
                mapped[u] = l.map(fs, laws ? mixtureMoments(layer, l, shift)
                        : shifted(moments(layer, Moments.of(l.mu[0], l.var[0])), shift));
            }
        });
        Law[] out = new Law[n];
        for (int k = 0; k < n; k++) {
            out[k] = mapped[which[k]];
        }
        return ChannelStats.ofLaws(ch.axis, out);
    }

    /** Exact moments of {@code f(X) - shift} for X a Gaussian mixture: the weighted moments of its components. */
    private static Moments mixtureMoments(Activation layer, Law l, double shift) {
        double m1 = 0, m2 = 0;
        for (int i = 0; i < l.size(); i++) {
            Moments m = shifted(moments(layer, Moments.of(l.mu[i], l.var[i])), shift);
            m1 += l.w[i] * m.mean();
            m2 += l.w[i] * m.secondMoment();
        }
        return new Moments(m1, Math.max(m2, m1 * m1));
    }

    static Moments moments(Activation layer, Moments in) {
        return layer.isCustom() ? ActivationMoments.of(layer.function(), new double[0], in) : ActivationMoments.of(layer.kind(), layer.alpha(), in);
    }

    /** Moments of {@code y - c}. */
    static Moments shifted(Moments m, double c) {
        if (c == 0) {
            return m;
        }
        double m1 = m.mean() - c;
        return new Moments(m1, Math.max(m1 * m1, m.secondMoment() - 2 * c * m.mean() + c * c));
    }

    /** {@code Var_c E_e[f(c + e)]}; the shift does not change it. */
    private static double sharedPart(Activation layer, Signal in, Moments out) {
        double sh = in.sharedVariance(), vw = in.withinVariance();
        if (sh <= 1e-12 * in.variance()) {
            return 0;
        }
        if (vw <= 1e-3 * in.variance()) {
            return out.variance();
        }
        double sc = Math.sqrt(sh), a = 0, b = 0;
        for (int i = 0; i < GaussHermite.N; i++) {
            double g = moments(layer, Moments.of(in.mean() + sc * GaussHermite.Z[i], vw)).mean();
            a += GaussHermite.W[i] * g;
            b += GaussHermite.W[i] * g * g;
        }
        return Math.max(0, b - a * a);
    }
}
