package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.init.moments.Moments;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.layers.BatchNorm;

/**
 * BatchNorm in training mode, {@code y = gamma_c (x - m_c) / sqrt(v_c + eps) + beta_c} with the batch
 * statistics of channel c: the output of channel c has mean {@code beta_c} and variance
 * {@code gamma_c^2 v_c / (v_c + eps)}, v_c the channel's variance (its constant is removed with the batch mean).
 * Channel by channel with the ACTUAL gamma and beta when the input's channels are known; otherwise all channels
 * are taken to have the within variance {@code v - shared} and pooled as a mixture: mean {@code avg beta},
 * second moment {@code avg(gamma^2) v_c / (v_c + eps) + avg(beta^2)}, shared variance {@code Var(beta)}. One
 * scale per channel keeps the spatial profile, and an affine map keeps a channel's non-Gaussian {@link Law}.
 *
 * <p>Approximation (Gaussian channels, no tracked covariance): when every channel has the same gamma and beta and the
 * ratios {@code v_c / (v_c + eps)} lie within {@link #COLLAPSE_TOLERANCE} (relative) of their mean, every channel gets
 * the mean ratio. The pooled moments stay exact and each channel moves by at most the tolerance; later per-channel
 * rules then map one channel law instead of hundreds (ResNet streams). Measured against the exact rule
 * ({@code new BatchNormRule(0)}) on resnet20 and resnet50: every report entry within 1e-7 (BatchNormCollapseTest).
 */
public final class BatchNormRule implements MomentRule<BatchNorm> {
    /** The largest relative spread of {@code v_c / (v_c + eps)} over channels that {@link #BatchNormRule()} collapses. */
    public static final double COLLAPSE_TOLERANCE = 1e-4;

    private final double collapse;

    /** Collapses channels that differ only through {@code v_c / (v_c + eps)} by at most {@link #COLLAPSE_TOLERANCE}. */
    public BatchNormRule() {
        this(COLLAPSE_TOLERANCE);
    }

    /**
     * With {@code tolerance} the largest relative spread of {@code v_c / (v_c + eps)} over the channels for which
     * equal-affine channels are given one common variance (0: every channel exactly, as measured; see the class
     * comment).
     */
    public BatchNormRule(double tolerance) {
        if (!(tolerance >= 0) || !(tolerance < 1)) {
            throw new IllegalArgumentException("BatchNormRule: collapse tolerance must be in [0, 1), got " + tolerance);
        }
        this.collapse = tolerance;
    }

    @Override
    public Signal apply(BatchNorm layer, List<Signal> inputs, RuleContext ctx) {
        Signal in = inputs.get(0);
        int[] shape = layer.inputShapes()[0];
        int c = shape[0];
        ChannelStats ch = in.channels(ChannelStats.Axis.FIRST, c);
        if (ch == null && shape.length == 1) {
            ch = in.channels(ChannelStats.Axis.LAST, c);
        }
        PositionStats map = shape.length == 3 ? in.positions(c, shape[1], shape[2]) : null;
        if (map != null) {
            // Per position: the channel's batch mean and variance are those of the mixture of its positions.
            ChannelStats pc = map.channels();
            double[] scale = new double[c], shift = new double[c];
            for (int k = 0; k < c; k++) {
                scale[k] = value(layer.gamma(), k, 1) / Math.sqrt(pc.var[k] + layer.eps());
                shift[k] = value(layer.beta(), k, 0);
            }
            return Signal.of(pc).withPositions(map.affine(scale, pc.mean, shift)).withProfile(in.profile()).withCoherence(in.coherence());
        }
        if (ch != null && ch.hasLaws()) {
            Law[] out = new Law[c];
            for (int k = 0; k < c; k++) {
                double g = value(layer.gamma(), k, 1), b = value(layer.beta(), k, 0), sd = Math.sqrt(ch.var[k] + layer.eps());
                out[k] = ch.law[k].affine(g / sd, b - g * ch.mean[k] / sd);
            }
            return Signal.of(ChannelStats.ofLaws(ch.axis, out)).withProfile(in.profile()).withCoherence(in.coherence());
        }
        if (ch != null && in.covariance() != null && in.covariance().features() == c) {
            double[] m = new double[c], v = new double[c], scale = new double[c];
            for (int k = 0; k < c; k++) {
                double g = value(layer.gamma(), k, 1), b = value(layer.beta(), k, 0);
                scale[k] = g / Math.sqrt(ch.var[k] + layer.eps());
                m[k] = b;
                v[k] = g * g * ch.var[k] / (ch.var[k] + layer.eps());
            }
            return Signal.of(ChannelStats.wrap(ch.axis, m, v)).withCovariance(in.covariance().scaled(scale));
        }
        if (ch != null) {
            double[] m = new double[c], v = new double[c];
            for (int k = 0; k < c; k++) {
                double g = value(layer.gamma(), k, 1), b = value(layer.beta(), k, 0);
                m[k] = b;
                v[k] = g * g * ch.var[k] / (ch.var[k] + layer.eps());
            }
            if (collapse > 0) {
                collapse(layer, c, m, v);
            }
            return Signal.of(ChannelStats.wrap(ch.axis, m, v)).withProfile(in.profile()).withCoherence(in.coherence());
        }
        Affine a = Affine.of(layer.gamma(), layer.beta());
        double vc = in.withinVariance();
        double norm = vc / (vc + layer.eps());
        return Signal.of(new Moments(a.beta(), Math.max(a.gamma2() * norm + a.beta2(), a.beta() * a.beta())), a.betaVariance())
                .withProfile(in.profile()).withCoherence(in.coherence());
    }

    /**
     * When every channel has the same gamma and beta (the fresh default 1 and 0), channel c's output variance
     * {@code gamma^2 r_c}, {@code r_c = v_c / (v_c + eps)}, depends on the input only through r_c, which differs
     * between channels by about {@code eps / v}. If the r_c lie within {@code collapse} of their mean (relative), every
     * channel gets the mean: the pooled moments stay exact and each channel moves by at most {@code collapse}
     * (relative), while every later per-channel rule (the relu, the residual stream's laws) sees identical channels
     * and maps them once instead of once per channel.
     */
    private void collapse(BatchNorm layer, int c, double[] m, double[] v) {
        for (int k = 1; k < c; k++) {
            if (m[k] != m[0] || value(layer.gamma(), k, 1) != value(layer.gamma(), 0, 1)) {
                return;
            }
        }
        double g = value(layer.gamma(), 0, 1), g2 = g * g;
        if (!(g2 > 0)) {
            return;
        }
        double sum = 0, lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
            double r = v[k] / g2;
            sum += r;
            lo = Math.min(lo, r);
            hi = Math.max(hi, r);
        }
        double mean = sum / c;
        if (!(mean > 0) || hi - mean > collapse * mean || mean - lo > collapse * mean) {
            return;
        }
        java.util.Arrays.fill(v, g2 * mean);
    }

    static double value(Parameter p, int i, double absent) {
        return p == null ? absent : p.value().getFlat(i);
    }
}
