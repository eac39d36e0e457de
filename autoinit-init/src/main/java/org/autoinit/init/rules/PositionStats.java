package org.autoinit.init.rules;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

import org.autoinit.init.moments.Moments;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.MaxPool2d;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.blas.JavaBlas;
import org.autoinit.tensor.ops.Conv2dSpec;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.DoubleRowsSimd;
import org.autoinit.tensor.simd.Simd;

/**
 * The mean {@code M[c, p]} and variance {@code V[c, p]} over samples of every entry (channel c, position p) of a
 * {@code [C, H, W]} feature map, for the drawn weights; entries are taken as independent, pre-activations as Gaussian.
 *
 * <p>Why per position: a padded conv's border outputs read fewer inputs, so when its input has a non-zero mean the
 * drawn weights give each channel's border positions their own constant (a sum over the missing taps of
 * {@code w m}). In {@code cnn} with batch norm these constants are 18% of conv3's within-channel variance. A Dense
 * reading the flattened map weighs every position's constant separately ({@code E[y_j] = sum_i w_ij M_i} exactly),
 * and a max pool over a border window takes the max of entries with different means, so both need the map; the
 * per-channel statistics only know its average. Propagation: a conv maps it exactly for the drawn weights
 * ({@code M_out = b + sum_{c,t} w M_in(p + t)}, {@code V_out = sum_{c,t} w^2 V_in(p + t)}, one forward pass of a
 * single image), batch norm per channel, an activation per entry (Gaussian moments), a max pool per window (order
 * statistics of independent, non-identical Gaussians by quadrature). Tracked only where a feature map is flattened
 * (global pools average the positions, for which the channel statistics suffice) and small ({@link #MAX_ENTRIES}).
 */
public final class PositionStats {
    /** Largest map tracked (entries per sample). */
    static final int MAX_ENTRIES = 1 << 18;
    /** Largest gathered input ({@link #conv}: taps x position classes, per group) built; larger ones loop over the taps directly. */
    static final long GATHERED_MAX = 1 << 20;
    /** Multiply-adds ({@code out x taps x cells}) from which {@link #conv} uses the float64 GEMM. */
    static final long GEMM_WORK = 1 << 18;
    private static final JavaBlas JAVA = new JavaBlas();

    final int c, h, w;
    final double[] mean, var;
    /**
     * Row and column classes when known (null: found by comparing entries on first use): the producer's own (an output
     * built from one value per class is equal within each class by construction), or the first computation's. Finer
     * than the equality classes at most, which changes only how many equal cells the next layer computes, not a value.
     */
    private int[] rowCls, colCls;
    /** {@link #channels()}'s means and variances once computed (mean and var are not changed after construction). */
    private double[][] channelMoments;

    PositionStats(int c, int h, int w, double[] mean, double[] var) {
        this.c = c;
        this.h = h;
        this.w = w;
        this.mean = mean;
        this.var = var;
        for (int i = 0; i < var.length; i++) {
            if (!(var[i] > 0)) {
                var[i] = 0;
            }
        }
    }

    /** Every position of channel k with the channel's moments ({@code channels} null: the pooled moments). */
    static PositionStats uniform(ChannelStats channels, Moments pooled, int c, int h, int w) {
        int p = h * w;
        double[] m = new double[c * p], v = new double[c * p];
        for (int k = 0; k < c; k++) {
            Arrays.fill(m, k * p, (k + 1) * p, channels == null ? pooled.mean() : channels.mean[k]);
            Arrays.fill(v, k * p, (k + 1) * p, channels == null ? pooled.variance() : channels.var[k]);
        }
        return new PositionStats(c, h, w, m, v).withClasses(new int[h], new int[w]);
    }

    /** This map with its row and column classes given (see {@link #rowCls}); returns this. */
    private PositionStats withClasses(int[] rows, int[] cols) {
        rowCls = rows;
        colCls = cols;
        return this;
    }

    /** Channel k's statistics over samples and positions: the mixture of its positions. */
    ChannelStats channels() {
        double[][] mv = channelMoments;
        if (mv == null) {
            mv = channelMoments = channelSums();
        }
        return ChannelStats.wrap(ChannelStats.Axis.FIRST, mv[0].clone(), mv[1].clone());
    }

    /**
     * {@link #channels()}'s means and variances, each channel one running sum over its positions in order. Four
     * channels at a time: their chains are independent, so the adds overlap instead of waiting on each other's latency
     * (the same sums; a rule asks for them twice per map, when it is made and when the next rule checks it).
     */
    private double[][] channelSums() {
        int p = h * w;
        double[] m = new double[c], v = new double[c];
        // Blocks of four channels over the threads; each channel's sum is one chain whatever the split.
        Parallel.forRange(c / 4, Math.max(1, EXPAND_GRAIN / Math.max(1, 4 * p)), (from, to) -> {
            for (int k = 4 * from; k < 4 * to; k += 4) {
                fourChannels(k, p, m, v);
            }
        });
        for (int k = c / 4 * 4; k < c; k++) {
            double s = 0, q = 0;
            for (int i = k * p; i < (k + 1) * p; i++) {
                s += mean[i];
                q += mean[i] * mean[i] + var[i];
            }
            m[k] = s / p;
            v[k] = q / p - m[k] * m[k];
        }
        return new double[][] {m, v};
    }

    /** Channels k..k+3 of {@link #channelSums}. */
    private void fourChannels(int k, int p, double[] m, double[] v) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
        for (int i = k * p, e = i + p; i < e; i++) {
            double a0 = mean[i], a1 = mean[i + p], a2 = mean[i + 2 * p], a3 = mean[i + 3 * p];
            s0 += a0;
            s1 += a1;
            s2 += a2;
            s3 += a3;
            q0 += a0 * a0 + var[i];
            q1 += a1 * a1 + var[i + p];
            q2 += a2 * a2 + var[i + 2 * p];
            q3 += a3 * a3 + var[i + 3 * p];
        }
        m[k] = s0 / p;
        m[k + 1] = s1 / p;
        m[k + 2] = s2 / p;
        m[k + 3] = s3 / p;
        v[k] = q0 / p - m[k] * m[k];
        v[k + 1] = q1 / p - m[k + 1] * m[k + 1];
        v[k + 2] = q2 / p - m[k + 2] * m[k + 2];
        v[k + 3] = q3 / p - m[k + 3] * m[k + 3];
    }

    /** Every entry as a feature of the flattened map ({@code [C, H, W]} order). */
    ChannelStats flattened() {
        return ChannelStats.wrap(ChannelStats.Axis.LAST, mean.clone(), var.clone());
    }

    /** True when this map describes {@code [c, h, w]} entries whose mixture has the moments {@code m}. */
    boolean describes(int c, int h, int w, Moments m) {
        if (this.c != c || this.h != h || this.w != w) {
            return false;
        }
        Moments p = channels().pooled();
        double tol = 1e-9 * Math.max(1e-300, m.secondMoment());
        return Math.abs(p.secondMoment() - m.secondMoment()) <= tol && Math.abs(p.mean() - m.mean()) <= Math.sqrt(tol);
    }

    /**
     * The map of {@code layer}'s output for its actual weights: {@code M_out = b + sum_{c,t} w M_in},
     * {@code V_out = sum_{c,t} w^2 V_in} over the taps that read a real input (zero padding reads 0).
     */
    static PositionStats conv(Conv2d layer, PositionStats in) {
        int[] out = layer.outputShape(), k = layer.kernelSize();
        Conv2dSpec spec = layer.spec();
        int[] pad = spec.padding(in.h, in.w, k[0], k[1]);
        int o = out[0], oh = out[1], ow = out[2], g = spec.groups(), ipu = in.c / g, perGroup = o / g, kh = k[0], kw = k[1];
        // Output rows whose taps read the same classes of input rows are equal (likewise columns): after a few padded
        // convs a map is a border frame around a constant interior, so only one position per class is computed.
        int[] rowOf = PositionClasses.outputClasses(in.rowClasses(), oh, kh, spec.strideH(), pad[0], spec.dilH());
        int[] colOf = PositionClasses.outputClasses(in.colClasses(), ow, kw, spec.strideW(), pad[2], spec.dilW());
        int[] reprRow = PositionClasses.representatives(rowOf), reprCol = PositionClasses.representatives(colOf);
        int nr = reprRow.length, nc = reprCol.length;
        Tensor wt = layer.weight().value();
        double[] wd = wt.dtype() == DType.FLOAT64 ? wt.doubleData() : null;
        float[] wf = wd == null ? wt.floatData() : null;
        Parameter bias = layer.bias();
        double[] m = new double[o * oh * ow], v = new double[m.length];
        int grain = Math.max(1, (1 << 16) / Math.max(1, ipu * kh * kw * nr * nc));
        // The input row (col) each kernel row (col) reads at each output row (col) class, -1 in the padding: the
        // index arithmetic hoisted out of the loop over the weights (same sums, same order).
        int[] rowAt = new int[kh * nr], colAt = new int[kw * nc];
        for (int a = 0; a < kh; a++) {
            for (int r = 0; r < nr; r++) {
                int ih = reprRow[r] * spec.strideH() - pad[0] + a * spec.dilH();
                rowAt[a * nr + r] = ih >= 0 && ih < in.h ? ih * in.w : -1;
            }
        }
        for (int b = 0; b < kw; b++) {
            for (int col = 0; col < nc; col++) {
                int iw = reprCol[col] * spec.strideW() - pad[2] + b * spec.dilW();
                colAt[b * nc + col] = iw >= 0 && iw < in.w ? iw : -1;
            }
        }
        double[] inMean = in.mean, inVar = in.var;
        int plane = in.h * in.w;
        int cells = nr * nc, q = ipu * kh * kw;
        if ((long) g * q * cells <= GATHERED_MAX) {
            boolean gemm = (long) o * q * cells >= GEMM_WORK;
            // Rows of the gathered matrix padded to whole double vectors for the vector product (no scalar tail).
            int ld = gemm && Simd.enabled() ? (cells + DoubleRowsSimd.lanes() - 1) / DoubleRowsSimd.lanes() * DoubleRowsSimd.lanes() : cells;
            // What every tap of every input channel reads at each (row class, column class), 0 in the padding, laid out
            // [group][input channel, kernel row, kernel column][cell]: the taps run in the weight's own order, so each
            // output channel is a product of its contiguous weights with this matrix (branch-free, vectorizable over
            // the cells). The same terms in the same order as the loop below (padding adds x * 0 = 0).
            double[] gm = new double[g * q * ld], gv = new double[gm.length];
            // Input channels over the threads (each writes its own kh kw rows: plain copies, the same matrix).
            Parallel.forRange(g * ipu, Math.max(1, (1 << 14) / Math.max(1, kh * kw * cells)), (from, to) -> {
                for (int ci = from; ci < to; ci++) {
                    int src = ci * plane;
                    for (int a = 0; a < kh; a++) {
                        for (int b = 0; b < kw; b++) {
                            int row0 = (ci * kh * kw + a * kw + b) * ld;
                            for (int r = 0; r < nr; r++) {
                                int ro = rowAt[a * nr + r];
                                for (int col = 0; col < nc; col++) {
                                    int iw = colAt[b * nc + col];
                                    if (ro >= 0 && iw >= 0) {
                                        gm[row0 + r * nc + col] = inMean[src + ro + iw];
                                        gv[row0 + r * nc + col] = inVar[src + ro + iw];
                                    }
                                }
                            }
                        }
                    }
                }
            });
            if (gemm) {
                return gemm(o, oh, ow, g, q, cells, ld, nc, wd, wf, bias, gm, gv, rowOf, colOf);
            }
            Parallel.forRange(o, grain, (from, to) -> {
                double[] sm = new double[cells], sv = new double[cells];
                for (int j = from; j < to; j++) {
                    Arrays.fill(sm, bias == null ? 0 : bias.value().getFlat(j));
                    Arrays.fill(sv, 0);
                    int base = (j / perGroup) * q * cells, w0 = j * q;
                    for (int t = 0; t < q; t++) {
                        double x = wd != null ? wd[w0 + t] : wf[w0 + t], xx = x * x;
                        int row = base + t * cells;
                        for (int cell = 0; cell < cells; cell++) {
                            sm[cell] += x * gm[row + cell];
                            sv[cell] += xx * gv[row + cell];
                        }
                    }
                    for (int r = 0, p = j * oh * ow; r < oh; r++) {
                        for (int col = 0; col < ow; col++, p++) {
                            m[p] = sm[rowOf[r] * nc + colOf[col]];
                            v[p] = sv[rowOf[r] * nc + colOf[col]];
                        }
                    }
                }
            });
            return new PositionStats(o, oh, ow, m, v).withClasses(rowOf, colOf);
        }
        Parallel.forRange(o, grain, (from, to) -> {
            double[] sm = new double[nr * nc], sv = new double[nr * nc];
            for (int j = from; j < to; j++) {
                Arrays.fill(sm, bias == null ? 0 : bias.value().getFlat(j));
                Arrays.fill(sv, 0);
                int inBase = (j / perGroup) * ipu;
                for (int i = 0; i < ipu; i++) {
                    int src = (inBase + i) * plane;
                    for (int a = 0; a < kh; a++) {
                        for (int b = 0; b < kw; b++) {
                            int wi = ((j * ipu + i) * kh + a) * kw + b;
                            double x = wd != null ? wd[wi] : wf[wi], xx = x * x;
                            for (int r = 0; r < nr; r++) {
                                int ro = rowAt[a * nr + r];
                                if (ro < 0) {
                                    continue;
                                }
                                int row = src + ro, cell = r * nc;
                                for (int col = 0; col < nc; col++) {
                                    int iw = colAt[b * nc + col];
                                    if (iw >= 0) {
                                        sm[cell + col] += x * inMean[row + iw];
                                        sv[cell + col] += xx * inVar[row + iw];
                                    }
                                }
                            }
                        }
                    }
                }
                for (int r = 0, p = j * oh * ow; r < oh; r++) {
                    for (int col = 0; col < ow; col++, p++) {
                        m[p] = sm[rowOf[r] * nc + colOf[col]];
                        v[p] = sv[rowOf[r] * nc + colOf[col]];
                    }
                }
            }
        });
        return new PositionStats(o, oh, ow, m, v).withClasses(rowOf, colOf);
    }

    /**
     * {@link #conv}'s products as float64 GEMMs per group, {@code [out, taps] x [taps, cells]} for the means (weights)
     * and the variances (squared weights), the bias added after: the same sums in the GEMM's order (a few ulps from
     * the loop's), for layers with many channels and position classes (All-CNN-C's stack: millions of terms). The
     * gathered rows are {@code ld} long (padded to whole vectors when the vector product is used).
     */
    private static PositionStats gemm(int o, int oh, int ow, int g, int q, int cells, int ld, int nc, double[] wd, float[] wf, Parameter bias,
            double[] gm, double[] gv, int[] rowOf, int[] colOf) {
        int per = o / g;
        if (Simd.enabled() && wf != null) {
            // float32 weights read in place, widened (and squared) in the kernel: no double copies of the weight.
            double[] cm = new double[o * ld], cv = new double[cm.length];
            for (int gr = 0; gr < g; gr++) {
                int go = gr;
                Parallel.forRange(per, 8, (from, to) -> {
                    DoubleRowsSimd.product(wf, false, go * per * q, q, gm, go * q * ld, ld, cm, go * per * ld, from, to);
                    DoubleRowsSimd.product(wf, true, go * per * q, q, gv, go * q * ld, ld, cv, go * per * ld, from, to);
                });
            }
            return expanded(o, oh, ow, ld, nc, bias, cm, cv, rowOf, colOf);
        }
        double[] w = new double[o * q], w2 = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            double x = wd != null ? wd[i] : wf[i];
            w[i] = x;
            w2[i] = x * x;
        }
        double[] cm = new double[o * ld], cv = new double[cm.length];
        if (Simd.enabled()) {
            // Double vectors (DoubleRowsSimd): each entry one fused chain over the taps in order, whatever rows a
            // thread gets; output channels split over the threads, the means and the variances each in turn.
            // Measured on All-CNN-C: 2.5-3x less CPU than the pure-Java kernel below.
            for (int gr = 0; gr < g; gr++) {
                int go = gr;
                Parallel.forRange(per, 8, (from, to) -> {
                    DoubleRowsSimd.product(w, go * per * q, q, gm, go * q * ld, ld, cm, go * per * ld, from, to);
                    DoubleRowsSimd.product(w2, go * per * q, q, gv, go * q * ld, ld, cv, go * per * ld, from, to);
                });
            }
            return expanded(o, oh, ow, ld, nc, bias, cm, cv, rowOf, colOf);
        }
        // The pure-Java kernel, not the native one: a float32 model's AutoInit never loads jblas otherwise, and its
        // first use costs ~140 ms in a fresh JVM (AutoInit is mostly called once). The means and the variances on the two cores.
        for (int gr = 0; gr < g; gr++) {
            int go = gr;
            Parallel.forChunks(2, ch -> {
                if (ch == 0) {
                    JAVA.dgemm(false, false, per, cells, q, w, go * per * q, gm, go * q * cells, 0, cm, go * per * cells);
                } else {
                    JAVA.dgemm(false, false, per, cells, q, w2, go * per * q, gv, go * q * cells, 0, cv, go * per * cells);
                }
            });
        }
        return expanded(o, oh, ow, cells, nc, bias, cm, cv, rowOf, colOf);
    }

    /** The full map from per-channel products over the position classes (rows of {@code ld}), the bias added. */
    private static PositionStats expanded(int o, int oh, int ow, int ld, int nc, Parameter bias, double[] cm, double[] cv, int[] rowOf, int[] colOf) {
        double[] m = new double[o * oh * ow], v = new double[m.length];
        Parallel.forRange(o, Math.max(1, EXPAND_GRAIN / Math.max(1, oh * ow)), (from, to) -> {
            for (int j = from, p = from * oh * ow; j < to; j++) {
                double b = bias == null ? 0 : bias.value().getFlat(j);
                for (int r = 0; r < oh; r++) {
                    for (int col = 0; col < ow; col++, p++) {
                        m[p] = b + cm[j * ld + rowOf[r] * nc + colOf[col]];
                        v[p] = cv[j * ld + rowOf[r] * nc + colOf[col]];
                    }
                }
            }
        });
        return new PositionStats(o, oh, ow, m, v).withClasses(rowOf, colOf);
    }

    /** Class of every row: rows equal (means and variances) in every channel and column share one, numbered from 0. */
    int[] rowClasses() {
        if (rowCls == null) {
            rowCls = equalRows();
        }
        return rowCls;
    }

    private int[] equalRows() {
        return PositionClasses.classes(h, (r, r2) -> {
            for (int k = 0; k < c; k++) {
                int a = (k * h + r) * w, b = (k * h + r2) * w;
                if (!Arrays.equals(mean, a, a + w, mean, b, b + w) || !Arrays.equals(var, a, a + w, var, b, b + w)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Class of every column, as {@link #rowClasses()}. */
    int[] colClasses() {
        if (colCls == null) {
            colCls = equalColumns();
        }
        return colCls;
    }

    private int[] equalColumns() {
        return PositionClasses.classes(w, (x, x2) -> {
            for (int k = 0; k < c * h; k++) {
                int a = k * w;
                if (mean[a + x] != mean[a + x2] || var[a + x] != var[a + x2]) {
                    return false;
                }
            }
            return true;
        });
    }

    /** Channel k's entries mapped by {@code x -> scale[k] (x - center[k]) + shift[k]} (batch norm). */
    PositionStats affine(double[] scale, double[] center, double[] shift) {
        int p = h * w;
        double[] m = new double[mean.length], v = new double[mean.length];
        for (int k = 0; k < c; k++) {
            for (int i = k * p; i < (k + 1) * p; i++) {
                m[i] = scale[k] * (mean[i] - center[k]) + shift[k];
                v[i] = scale[k] * scale[k] * var[i];
            }
        }
        // Entrywise per channel: equal rows (columns) stay equal.
        return new PositionStats(c, h, w, m, v).withClasses(rowCls, colCls);
    }

    /** Every entry mapped by an activation's Gaussian moment map (entries bucketed as in {@link PerChannel}). */
    PositionStats map(PerChannel.Map1 f) {
        return map(f, true);
    }

    /** As {@link #map(PerChannel.Map1)}; {@code memo} as in {@link PerChannel#map(ChannelStats, PerChannel.Map1, boolean)}. */
    PositionStats map(PerChannel.Map1 f, boolean memo) {
        // One entry per channel and (row class, column class): equal entries map to equal moments.
        int[] rowOf = rowClasses(), colOf = colClasses(), rr = PositionClasses.representatives(rowOf), rc = PositionClasses.representatives(colOf);
        int nr = rr.length, nc = rc.length;
        double[] rm = new double[c * nr * nc], rv = new double[rm.length];
        for (int k = 0; k < c; k++) {
            for (int r = 0; r < nr; r++) {
                for (int q = 0; q < nc; q++) {
                    rm[(k * nr + r) * nc + q] = mean[(k * h + rr[r]) * w + rc[q]];
                    rv[(k * nr + r) * nc + q] = var[(k * h + rr[r]) * w + rc[q]];
                }
            }
        }
        ChannelStats out = PerChannel.map(ChannelStats.wrap(ChannelStats.Axis.LAST, rm, rv), f, memo);
        return expand(c, h, w, rowOf, colOf, nr, nc, out.mean, out.var);
    }

    /** The full map from one value per channel and (row class, column class). */
    private static PositionStats expand(int c, int h, int w, int[] rowOf, int[] colOf, int nr, int nc, double[] rm, double[] rv) {
        double[] m = new double[c * h * w], v = new double[m.length];
        Parallel.forRange(c, Math.max(1, EXPAND_GRAIN / Math.max(1, h * w)), (from, to) -> {
            for (int k = from, p = from * h * w; k < to; k++) {
                for (int r = 0; r < h; r++) {
                    for (int q = 0; q < w; q++, p++) {
                        int i = (k * nr + rowOf[r]) * nc + colOf[q];
                        m[p] = rm[i];
                        v[p] = rv[i];
                    }
                }
            }
        });
        return new PositionStats(c, h, w, m, v).withClasses(rowOf, colOf);
    }

    /** Entries from which a full map is written by several threads (copies: the same map). */
    private static final int EXPAND_GRAIN = 1 << 14;

    /**
     * The map after max pooling: for a window of independent {@code X_i ~ N(M_i, V_i)} and non-decreasing f (null:
     * the identity) minus {@code shift}, {@code E[g(max_i f(X_i))] = E[g(f(max_i X_i))]}, with the density of the
     * max {@code sum_i phi_i(t) prod_{l != i} Phi_l(t)} integrated by {@link MaxOfGaussians}. Windows reading the
     * same row and column classes are equal, so one per channel and class is integrated.
     */
    PositionStats maxPool(MaxPool2d layer, DoubleUnaryOperator f, double[] kinks, double shift) {
        int[] out = layer.outputShape(), k = layer.window(), st = layer.stride(), pd = layer.padding();
        int oh = out[1], ow = out[2];
        int[] rowOf = PositionClasses.outputClasses(rowClasses(), oh, k[0], st[0], pd[0], 1), colOf = PositionClasses.outputClasses(colClasses(), ow, k[1], st[1], pd[1], 1);
        int[] rr = PositionClasses.representatives(rowOf), rc = PositionClasses.representatives(colOf);
        int nr = rr.length, nc = rc.length;
        double[] rm = new double[c * nr * nc], rv = new double[rm.length];
        Parallel.forRange(rm.length, 4, (from, to) -> {
            double[] wm = new double[k[0] * k[1]], wv = new double[wm.length];
            for (int u = from; u < to; u++) {
                int ch = u / (nr * nc), r = rr[(u / nc) % nr], col = rc[u % nc], cnt = 0;
                for (int a = 0; a < k[0]; a++) {
                    int ih = r * st[0] - pd[0] + a;
                    for (int b = 0; b < k[1]; b++) {
                        int iw = col * st[1] - pd[1] + b;
                        if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                            wm[cnt] = mean[(ch * h + ih) * w + iw];
                            wv[cnt++] = var[(ch * h + ih) * w + iw];
                        }
                    }
                }
                double[] res = MaxOfGaussians.moments(Arrays.copyOf(wm, cnt), Arrays.copyOf(wv, cnt), f, kinks);
                double m1 = res[0] - shift;
                rm[u] = m1;
                rv[u] = res[1] - 2 * shift * res[0] + shift * shift - m1 * m1;
            }
        });
        return expand(c, oh, ow, rowOf, colOf, nr, nc, rm, rv);
    }
}
