package org.autoinit.init.rules;

import java.util.Arrays;

import org.autoinit.init.moments.Moments;

/**
 * Per-channel statistics of a signal: for each channel c its mean {@code m_c} and its variance {@code v_c}
 * over samples and positions. Weights are drawn once and then fixed, so channels of the drawn network differ
 * (a weighted layer fed with non-zero-mean inputs gives channel j the constant {@code sum_i w_ij m_i}); tracking
 * them makes the prediction describe the drawn network rather than the average over draws, which matters for
 * every rule that pools within a channel (average/max/global pooling, token mean, attention) and for
 * normalization layers. The pooled moments are the mixture: {@code mu = avg m_c},
 * {@code E[x^2] = avg (m_c^2 + v_c)}; the shared variance is {@code Var_c(m_c)}.
 *
 * <p>{@link Axis#FIRST}: the first per-sample axis is the channel axis ({@code [C, H, W]}, {@code [C, L]});
 * {@link Axis#LAST}: the last one (features of {@code [D]} or tokens {@code [S, D]}).
 */
public final class ChannelStats {
    /** Where the channel axis is in the per-sample shape. */
    public enum Axis { FIRST, LAST }

    final Axis axis;
    final double[] mean;
    final double[] var;
    /** Per-channel non-Gaussian laws (residual streams), or null when every channel is taken as Gaussian. */
    final Law[] law;

    private ChannelStats(Axis axis, double[] mean, double[] var) {
        this(axis, mean, var, null);
    }

    private ChannelStats(Axis axis, double[] mean, double[] var, Law[] law) {
        this.axis = axis;
        this.mean = mean;
        this.var = var;
        this.law = law;
    }

    /** Channels whose laws are given (their moments become the channel moments). */
    static ChannelStats ofLaws(Axis axis, Law[] laws) {
        double[] m = new double[laws.length], v = new double[laws.length];
        for (int c = 0; c < laws.length; c++) {
            Moments mo = laws[c].moments();
            m[c] = mo.mean();
            v[c] = mo.variance();
        }
        return new ChannelStats(axis, m, v, laws);
    }

    /** True when some channel has a non-Gaussian law. */
    boolean hasLaws() {
        return law != null;
    }

    /** Channel c's law: its mixture, or the Gaussian with its moments. */
    Law lawOf(int c) {
        return law != null ? law[c] : Law.gaussian(mean[c], var[c]);
    }

    /** Validated copy of the given arrays (variances must be >= 0). */
    public static ChannelStats of(Axis axis, double[] mean, double[] variance) {
        if (axis == null || mean.length != variance.length || mean.length == 0) {
            throw new IllegalArgumentException("ChannelStats: need an axis and equal, non-empty mean and variance arrays, got "
                    + mean.length + " and " + variance.length);
        }
        for (int i = 0; i < mean.length; i++) {
            if (!Double.isFinite(mean[i]) || !(variance[i] >= 0) || !Double.isFinite(variance[i])) {
                throw new IllegalArgumentException("ChannelStats: channel " + i + " has mean " + mean[i] + " and variance " + variance[i]);
            }
        }
        return new ChannelStats(axis, mean.clone(), variance.clone());
    }

    /** Wraps arrays the caller gives up (no copy; negative rounding residues in variances are clamped to 0). */
    static ChannelStats wrap(Axis axis, double[] mean, double[] var) {
        for (int i = 0; i < var.length; i++) {
            if (!(var[i] > 0)) {
                var[i] = 0;
            }
        }
        return new ChannelStats(axis, mean, var);
    }

    /** n channels with the same moments. */
    static ChannelStats uniform(Axis axis, int n, Moments m) {
        double[] mu = new double[n], v = new double[n];
        Arrays.fill(mu, m.mean());
        Arrays.fill(v, m.variance());
        return new ChannelStats(axis, mu, v);
    }

    public Axis axis() {
        return axis;
    }

    public int count() {
        return mean.length;
    }

    public double mean(int c) {
        return mean[c];
    }

    public double variance(int c) {
        return var[c];
    }

    /** The pooled moments: the mixture of the channels. */
    public Moments pooled() {
        double m = 0, q = 0;
        for (int c = 0; c < mean.length; c++) {
            m += mean[c];
            q += mean[c] * mean[c] + var[c];
        }
        m /= mean.length;
        q /= mean.length;
        return new Moments(m, Math.max(q, m * m));
    }

    /** {@code Var_c(m_c)}: the part of the pooled variance shared by all samples. */
    public double sharedVariance() {
        double m = 0, q = 0;
        for (double x : mean) {
            m += x;
            q += x * x;
        }
        m /= mean.length;
        return Math.max(0, q / mean.length - m * m);
    }

    /** Each channel repeated {@code times} times in a row (flattening {@code [C, P]} to {@code C*P} features). */
    ChannelStats repeat(int times, Axis newAxis) {
        double[] m = new double[mean.length * times], v = new double[m.length];
        for (int c = 0; c < mean.length; c++) {
            Arrays.fill(m, c * times, (c + 1) * times, mean[c]);
            Arrays.fill(v, c * times, (c + 1) * times, var[c]);
        }
        return new ChannelStats(newAxis, m, v);
    }
}
