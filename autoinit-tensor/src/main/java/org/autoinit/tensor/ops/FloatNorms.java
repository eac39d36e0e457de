package org.autoinit.tensor.ops;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.FloatRows;
import org.autoinit.tensor.simd.FloatSimd;
import org.autoinit.tensor.simd.Simd;

/**
 * float32 fast paths of batch norm ({@link ChannelNorm}) and layer norm ({@link RowNorm}): the same formulas,
 * computed on the float arrays in place (no widening copies), with sums per contiguous run (lane-parallel
 * with the Vector API when available) added up in double, and the elementwise passes folded into one
 * {@code a*x + b} (forward) or {@code a*g + b*x + c} (backward) per channel or row, which C2 vectorizes.
 * Results agree with the double paths to float32 rounding.
 */
final class FloatNorms {
    private FloatNorms() {}

    static boolean applies(Tensor x) {
        return x.dtype() == DType.FLOAT32;
    }

    /** Sum of a run, lane-parallel when possible. */
    static double sum(float[] a, int off, int len) {
        if (Simd.enabled()) return FloatSimd.sum(a, off, len);
        double s = 0;
        for (int i = off; i < off + len; i++) s += a[i];
        return s;
    }

    static double sumSquaredDeviations(float[] a, int off, int len, float mean) {
        if (Simd.enabled()) return FloatSimd.sumSquaredDeviations(a, off, len, mean);
        double s = 0;
        for (int i = off; i < off + len; i++) s += (double) (a[i] - mean) * (a[i] - mean);
        return s;
    }

    static double dot(float[] a, int ao, float[] b, int bo, int len) {
        if (Simd.enabled()) return FloatSimd.dot(a, ao, b, bo, len);
        double s = 0;
        for (int i = 0; i < len; i++) s += (double) a[ao + i] * b[bo + i];
        return s;
    }

    // ------------------------------------------------------------------ batch norm: x viewed as [n, channels, span]

    /** Per-channel mean and variances, two passes, run sums in double. */
    static ChannelNorm.Stats batchStats(Tensor x, int n, int channels, int span) {
        float[] xs = x.floatData();
        int count = n * span;
        double[] mean = new double[channels], var = new double[channels], unbiased = new double[channels];
        forChannels(count, channels, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += sum(xs, (i * channels + c) * span, span);
                double m = s / count;
                double ss = 0;
                for (int i = 0; i < n; i++) ss += sumSquaredDeviations(xs, (i * channels + c) * span, span, (float) m);
                mean[c] = m;
                var[c] = ss / count;
                unbiased[c] = count > 1 ? ss / (count - 1) : Double.NaN;
            }
        });
        return new ChannelNorm.Stats(mean, var, unbiased);
    }

    /**
     * {@code y = x * (rstd gamma) + (beta - mean rstd gamma)} per channel, plus {@code addend} when not null, then
     * {@code max(., 0)} with {@code relu}.
     */
    static void channelAffine(Tensor x, double[] gam, double[] bet, double[] mean, double[] rstd, Tensor addend, boolean relu,
                              Tensor out, int n, int channels, int span) {
        float[] xs = x.floatData(), ys = out.floatData(), as = addend == null ? null : addend.floatData();
        forChannels(n * span, channels, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                double scale = rstd[c] * (gam == null ? 1.0 : gam[c]);
                float a = (float) scale, b = (float) ((bet == null ? 0.0 : bet[c]) - mean[c] * scale);
                for (int i = 0; i < n; i++) {
                    int off = (i * channels + c) * span;
                    if (as != null && relu) {
                        for (int j = off; j < off + span; j++) ys[j] = Math.max(as[j] + (xs[j] * a + b), 0f);
                    } else if (as != null) {
                        for (int j = off; j < off + span; j++) ys[j] = as[j] + (xs[j] * a + b);
                    } else if (relu) {
                        for (int j = off; j < off + span; j++) ys[j] = Math.max(xs[j] * a + b, 0f);
                    } else {
                        for (int j = off; j < off + span; j++) ys[j] = xs[j] * a + b;
                    }
                }
            }
        });
    }

    /**
     * Batch norm backward per channel: {@code dbeta = sum g}, {@code dgamma = sum g xhat = rstd (sum g x - mean sum g)},
     * and {@code dx} as in {@link ChannelNorm} rewritten as {@code a g + b x + c}.
     */
    static void channelBackward(Tensor x, double[] gam, Tensor g, double[] mean, double[] rstd, boolean batchStats,
                                double[] dgamma, double[] dbeta, Tensor dx, int n, int channels, int span) {
        float[] xs = x.floatData(), gs = g.floatData(), ds = dx == null ? null : dx.floatData();
        int count = n * span;
        forChannels(count, channels, (lo, hi) -> {
            double[] sums = new double[2];
            for (int c = lo; c < hi; c++) {
                double sg = 0, sgx = 0;
                if (Simd.enabled()) {
                    // One pass over g for both sums (same bits as sum and dot): g is re-read from memory per pass.
                    sums[0] = 0;
                    sums[1] = 0;
                    for (int i = 0; i < n; i++) {
                        int off = (i * channels + c) * span;
                        FloatSimd.sumAndDot(gs, off, xs, off, span, sums);
                    }
                    sg = sums[0];
                    sgx = sums[1];
                } else {
                    for (int i = 0; i < n; i++) {
                        int off = (i * channels + c) * span;
                        sg += sum(gs, off, span);
                        sgx += dot(gs, off, xs, off, span);
                    }
                }
                double m = mean[c], rs = rstd[c];
                double sgxhat = rs * (sgx - m * sg);
                dgamma[c] = sgxhat;
                dbeta[c] = sg;
                if (ds == null) continue;
                double k = rs * (gam == null ? 1.0 : gam[c]);
                // dx = k (g - m1 - xhat m2), xhat = (x - mean) rs
                double m1 = batchStats ? sg / count : 0, m2 = batchStats ? sgxhat / count : 0;
                float a = (float) k, b = (float) (-k * m2 * rs), cc = (float) (-k * m1 + k * m2 * rs * m);
                for (int i = 0; i < n; i++) {
                    int off = (i * channels + c) * span;
                    for (int j = off; j < off + span; j++) ds[j] = a * gs[j] + b * xs[j] + cc;
                }
            }
        });
    }

    private static void forChannels(int count, int channels, Parallel.Range body) {
        Parallel.forRange(channels, Math.max(1, Elementwise.GRAIN / Math.max(1, count)), body);
    }

    // ------------------------------------------------------------------ layer norm: rows of len, one affine index per element

    /** Layer norm forward over rows; fills mean and rstd. */
    static void layerForward(Tensor x, float[] gam, float[] bet, double eps, double[] mean, double[] rstd, Tensor out, int rows, int len) {
        float[] xs = x.floatData(), ys = out.floatData();
        Parallel.forRange(rows, Math.max(1, Elementwise.GRAIN / Math.max(1, len)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int off = r * len;
                double m = sum(xs, off, len) / len;
                double rs = 1.0 / Math.sqrt(sumSquaredDeviations(xs, off, len, (float) m) / len + eps);
                mean[r] = m;
                rstd[r] = rs;
                float mf = (float) m, rf = (float) rs;
                if (Simd.enabled()) {
                    FloatRows.normalize(xs, ys, off, len, mf, rf, gam, bet);
                    continue;
                }
                // One branch-free loop per affine case.
                if (gam == null && bet == null) {
                    for (int i = 0; i < len; i++) ys[off + i] = (xs[off + i] - mf) * rf;
                } else if (gam == null) { // a bias without a weight (was dropped here before; the float64 path adds it)
                    for (int i = 0; i < len; i++) ys[off + i] = (xs[off + i] - mf) * rf + bet[i];
                } else if (bet == null) {
                    for (int i = 0; i < len; i++) ys[off + i] = (xs[off + i] - mf) * rf * gam[i] + 0f;
                } else {
                    for (int i = 0; i < len; i++) ys[off + i] = (xs[off + i] - mf) * rf * gam[i] + bet[i];
                }
            }
        });
    }

    /**
     * Layer norm backward over blocks of rows: per-block float partials of dgamma ({@code sum g xhat}) and dbeta
     * ({@code sum g}) at {@code partial[b * 2 * len ..]}, and {@code dx = rs (gg - mean(gg) - xhat mean(gg xhat))}, gg = g gamma.
     */
    static void layerBackward(Tensor x, float[] gam, Tensor g, double[] mean, double[] rstd, double[] partial, Tensor dx,
                              int rows, int len, int blockRows, int blocks) {
        float[] xs = x.floatData(), gs = g.floatData(), ds = dx == null ? null : dx.floatData();
        Parallel.forRange(blocks, Math.max(1, Elementwise.GRAIN / Math.max(1, blockRows * len)), (bLo, bHi) -> {
            float[] gg = new float[len], pg = new float[len], pb = new float[len];
            for (int b = bLo; b < bHi; b++) {
                java.util.Arrays.fill(pg, 0f);
                java.util.Arrays.fill(pb, 0f);
                for (int r = b * blockRows, end = Math.min(rows, r + blockRows); r < end; r++) {
                    int off = r * len;
                    float mf = (float) mean[r], rf = (float) rstd[r];
                    // Rows at off with per-feature arrays at 0: C2 does not vectorize such loops (possible aliasing), FloatRows does.
                    boolean simd = Simd.enabled();
                    if (partial != null && simd) {
                        FloatRows.accumulateAffineGrads(gs, xs, off, len, mf, rf, pg, pb);
                    } else if (partial != null) {
                        for (int i = 0; i < len; i++) {
                            float gv = gs[off + i];
                            pg[i] += gv * ((xs[off + i] - mf) * rf);
                            pb[i] += gv;
                        }
                    }
                    if (ds == null) continue;
                    if (gam == null) {
                        System.arraycopy(gs, off, gg, 0, len);
                    } else if (simd) {
                        FloatRows.scale(gs, off, gam, gg, len);
                    } else {
                        for (int i = 0; i < len; i++) gg[i] = gs[off + i] * gam[i];
                    }
                    double s1 = sum(gg, 0, len), sgx = dot(gg, 0, xs, off, len);
                    double rs = rstd[r], m = mean[r];
                    double m1 = s1 / len, m2 = rs * (sgx - m * s1) / len;
                    float a = (float) rs, bb = (float) (-rs * m2 * rs), c = (float) (-rs * m1 + rs * m2 * rs * m);
                    if (simd) {
                        FloatRows.combine(a, gg, bb, xs, c, ds, off, len);
                    } else {
                        for (int i = 0; i < len; i++) ds[off + i] = a * gg[i] + bb * xs[off + i] + c;
                    }
                }
                if (partial != null) {
                    int pOff = b * 2 * len;
                    for (int i = 0; i < len; i++) {
                        partial[pOff + i] = pg[i];
                        partial[pOff + len + i] = pb[i];
                    }
                }
            }
        });
    }
}
