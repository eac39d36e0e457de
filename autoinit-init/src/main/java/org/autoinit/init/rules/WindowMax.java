package org.autoinit.init.rules;

import java.util.function.DoubleUnaryOperator;

import org.autoinit.init.moments.MaxPoolMoments;
import org.autoinit.init.moments.Moments;
import org.autoinit.init.moments.numeric.GaussKronrod;
import org.autoinit.init.moments.numeric.Gaussian;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * The signal after taking the max over k entries of one channel (a pooling window, or all positions).
 *
 * <p>Entries are {@code x_i = c + e_i} with c the channel's constant ({@code N(mu, shared)}, the same for the
 * whole window) and e_i iid {@code N(0, v_w)}. Then {@code max x_i = c + sqrt(v_w) M_k}, M_k the max of k
 * standard normals (density {@code k phi Phi^{k-1}}); after a non-decreasing f, {@code max f(x_i) = f(max x_i)}.
 * So {@code E[(max f)^j] = E_c integral f(c + sqrt(v_w) m)^j k phi(m) Phi(m)^{k-1} dm}, computed with the
 * PRE-activation moments: by {@link MaxPoolMoments} when nothing is shared, else by nested adaptive
 * Gauss-Kronrod (outer over c, inner over m; memoized). The output's shared variance is
 * {@code Var_c(E[max | c])}. Independence of the e_i inside a window is an approximation (neighbouring
 * positions of a conv output share inputs but, with random weights, are nearly uncorrelated).
 * Non-monotone activations with a shared part ignore the sharing (approximation, noted in the report).
 */
final class WindowMax {
    private WindowMax() {}

    private static final double TOL = 1e-10;
    private static final double[] OUTER = {-12, -8, -5, -3, -1.5, 0, 1.5, 3, 5, 8, 12};

    private record Key(ActivationKind kind, double alpha, int k, double mean, double variance, double shared) {}

    private static final Memo<Key, double[]> MEMO = new Memo<>(512);

    /** Max over k entries of {@code s}. */
    static Signal of(Signal s, int k, RuleContext ctx) {
        if (k == 1) {
            return s;
        }
        Activated a = s.activated();
        if (s.channels() != null && s.channels().hasLaws() && a == null) {
            ChannelStats ch = s.channels();
            double[] m = new double[ch.count()], v = new double[ch.count()];
            java.util.Map<Law, Moments> done = new java.util.IdentityHashMap<>();
            for (int c = 0; c < m.length; c++) {
                Moments mo = done.computeIfAbsent(ch.law[c], l -> l.maxOf(k));
                m[c] = mo.mean();
                v[c] = mo.variance();
            }
            return Signal.of(ChannelStats.wrap(ch.axis, m, v));
        }
        if (s.channels() != null) {
            if (a == null) {
                return Signal.of(PerChannel.map(s.channels(), m -> MaxPoolMoments.ofGaussian(k, m)));
            }
            ChannelStats pre = a.preActivation().channels();
            if (pre != null && pre.count() == s.channels().count()) {
                if (!a.monotone()) {
                    ctx.note("max of a non-monotone activation taken as f(max x): exact when the max falls where f increases");
                }
                return Signal.of(PerChannel.map(pre, m -> ActivationRule.shifted(maxOfActivated(a, k, m), a.shift())));
            }
        }
        return pooled(s, k, ctx);
    }

    /** Moments of {@code max_i f(x_i)}, x_i iid with the given Gaussian moments (monotone kinds exact and memoized). */
    private static Moments maxOfActivated(Activated a, int k, Moments pre) {
        if (a.kind() != null && a.monotone()) {
            return MaxPoolMoments.ofActivated(a.kind(), a.alpha(), k, pre);
        }
        return MaxPoolMoments.ofActivated(a.function(), a.kinks(), true, k, pre);
    }

    /** The pooled rule (channels unknown): a channel constant c ~ N(mu, shared) plus iid within-channel parts. */
    private static Signal pooled(Signal s, int k, RuleContext ctx) {
        Activated a = s.activated();
        if (a == null) {
            return gaussian(s, k);
        }
        Signal pre = a.preActivation();
        double[] r;
        if (pre.sharedVariance() <= 1e-12 * pre.variance()) {
            Moments m = a.kind() != null ? MaxPoolMoments.ofActivated(a.kind(), a.alpha(), k, pre.moments())
                    : MaxPoolMoments.ofActivated(a.function(), a.kinks(), a.monotone(), k, pre.moments());
            r = new double[] {m.mean(), m.secondMoment(), m.mean() * m.mean()};
        } else if (!a.monotone()) {
            ctx.note("max over " + k + " entries of a non-monotone activation: the shared part of its input is ignored (approximation)");
            Moments m = a.kind() != null ? MaxPoolMoments.ofActivated(a.kind(), a.alpha(), k, pre.moments())
                    : MaxPoolMoments.ofActivated(a.function(), a.kinks(), false, k, pre.moments());
            r = new double[] {m.mean(), m.secondMoment(), m.mean() * m.mean()};
        } else if (a.kind() != null) {
            r = MEMO.get(new Key(a.kind(), a.alpha(), k, pre.mean(), pre.variance(), pre.sharedVariance()),
                    key -> nested(a.function(), a.kinks(), k, pre));
        } else {
            r = nested(a.function(), a.kinks(), k, pre);
        }
        double c = a.shift();
        double m1 = r[0] - c;
        double m2 = Math.max(m1 * m1, r[1] - 2 * c * r[0] + c * c);
        double sharedOut = Math.max(0, r[2] - r[0] * r[0]);
        return Signal.of(new Moments(m1, m2), sharedOut);
    }

    /** Gaussian entries: {@code c + sqrt(v_w) M_k} has mean {@code mu + sqrt(v_w) E M}, variance {@code shared + v_w Var M}. */
    private static Signal gaussian(Signal s, int k) {
        Moments std = MaxPoolMoments.ofGaussian(k, Moments.standard());
        double sw = Math.sqrt(s.withinVariance());
        double mean = s.mean() + sw * std.mean();
        double var = s.sharedVariance() + s.withinVariance() * std.variance();
        return Signal.of(Moments.of(mean, var), s.sharedVariance());
    }

    /** {E[max], E[max^2], E_c[E[max|c]^2]} by nested quadrature. */
    static double[] nested(DoubleUnaryOperator f, double[] kinks, int k, Signal pre) {
        double mu = pre.mean(), sc = Math.sqrt(pre.sharedVariance()), sw = Math.sqrt(pre.withinVariance());
        double logK = Math.log(k);
        return GaussKronrod.integrate((zc, out) -> {
            double c = mu + sc * zc;
            double fc = sw == 0 ? f.applyAsDouble(c) : 0;
            double[] g = sw == 0 ? new double[] {fc, fc * fc} : innerMax(f, kinks, k, logK, c, sw);
            double w = Gaussian.pdf(zc);
            out[0] = g[0] * w;
            out[1] = g[1] * w;
            out[2] = g[0] * g[0] * w;
        }, 3, OUTER, TOL, TOL);
    }

    /** {@code [E f(c + sw M_k), E f(c + sw M_k)^2]} for a fixed c. */
    private static double[] innerMax(DoubleUnaryOperator f, double[] kinks, int k, double logK, double c, double sw) {
        return GaussKronrod.integrate((m, out) -> {
            double y = f.applyAsDouble(c + sw * m);
            double dens = Gaussian.maxDensity(m, k, logK);
            out[0] = y * dens;
            out[1] = y * y * dens;
        }, 2, breaks(kinks, c, sw), TOL, TOL);
    }

    private static double[] breaks(double[] kinks, double c, double sw) {
        double[] base = {-12, -6, -3, 0, 3, 6, 12};
        double[] all = java.util.Arrays.copyOf(base, base.length + kinks.length);
        int n = base.length;
        for (double x : kinks) {
            double z = (x - c) / sw;
            if (z > -12 && z < 12) {
                all[n++] = z;
            }
        }
        return java.util.Arrays.stream(all, 0, n).sorted().distinct().toArray();
    }
}
