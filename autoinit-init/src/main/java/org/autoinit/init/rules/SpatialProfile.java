package org.autoinit.init.rules;

/**
 * How the second moment of a feature map varies over positions, relative to its average: {@code beta[p]}
 * (mean 1) for the {@code h x w} positions. Zero padding makes it uneven (a border output of a padded conv
 * reads fewer real inputs), and a padded conv that follows reads border entries from fewer outputs than
 * interior ones, so each such conv weights the centre more: ignoring the profile under-predicts the output
 * variance by a few percent per layer on small maps, compounding with depth. Null means uniform.
 */
public final class SpatialProfile {
    final int h, w;
    final double[] beta;

    SpatialProfile(int h, int w, double[] beta) {
        this.h = h;
        this.w = w;
        this.beta = beta;
    }

    public int height() {
        return h;
    }

    public int width() {
        return w;
    }

    /** Relative second moment at (row, col). */
    public double at(int row, int col) {
        return beta[row * w + col];
    }

    /** A profile scaled to mean 1, or null when it is (nearly) uniform or all zero. */
    static SpatialProfile normalized(int h, int w, double[] b) {
        double s = 0;
        for (double x : b) {
            s += x;
        }
        if (!(s > 0)) {
            return null;
        }
        double mean = s / b.length;
        boolean flat = true;
        for (int i = 0; i < b.length; i++) {
            b[i] /= mean;
            flat &= Math.abs(b[i] - 1) < 1e-9;
        }
        return flat ? null : new SpatialProfile(h, w, b);
    }

    /** The profile of {@code s} if it has one for an {@code h x w} map. */
    static SpatialProfile of(Signal s, int h, int w) {
        SpatialProfile p = s.profile();
        return p != null && p.h == h && p.w == w ? p : null;
    }

    /**
     * Per-tap factors of a (possibly strided, dilated, padded) window and the output profile. {@code covariance}
     * ({@code taps x taps}, row-major) is the covariance over output positions of the amplitudes {@code a_t(p)}
     * the taps read (the square root of the relative second moment, 0 in the padding): how a per-tap constant
     * spreads across border and interior positions; null when every tap reads the same amplitude everywhere.
     */
    record Taps(double[] variance, double[] mean, double[] covariance, SpatialProfile out) {}

    /**
     * For a {@code kh x kw} window over an {@code inH x inW} map: for each tap, the average over the
     * {@code outH x outW} output positions of the input's relative second moment where it reads (0 in the
     * padding), and of its square root (how the mean scales); the covariance of those square roots between
     * taps; and the output profile {@code sum_t beta(p + t)}. A uniform input makes the amplitudes products of a
     * row and a column indicator, so their covariance is computed per axis.
     */
    static Taps window(SpatialProfile in, int inH, int inW, int outH, int outW, int kh, int kw, int sh, int sw, int padTop, int padLeft,
            int dh, int dw) {
        int taps = kh * kw;
        double[] tv = new double[taps], tm = new double[taps], out = new double[outH * outW];
        // sqrt is correctly rounded, so taking it once per input entry gives the same bits as once per (tap, position)
        double[] amp = in == null ? null : sqrt(in.beta);
        for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
                double sv = 0, sm = 0;
                for (int oh = 0; oh < outH; oh++) {
                    int ih = oh * sh - padTop + a * dh;
                    if (ih < 0 || ih >= inH) {
                        continue;
                    }
                    for (int ow = 0; ow < outW; ow++) {
                        int iw = ow * sw - padLeft + b * dw;
                        if (iw < 0 || iw >= inW) {
                            continue;
                        }
                        double x = in == null ? 1 : in.beta[ih * inW + iw];
                        sv += x;
                        sm += in == null ? 1 : amp[ih * inW + iw];
                        out[oh * outW + ow] += x;
                    }
                }
                tv[a * kw + b] = sv / (outH * outW);
                tm[a * kw + b] = sm / (outH * outW);
            }
        }
        double[] cov = in == null ? separableCovariance(inH, inW, outH, outW, kh, kw, sh, sw, padTop, padLeft, dh, dw)
                : AmplitudeCovariance.of(amp, inH, inW, outH, outW, kh, kw, sh, sw, padTop, padLeft, dh, dw);
        if (cov != null) {
            for (int t = 0; t < taps; t++) {
                for (int u = 0; u < taps; u++) {
                    cov[t * taps + u] -= tm[t] * tm[u];
                }
            }
        }
        return new Taps(tv, tm, cov, normalized(outH, outW, out));
    }

    /** {@code E_p[a_t a_u]} for a uniform input: {@code R[a][a'] C[b][b']} (row and column co-validity), or null when nothing is padded. */
    private static double[] separableCovariance(int inH, int inW, int outH, int outW, int kh, int kw, int sh, int sw, int padTop, int padLeft,
            int dh, int dw) {
        double[] r = coValid(inH, outH, kh, sh, padTop, dh), c = coValid(inW, outW, kw, sw, padLeft, dw);
        if (r == null && c == null) {
            return null;
        }
        r = r != null ? r : ones(kh * kh);
        c = c != null ? c : ones(kw * kw);
        int taps = kh * kw;
        double[] m = new double[taps * taps];
        for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
                for (int a2 = 0; a2 < kh; a2++) {
                    for (int b2 = 0; b2 < kw; b2++) {
                        m[(a * kw + b) * taps + a2 * kw + b2] = r[a * kh + a2] * c[b * kw + b2];
                    }
                }
            }
        }
        return m;
    }

    /** Fraction of the {@code out} positions where taps k and k2 both read a real input ({@code k x k}), or null when all always do. */
    private static double[] coValid(int in, int out, int k, int stride, int pad, int dil) {
        double[] m = new double[k * k];
        boolean all = true;
        for (int o = 0; o < out; o++) {
            for (int a = 0; a < k; a++) {
                int i = o * stride - pad + a * dil;
                boolean va = i >= 0 && i < in;
                all &= va;
                if (!va) {
                    continue;
                }
                for (int a2 = 0; a2 < k; a2++) {
                    int i2 = o * stride - pad + a2 * dil;
                    if (i2 >= 0 && i2 < in) {
                        m[a * k + a2] += 1.0 / out;
                    }
                }
            }
        }
        return all ? null : m;
    }

    private static double[] ones(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1.0);
        return a;
    }

    private static double[] sqrt(double[] b) {
        double[] r = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = Math.sqrt(b[i]);
        }
        return r;
    }

    /** The profile of a pooling layer's output: the average (max pooling: over the real entries) of each window. */
    static SpatialProfile pooled(SpatialProfile in, int inH, int inW, int outH, int outW, int kh, int kw, int sh, int sw, int ph, int pw,
            boolean realEntriesOnly) {
        if (in == null && !realEntriesOnly && ph == 0 && pw == 0) {
            return null;
        }
        double[] out = new double[outH * outW];
        for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++) {
                double s = 0;
                int n = 0;
                for (int a = 0; a < kh; a++) {
                    int ih = oh * sh - ph + a;
                    for (int b = 0; b < kw; b++) {
                        int iw = ow * sw - pw + b;
                        if (ih >= 0 && ih < inH && iw >= 0 && iw < inW) {
                            s += in == null ? 1 : in.beta[ih * inW + iw];
                            n++;
                        }
                    }
                }
                out[oh * outW + ow] = realEntriesOnly ? s / Math.max(1, n) : s;
            }
        }
        return normalized(outH, outW, out);
    }

    /** The profile after zero padding (zeros outside), renormalized. */
    static SpatialProfile padded(SpatialProfile in, int inH, int inW, int top, int left, int outH, int outW) {
        double[] b = new double[outH * outW];
        for (int r = 0; r < inH; r++) {
            for (int c = 0; c < inW; c++) {
                b[(r + top) * outW + c + left] = in == null ? 1 : in.beta[r * inW + c];
            }
        }
        return normalized(outH, outW, b);
    }

    /** The profile of {@code sum_i a_i x_i} of independent inputs: their profiles weighted by {@code a_i^2 E[x_i^2]} (a null = ones). */
    static SpatialProfile ofSum(java.util.List<Signal> inputs, double[] a) {
        SpatialProfile first = null;
        for (Signal s : inputs) {
            if (s.profile() != null) {
                first = s.profile();
                break;
            }
        }
        if (first == null) {
            return null;
        }
        SpatialProfile[] ps = new SpatialProfile[inputs.size()];
        double[] q = new double[ps.length];
        for (int i = 0; i < ps.length; i++) {
            ps[i] = of(inputs.get(i), first.h, first.w);
            double c = a == null ? 1 : a[i];
            q[i] = c * c * inputs.get(i).secondMoment();
        }
        return combine(ps, q, first.h, first.w);
    }

    /** Weighted sum of profiles (null = uniform) of maps with average second moments {@code q}. */
    static SpatialProfile combine(SpatialProfile[] ps, double[] q, int h, int w) {
        boolean any = false;
        for (SpatialProfile p : ps) {
            any |= p != null;
        }
        if (!any) {
            return null;
        }
        double[] b = new double[h * w];
        for (int i = 0; i < ps.length; i++) {
            for (int k = 0; k < b.length; k++) {
                b[k] += q[i] * (ps[i] == null ? 1 : ps[i].beta[k]);
            }
        }
        return normalized(h, w, b);
    }
}
