package org.autoinit.tensor.ops;

import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Fused normalization of contiguous rows, shared by layer norm and group norm. The input is viewed as
 * {@code [rows, len]}; each row is standardized with its own mean and biased variance,
 * {@code xhat = (x - mean) * rstd}, {@code rstd = 1/sqrt(var + eps)}, then {@code y = xhat * gamma[a] + beta[a]}.
 * A row is {@code chans} runs of {@code span} elements sharing one affine index
 * {@code a = (row % groups) * chans + run}: layer norm is (groups 1, chans len, span 1), group norm is
 * (groups G, chans C/G, span H*W).
 *
 * <p>Backward (per row, n = len, gg = g * gamma):
 * {@code dx = rstd * (gg - mean(gg) - xhat * mean(gg * xhat))}, {@code dgamma = sum g * xhat}, {@code dbeta = sum g}.
 * Float32 rows are widened to double, so all statistics accumulate in double.
 */
final class RowNorm {
    /** Rows are cut into at most this many fixed blocks for dgamma/dbeta partial sums, so the sum order never depends on the thread count. */
    private static final int MAX_BLOCKS = 32;

    private RowNorm() {}

    static Tensor apply(String op, Tensor x, Tensor gamma, Tensor beta, double eps, int rows, int len, int groups, int chans, int span) {
        double[] gam = gamma == null ? null : gamma.toDoubleArray();
        double[] bet = beta == null ? null : beta.toDoubleArray();
        double[] mean = new double[rows];
        double[] rstd = new double[rows];
        Tensor out = Tensor.zeros(x.dtype(), x.shape());
        int grain = Math.max(1, Elementwise.GRAIN / Math.max(1, len));
        if (layerNormF32(x, groups, span)) {
            FloatNorms.layerForward(x, floats(gamma), floats(beta), eps, mean, rstd, out, rows, len);
            return Tensor.record(op, out, g -> backward(x, gamma, beta, gam, g, mean, rstd, rows, len, groups, chans, span), x, gamma, beta);
        }
        Parallel.forRange(rows, grain, (lo, hi) -> {
            double[] buf = new double[len];
            for (int r = lo; r < hi; r++) {
                DoubleRows.load(x, r * len, buf, 0, len);
                double s = 0;
                for (int i = 0; i < len; i++) s += buf[i];
                double m = s / len;
                double v = 0;
                for (int i = 0; i < len; i++) {
                    double dv = buf[i] - m;
                    v += dv * dv;
                }
                double rs = 1.0 / Math.sqrt(v / len + eps);
                mean[r] = m;
                rstd[r] = rs;
                int a0 = (r % groups) * chans;
                for (int j = 0, i = 0; j < chans; j++) {
                    double ga = gam == null ? 1.0 : gam[a0 + j];
                    double be = bet == null ? 0.0 : bet[a0 + j];
                    for (int e = 0; e < span; e++, i++) buf[i] = (buf[i] - m) * rs * ga + be;
                }
                DoubleRows.store(buf, 0, out, r * len, len);
            }
        });
        return Tensor.record(op, out, g -> backward(x, gamma, beta, gam, g, mean, rstd, rows, len, groups, chans, span), x, gamma, beta);
    }

    private static void backward(Tensor x, Tensor gamma, Tensor beta, double[] gam, Tensor g, double[] mean, double[] rstd,
                                 int rows, int len, int groups, int chans, int span) {
        boolean wantX = x.requiresGrad();
        boolean wantGamma = gamma != null && gamma.requiresGrad();
        boolean wantBeta = beta != null && beta.requiresGrad();
        boolean wantAffine = wantGamma || wantBeta;
        int nAffine = groups * chans;
        int blockRows = Math.max(1, (rows + MAX_BLOCKS - 1) / MAX_BLOCKS);
        int blocks = rows == 0 ? 0 : (rows + blockRows - 1) / blockRows;
        // Per block: dgamma partials then dbeta partials, summed in block order below.
        double[] partial = wantAffine ? new double[blocks * 2 * nAffine] : null;
        Tensor dx = wantX ? Tensor.zeros(x.dtype(), x.shape()) : null;
        int grain = Math.max(1, Elementwise.GRAIN / Math.max(1, blockRows * len));
        if (layerNormF32(x, groups, span) && g.dtype() == x.dtype()) {
            FloatNorms.layerBackward(x, floats(gamma), g, mean, rstd, partial, dx, rows, len, blockRows, blocks);
        } else Parallel.forRange(blocks, grain, (bLo, bHi) -> {
            double[] xh = new double[len];
            double[] gb = new double[len];
            for (int b = bLo; b < bHi; b++) {
                int pOff = b * 2 * nAffine;
                for (int r = b * blockRows, end = Math.min(rows, r + blockRows); r < end; r++) {
                    DoubleRows.load(x, r * len, xh, 0, len);
                    DoubleRows.load(g, r * len, gb, 0, len);
                    double m = mean[r], rs = rstd[r];
                    for (int i = 0; i < len; i++) xh[i] = (xh[i] - m) * rs;
                    int a0 = (r % groups) * chans;
                    if (wantAffine) {
                        for (int j = 0, i = 0; j < chans; j++) {
                            double dg = 0, db = 0;
                            for (int e = 0; e < span; e++, i++) {
                                dg += gb[i] * xh[i];
                                db += gb[i];
                            }
                            partial[pOff + a0 + j] += dg;
                            partial[pOff + nAffine + a0 + j] += db;
                        }
                    }
                    if (wantX) {
                        double s1 = 0, s2 = 0;
                        for (int j = 0, i = 0; j < chans; j++) {
                            double ga = gam == null ? 1.0 : gam[a0 + j];
                            for (int e = 0; e < span; e++, i++) {
                                gb[i] *= ga;
                                s1 += gb[i];
                                s2 += gb[i] * xh[i];
                            }
                        }
                        double m1 = s1 / len, m2 = s2 / len;
                        for (int i = 0; i < len; i++) gb[i] = rs * (gb[i] - m1 - xh[i] * m2);
                        DoubleRows.store(gb, 0, dx, r * len, len);
                    }
                }
            }
        });
        if (wantX) x.accumulateGradOwned(dx);
        if (wantGamma) gamma.accumulateGrad(sumBlocks(partial, blocks, 0, nAffine, gamma));
        if (wantBeta) beta.accumulateGrad(sumBlocks(partial, blocks, nAffine, nAffine, beta));
    }

    /** Layer norm (one affine index per element) on float32: {@link FloatNorms}' fast path. */
    private static boolean layerNormF32(Tensor x, int groups, int span) {
        return groups == 1 && span == 1 && FloatNorms.applies(x);
    }

    private static float[] floats(Tensor t) {
        return t == null ? null : t.dtype() == org.autoinit.tensor.DType.FLOAT32 ? t.floatData() : t.toFloatArray();
    }

    /** Sums the per-block partials at {@code [off, off + n)} of each block, in block order, into a tensor like {@code like}. */
    private static Tensor sumBlocks(double[] partial, int blocks, int off, int n, Tensor like) {
        Tensor out = Tensor.zeros(like.dtype(), like.shape());
        for (int a = 0; a < n; a++) {
            double s = 0;
            for (int b = 0; b < blocks; b++) s += partial[b * 2 * n + off + a];
            out.setFlat(a, s);
        }
        return out;
    }
}
