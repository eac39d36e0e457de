package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.init.moments.ActivationMoments;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.layers.Activation;

/**
 * Activation {@code y = f(x) - shift} of a Gaussian x: {@code m_j = E[f(x)^j]} from {@link ActivationMoments}
 * (closed forms or quadrature in the standardized variable, split at the kinks), then the shift:
 * {@code (m1 - c, m2 - 2 c m1 + c^2)}. "AutoInit++" centring uses {@code c = E[f(z)]}, z ~ N(0, 1), so a unit
 * Gaussian maps to mean 0 (see {@code CentredActivations}). With channels known, each channel is mapped
 * from its own N(m_c, v_c) (the pooled law is their mixture). Without, the pooled law of x is still Gaussian
 * (a Gaussian mixture of Gaussians), so the pooled moments are exact; the shared part {@code Var_c g(c)},
 * {@code g(c) = E_e f(c + e)} with c ~ N(mu, shared), e ~ N(0, v_within), comes from a 24-node
 * Gauss-Hermite rule over c. The output remembers it is f of a Gaussian, so a max pool that follows uses
 * the exact order statistics of the pre-activation. The spatial profile passes through (exact for relu-like,
 * positively homogeneous f of zero-mean inputs; an approximation otherwise).
 */
public final class ActivationRule implements MomentRule<Activation> {
    @Override
    public Signal apply(Activation layer, List<Signal> inputs, RuleContext ctx) {
        Signal in = inputs.get(0);
        double c = layer.shift();
        if (in.activated() != null) {
            ctx.note("input is itself an activation output, treated as Gaussian with its moments (approximation)");
        }
        Signal out;
        if (in.channels() != null) {
            out = Signal.of(PerChannel.map(in.channels(), m -> shifted(moments(layer, m), c)));
        } else {
            Moments o = shifted(moments(layer, in.moments()), c);
            out = Signal.of(o, Math.min(sharedPart(layer, in, o), o.variance()));
        }
        out = out.withProfile(in.profile());
        if (in.activated() != null) {
            return out;
        }
        Activated prov = layer.isCustom() ? new Activated(null, Double.NaN, layer.function(), new double[0], false, c, in.plain())
                : Activated.of(layer.kind(), layer.alpha(), c, in.plain());
        return out.withActivated(prov);
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
