package org.autoinit.init.rules;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.Simd;
import org.autoinit.tensor.simd.WeightSumsSimd;

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

    /** Writes the flat weight entries {@code [from, to)} (a fill fused into {@link #predict}'s pass over the weights). */
    @FunctionalInterface
    public interface PendingFill {
        void fill(int from, int to);
    }

    /** The output channels of {@code spec} for input channels {@code in} ({@code spec.inputChannels()} of them). */
    public static ChannelStats predict(WeightSpec spec, ChannelStats in) {
        return predict(spec, in, null);
    }

    /**
     * As {@link #predict(WeightSpec, ChannelStats)} for a weight not written yet: {@code pending} writes each range of
     * entries just before the pass reads it (from cache, not a second pass over memory); every entry is written.
     */
    public static ChannelStats predict(WeightSpec spec, ChannelStats in, PendingFill pending) {
        Tensor w = spec.weight().value();
        int units = spec.units(), taps = spec.taps(), ipu = spec.inputsPerUnit();
        if (in.count() != spec.inputChannels()) {
            throw new IllegalArgumentException("WeightedStats: " + in.count() + " input channels for a weight expecting " + spec.inputChannels());
        }
        if (pending != null && (long) units * ipu * taps != w.numel()) {
            pending.fill(0, w.numel()); // the pass would not cover every entry: write them all first
            pending = null;
        }
        PendingFill fill = pending;
        double[] c = new double[units], v = new double[units];
        // One pass over the weights (the bulk of AutoInit's cost besides drawing them): split over the units.
        int grain = Math.max(1, (1 << 16) / Math.max(1, ipu * taps));
        if (spec.unitsLast()) {
            // A Dense pass also draws its weights (fill): ~3 ns per weight, so split from 16k weights (a ViT's 128 x 384
            // projections ran on one thread). Each weight's draw is a function of its index and unit j's sums do not
            // depend on the split: the same bits.
            int denseGrain = Math.max(1, (1 << 14) / Math.max(1, ipu * taps));
            Parallel.forRange(units, fill != null ? denseGrain : grain, (from, to) -> denseUnits(w, ipu, units, in, c, v, from, to, fill));
        } else {
            // float32, one group, 1 or 9 taps: each unit's run of weights front to back on float vectors against per-entry
            // coefficients rounded to float, partial sums widened every few hundred weights (relative differences
            // from the float64 loop about 1e-7, float rounding: see WeightSumsSimd).
            float[][] coef = w.dtype() == DType.FLOAT32 && spec.groups() == 1 && Simd.enabled() && WeightSumsSimd.supports(taps)
                    ? coefficients(spec, in, ipu, taps) : null;
            // As for Dense: a pass that draws too splits from 16k weights (each unit's run is its own, the same bits).
            int drawGrain = Math.max(1, (1 << 14) / Math.max(1, ipu * taps));
            // Every input channel with the same law (common after a batch norm): coefficients per tap only, kept in registers.
            boolean periodic = coef != null && sameLaw(in, ipu);
            Parallel.forRange(units, fill != null ? drawGrain : grain,
                    (from, to) -> convUnits(spec, w, ipu, taps, units, in, c, v, from, to, fill, coef, periodic));
        }
        if (spec.bias() != null) {
            Tensor b = spec.bias().value();
            for (int j = 0; j < units; j++) {
                c[j] += b.getFlat(j);
            }
        }
        return ChannelStats.wrap(spec.outputAxis(), c, v);
    }

    /** Units {@code [from, to)} of a {@code [in, out]} weight: {@code c_j = sum_i w_ij m_i}, {@code v_j = sum_i w_ij^2 v_i}. */
    private static void denseUnits(Tensor w, int ipu, int units, ChannelStats in, double[] c, double[] v, int from, int to, PendingFill fill) {
        float[] fa = w.dtype() == DType.FLOAT32 ? w.floatData() : null;
        double[] da = fa == null ? w.doubleData() : null;
        if (fa != null && Simd.enabled()) {
            if (denseUnitsSimd(fa, ipu, units, in, c, v, from, to, fill)) {
                return;
            }
            // A float product overflowed (or a weight or coefficient is not finite): these units again in float64, as below.
            java.util.Arrays.fill(c, from, to, 0);
            java.util.Arrays.fill(v, from, to, 0);
            fill = null;
        }
        for (int i = 0; i < ipu; i++) {
            double m = in.mean[i], vi = in.var[i];
            int row = i * units;
            if (fill != null) {
                fill.fill(row + from, row + to);
            }
            if (fa != null) {
                for (int j = from; j < to; j++) {
                    double x = fa[row + j];
                    c[j] += x * m;
                    v[j] += x * x * vi;
                }
            } else {
                for (int j = from; j < to; j++) {
                    double x = da[row + j];
                    c[j] += x * m;
                    v[j] += x * x * vi;
                }
            }
        }
    }

    /** Rows of float products added in float before each widening into float64 (see {@link #denseUnitsSimd}). */
    private static final int DENSE_ROWS = 8;

    /**
     * {@link #denseUnits} for float32 on float vectors: each input row's products {@code x m_i} and {@code x^2 v_i}
     * (coefficients rounded to float) are added in float per unit ({@link WeightSumsSimd#accumulateRow}) and widened into
     * float64 every {@link #DENSE_ROWS} rows, so each term passes through at most 10 float roundings: relative error about
     * {@code 10 2^-24} of the sum of the terms' magnitudes. Unit j's arithmetic does not depend on the split over threads.
     * Returns false (sums not usable) when some unit's sum is not finite.
     */
    private static boolean denseUnitsSimd(float[] fa, int ipu, int units, ChannelStats in, double[] c, double[] v, int from, int to,
            PendingFill fill) {
        int n = to - from;
        float[] pa = new float[n], pb = new float[n];
        for (int i = 0; i < ipu; i++) {
            int row = i * units;
            if (fill != null) {
                fill.fill(row + from, row + to);
            }
            WeightSumsSimd.accumulateRow(fa, row + from, n, (float) in.mean[i], (float) in.var[i], pa, pb);
            if ((i + 1) % DENSE_ROWS == 0 || i == ipu - 1) {
                for (int j = 0; j < n; j++) {
                    c[from + j] += pa[j];
                    v[from + j] += pb[j];
                }
                java.util.Arrays.fill(pa, 0f);
                java.util.Arrays.fill(pb, 0f);
            }
        }
        for (int j = from; j < to; j++) {
            if (!Double.isFinite(c[j]) || !Double.isFinite(v[j])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Units {@code [from, to)} of a {@code [out, in/groups, taps]} weight: per tap t, {@code A_t = sum_i w m_i},
     * {@code B_t = sum_i w^2 v_i} (and {@code sum_i w^2 m_i^2} without a tap covariance), then the taps' factors.
     */
    private static void convUnits(WeightSpec spec, Tensor w, int ipu, int taps, int units, ChannelStats in, double[] c, double[] v, int from,
            int to, PendingFill fill, float[][] coef, boolean periodic) {
        float[] fa = w.dtype() == DType.FLOAT32 ? w.floatData() : null;
        double[] da = fa == null ? w.doubleData() : null;
        double[] phi = spec.tapValidity(), alpha = spec.tapMean(), cov = spec.tapCovariance();
        boolean diagonal = phi != null && cov == null;
        double[] a = new double[taps], b = new double[taps], q = new double[taps];
        double[] mean = in.mean, var = in.var;
        int perGroup = units / spec.groups(), run = ipu * taps;
        // Pending weights are written a block of units at a time (one call per ~16 KB rather than per unit: a 1x1 conv's
        // unit is 64-2048 weights, where the fill's fixed cost per call showed); the block is still read back from cache.
        int unitsPerFill = Math.max(1, FILL_BLOCK / Math.max(1, run)), filled = from;
        for (int j = from; j < to; j++) {
            int base = (j / perGroup) * ipu, first = j * run;
            if (fill != null && j == filled) {
                filled = Math.min(to, j + unitsPerFill);
                fill.fill(first, filled * run);
            }
            if (coef != null) {
                double vj = WeightSumsSimd.sums(fa, first, run, taps, coef[0], coef[1], a, periodic);
                c[j] = 0;
                for (int t = 0; t < taps; t++) {
                    c[j] += (phi == null ? 1 : alpha[t]) * a[t];
                }
                v[j] = vj + spread(cov, a, taps);
                continue;
            }
            // Tap by tap with the sums in registers (the unit's ipu * taps weights stay in cache across taps).
            for (int t = 0; t < taps; t++) {
                if (fa != null && !diagonal) {
                    tapSums(fa, first + t, taps, mean, var, base, ipu, a, b, t);
                } else if (fa != null) {
                    tapSums(fa, first + t, taps, mean, var, base, ipu, a, b, q, t);
                } else {
                    double sa = 0, sb = 0, sq = 0;
                    for (int i = 0, k = first + t; i < ipu; i++, k += taps) {
                        double x = da[k], m = mean[base + i], xx = x * x;
                        sa += x * m;
                        sb += xx * var[base + i];
                        sq += xx * m * m;
                    }
                    a[t] = sa;
                    b[t] = sb;
                    q[t] = sq;
                }
            }
            double cj = 0, vj = 0;
            for (int t = 0; t < taps; t++) {
                double p = phi == null ? 1 : phi[t], al = phi == null ? 1 : alpha[t];
                cj += al * a[t];
                vj += p * b[t] + (diagonal ? q[t] * Math.max(0, p - al * al) : 0);
            }
            c[j] = cj;
            v[j] = vj + spread(cov, a, taps);
        }
    }

    /** Weights a pending fill writes per call in {@link #convUnits} (whole units; at least one). */
    private static final int FILL_BLOCK = 1 << 12;

    /** {@code max(0, A^T K A)}, 0 without K: {@code Var_p sum_t A_t a_t(p)}, the per-tap constants spread over border and interior positions. */
    private static double spread(double[] cov, double[] a, int taps) {
        if (cov == null) {
            return 0;
        }
        double spread = 0;
        for (int t = 0; t < taps; t++) {
            double row = 0;
            for (int u = 0; u < taps; u++) {
                row += cov[t * taps + u] * a[u];
            }
            spread += a[t] * row;
        }
        return Math.max(0, spread);
    }

    /**
     * Per weight entry k of a unit (channel i = k / taps, tap t = k mod taps), for {@link WeightSumsSimd}: the mean
     * {@code m_i}, and {@code v_i phi_t + m_i^2 max(0, phi_t - alpha_t^2)} (the second term with diagonal taps only),
     * so that {@code sum_k w_k^2 cv_k} is the unit's variance before the taps' spread.
     */
    private static float[][] coefficients(WeightSpec spec, ChannelStats in, int ipu, int taps) {
        double[] phi = spec.tapValidity(), alpha = spec.tapMean();
        boolean diagonal = phi != null && spec.tapCovariance() == null;
        int n = ipu * taps;
        float[] cm = new float[n], cv = new float[n];
        for (int k = 0; k < n; k++) {
            int i = k / taps, t = k % taps;
            double m = in.mean[i], p = phi == null ? 1 : phi[t];
            cm[k] = (float) m;
            cv[k] = (float) (in.var[i] * p + (diagonal ? m * m * Math.max(0, p - alpha[t] * alpha[t]) : 0));
        }
        return new float[][] {cm, cv};
    }

    /** True when input channels {@code [0, n)} all have channel 0's mean and variance (same bits). */
    private static boolean sameLaw(ChannelStats in, int n) {
        double m = in.mean[0], v = in.var[0];
        for (int i = 1; i < n; i++) {
            if (Double.doubleToLongBits(in.mean[i]) != Double.doubleToLongBits(m) || Double.doubleToLongBits(in.var[i]) != Double.doubleToLongBits(v)) {
                return false;
            }
        }
        return true;
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

    /**
     * {@code a[t] = sum_i w m_i}, {@code b[t] = sum_i w^2 v_i}, {@code q[t] = sum_i w^2 m_i^2} over the weights
     * {@code w[k + i stride]}, i < n: four interleaved partial sums per quantity, so the additions do not wait on
     * each other (a float32 model's every weight passes through here).
     */
    private static void tapSums(float[] w, int k, int stride, double[] mean, double[] var, int base, int n, double[] a, double[] b, double[] q,
            int t) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4, k += 4 * stride) {
            double x0 = w[k], x1 = w[k + stride], x2 = w[k + 2 * stride], x3 = w[k + 3 * stride];
            double m0 = mean[base + i], m1 = mean[base + i + 1], m2 = mean[base + i + 2], m3 = mean[base + i + 3];
            a0 += x0 * m0;
            a1 += x1 * m1;
            a2 += x2 * m2;
            a3 += x3 * m3;
            x0 *= x0;
            x1 *= x1;
            x2 *= x2;
            x3 *= x3;
            b0 += x0 * var[base + i];
            b1 += x1 * var[base + i + 1];
            b2 += x2 * var[base + i + 2];
            b3 += x3 * var[base + i + 3];
            q0 += x0 * m0 * m0;
            q1 += x1 * m1 * m1;
            q2 += x2 * m2 * m2;
            q3 += x3 * m3 * m3;
        }
        for (; i < n; i++, k += stride) {
            double x = w[k], m = mean[base + i], xx = x * x;
            a0 += x * m;
            b0 += xx * var[base + i];
            q0 += xx * m * m;
        }
        a[t] = (a0 + a1) + (a2 + a3);
        b[t] = (b0 + b1) + (b2 + b3);
        q[t] = (q0 + q1) + (q2 + q3);
    }

    /** {@link #tapSums(float[], int, int, double[], double[], int, int, double[], double[], double[], int)} without q (unused unless the taps are diagonal). */
    private static void tapSums(float[] w, int k, int stride, double[] mean, double[] var, int base, int n, double[] a, double[] b, int t) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4, k += 4 * stride) {
            double x0 = w[k], x1 = w[k + stride], x2 = w[k + 2 * stride], x3 = w[k + 3 * stride];
            a0 += x0 * mean[base + i];
            a1 += x1 * mean[base + i + 1];
            a2 += x2 * mean[base + i + 2];
            a3 += x3 * mean[base + i + 3];
            b0 += x0 * x0 * var[base + i];
            b1 += x1 * x1 * var[base + i + 1];
            b2 += x2 * x2 * var[base + i + 2];
            b3 += x3 * x3 * var[base + i + 3];
        }
        for (; i < n; i++, k += stride) {
            double x = w[k];
            a0 += x * mean[base + i];
            b0 += x * x * var[base + i];
        }
        a[t] = (a0 + a1) + (a2 + a3);
        b[t] = (b0 + b1) + (b2 + b3);
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
