package org.autoinit.init.rules;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * Per-unit output statistics of a weighted layer with GIVEN weights (just drawn, frozen or shared).
 *
 * <p>Unit j computes {@code y_j = sum_{i,t} w_{j,i,t} x_{i,t} + b_j}. Input channel i has mean m_i and variance
 * v_i, entries independent across channels and positions; tap t reads, averaged over output positions, the
 * relative second moment phi_t (the fraction of positions where it reads a real input, for a uniform map)
 * and the relative mean alpha_t. Averaged over positions: mean {@code c_j = b_j + sum_{i,t} w m_i alpha_t};
 * variance {@code sum_{i,t} w^2 v_i phi_t + sum_{t,u} A_t A_u K_tu}, with {@code A_t = sum_i w_{j,i,t} m_i} the
 * per-tap constants and K the covariance over positions of the amplitudes the taps read
 * ({@link WeightSpec#tapCovariance}): the spread of the constant across border and interior positions. Exact
 * for the given weights under these assumptions (no average over draws): one pass over the weights. (Without
 * K the spread is taken as {@code sum_{i,t} w^2 m_i^2 (phi_t - alpha_t^2)}, its average over zero-mean draws.)
 */
public final class WeightedStats {
    private WeightedStats() {}

    /** The output channels of {@code spec} for input channels {@code in} ({@code spec.inputChannels()} of them). */
    public static ChannelStats predict(WeightSpec spec, ChannelStats in) {
        Tensor w = spec.weight().value();
        int units = spec.units(), taps = spec.taps(), ipu = spec.inputsPerUnit();
        if (in.count() != spec.inputChannels()) {
            throw new IllegalArgumentException("WeightedStats: " + in.count() + " input channels for a weight expecting " + spec.inputChannels());
        }
        double[] c = new double[units], v = new double[units];
        boolean f32 = w.dtype() == DType.FLOAT32;
        float[] fa = f32 ? w.floatData() : null;
        double[] da = f32 ? null : w.doubleData();
        if (spec.unitsLast()) {
            for (int i = 0; i < ipu; i++) {
                double m = in.mean[i], vi = in.var[i];
                int row = i * units;
                for (int j = 0; j < units; j++) {
                    double x = f32 ? fa[row + j] : da[row + j];
                    c[j] += x * m;
                    v[j] += x * x * vi;
                }
            }
        } else {
            double[] phi = spec.tapValidity(), alpha = spec.tapMean(), cov = spec.tapCovariance();
            double[] tapConst = new double[taps];
            int perGroup = units / spec.groups();
            for (int j = 0; j < units; j++) {
                int base = (j / perGroup) * ipu;
                double cj = 0, vj = 0;
                java.util.Arrays.fill(tapConst, 0);
                for (int i = 0; i < ipu; i++) {
                    double m = in.mean[base + i], vi = in.var[base + i], m2 = cov == null ? m * m : 0;
                    int off = (j * ipu + i) * taps;
                    for (int t = 0; t < taps; t++) {
                        double x = f32 ? fa[off + t] : da[off + t];
                        double p = phi == null ? 1 : phi[t], al = phi == null ? 1 : alpha[t];
                        cj += x * al * m;
                        tapConst[t] += x * m;
                        vj += x * x * (vi * p + m2 * Math.max(0, p - al * al));
                    }
                }
                if (cov != null) {
                    // Var_p sum_t A_t a_t(p): the per-tap constants spread over border and interior positions.
                    double spread = 0;
                    for (int t = 0; t < taps; t++) {
                        double row = 0;
                        for (int u = 0; u < taps; u++) {
                            row += cov[t * taps + u] * tapConst[u];
                        }
                        spread += tapConst[t] * row;
                    }
                    vj += Math.max(0, spread);
                }
                c[j] = cj;
                v[j] = vj;
            }
        }
        if (spec.bias() != null) {
            Tensor b = spec.bias().value();
            for (int j = 0; j < units; j++) {
                c[j] += b.getFlat(j);
            }
        }
        return ChannelStats.wrap(spec.outputAxis(), c, v);
    }

    /**
     * The output of a Dense layer on a feature vector with known covariance: means from {@link #predict}, the exact
     * output covariance {@code W^T C W} and its diagonal as the variances. Null when {@code spec} is not a Dense
     * layer over the tracked features.
     */
    public static Signal withCovariance(WeightSpec spec, Signal in, ChannelStats predicted) {
        FeatureCovariance cov = in.covariance();
        if (cov == null || !spec.unitsLast() || cov.d != spec.inputChannels()) {
            return null;
        }
        FeatureCovariance out = cov.through(spec.weight().value());
        return Signal.of(ChannelStats.wrap(predicted.axis, predicted.mean.clone(), out.variances())).withCovariance(out);
    }

    /** The signal of {@link #withCovariance} for weights scaled by a (bias zero). */
    public static Signal scaled(Signal s, double a) {
        return Signal.of(scaled(s.channels(), a)).withCovariance(s.covariance() == null ? null : s.covariance().scaled(a));
    }

    /** Scales every channel's output by a factor a (the weights were scaled by a, bias zero): means times a, variances times a^2. */
    public static ChannelStats scaled(ChannelStats s, double a) {
        double[] m = s.mean.clone(), v = s.var.clone();
        for (int i = 0; i < m.length; i++) {
            m[i] *= a;
            v[i] *= a * a;
        }
        return ChannelStats.wrap(s.axis, m, v);
    }

    /** The input channels {@code spec} reads, from the signal (its own when they match, else the pooled moments per channel). */
    public static ChannelStats inputChannels(WeightSpec spec, Signal in) {
        ChannelStats exact = in.channels(spec.inputAxis(), spec.inputChannels());
        if (exact != null) {
            return exact;
        }
        if (spec.repeatChannels()) {
            return in.channelsOrUniform(spec.inputAxis(), spec.inputChannels());
        }
        return ChannelStats.uniform(spec.inputAxis(), spec.inputChannels(), in.moments());
    }
}
