package org.autoinit.init;

import org.autoinit.init.moments.Moments;
import org.autoinit.init.rules.ChannelStats;
import org.autoinit.init.rules.FeatureCovariance;
import org.autoinit.init.rules.Signal;
import org.autoinit.tensor.Tensor;

/** Estimates an input signal from a batch of data. */
final class InputEstimate {
    private InputEstimate() {}

    /**
     * Per-channel mean and variance for {@code [N, D]} and {@code [N, C, H, W]} samples (features, channels);
     * otherwise pooled mean and second moment over all entries, and the shared variance: with
     * {@code x_{n,j} = mu + a_j + e_{n,j}} (a_j per-entry constant, e noise of variance v_w), the per-entry
     * sample means m_j over N samples have {@code Var_j(m_j) = Var(a) + v_w / N} while the pooled variance is
     * {@code v = Var(a) + v_w}, so {@code Var(a) = (N Var_j(m_j) - v) / (N - 1)} (clamped to [0, v]).
     */
    static Signal of(Tensor t) {
        int rank = t.rank() - 1;
        if (rank == 1) {
            Signal s = perChannel(t, t.dim(1), 1, true);
            return t.dim(1) <= FeatureCovariance.MAX_FEATURES ? s.withCovariance(FeatureCovariance.ofSample(t)) : s;
        }
        if (rank == 3) {
            return perChannel(t, t.dim(1), t.dim(2) * t.dim(3), false);
        }
        return pooled(t);
    }

    /**
     * Given moments for an input of this per-sample shape: every channel the same (features of {@code [D]},
     * channels of {@code [C, H, W]}); no channels for other ranks. Feature vectors get their covariance (independent).
     */
    static Signal given(int[] shape, Moments m) {
        if (shape.length == 1) {
            Signal s = Signal.of(ChannelStats.of(ChannelStats.Axis.LAST, filled(shape[0], m.mean()), filled(shape[0], m.variance())));
            return shape[0] <= FeatureCovariance.MAX_FEATURES ? s.withCovariance(FeatureCovariance.independent(filled(shape[0], m.variance()))) : s;
        }
        if (shape.length == 3) {
            return Signal.of(ChannelStats.of(ChannelStats.Axis.FIRST, filled(shape[0], m.mean()), filled(shape[0], m.variance())));
        }
        return Signal.of(m);
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** Mean and variance of each channel over the batch and its {@code positions}. */
    private static Signal perChannel(Tensor t, int channels, int positions, boolean features) {
        int n = t.dim(0);
        double[] s = new double[channels], q = new double[channels];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < channels; c++) {
                int base = (b * channels + c) * positions;
                for (int p = 0; p < positions; p++) {
                    double x = t.getFlat(base + p);
                    s[c] += x;
                    q[c] += x * x;
                }
            }
        }
        double count = (double) n * positions;
        for (int c = 0; c < channels; c++) {
            s[c] /= count;
            q[c] = Math.max(0, q[c] / count - s[c] * s[c]);
            if (!Double.isFinite(s[c]) || !Double.isFinite(q[c])) {
                throw new IllegalArgumentException("AutoInit: input sample contains non-finite values");
            }
        }
        return Signal.of(ChannelStats.of(features ? ChannelStats.Axis.LAST : ChannelStats.Axis.FIRST, s, q));
    }

    private static Signal pooled(Tensor t) {
        int n = t.dim(0);
        int e = t.numel() / n;
        if (e == 0) {
            throw new IllegalArgumentException("AutoInit: input sample of shape " + java.util.Arrays.toString(t.shape()) + " is empty");
        }
        double[] m = new double[e];
        double sum = 0, sumSq = 0;
        for (int s = 0; s < n; s++) {
            int base = s * e;
            for (int j = 0; j < e; j++) {
                double x = t.getFlat(base + j);
                m[j] += x;
                sum += x;
                sumSq += x * x;
            }
        }
        double total = (double) n * e;
        double mean = sum / total;
        double q = sumSq / total;
        if (!Double.isFinite(mean) || !Double.isFinite(q)) {
            throw new IllegalArgumentException("AutoInit: input sample contains non-finite values");
        }
        Moments mo = new Moments(mean, Math.max(q, mean * mean));
        double v = mo.variance();
        double mm = 0, mq = 0;
        for (int j = 0; j < e; j++) {
            double mj = m[j] / n;
            mm += mj;
            mq += mj * mj;
        }
        mm /= e;
        double varM = Math.max(0, mq / e - mm * mm);
        double shared = Math.max(0, Math.min(v, (n * varM - v) / (n - 1)));
        return Signal.of(mo, shared);
    }
}
