package org.autoinit.init.rules;

import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

import org.autoinit.init.moments.Moments;
import org.autoinit.init.moments.numeric.GaussKronrod;
import org.autoinit.init.moments.numeric.Gaussian;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;
import org.autoinit.tensor.blas.Gemm;
import org.autoinit.tensor.ops.MatMul;
import org.autoinit.tensor.parallel.Parallel;

/**
 * The full covariance across samples of a feature vector (an MLP's hidden layer), for up to {@link #MAX_FEATURES}
 * features. One draw of a network correlates its features; the per-channel rules treat them as independent,
 * which is right on average over draws but wrong for the drawn network by a few percent per layer, and activations
 * whose variance grows faster than their input's (swish, gelu, elu) amplify such errors geometrically with depth.
 * With the covariance, a Dense layer's output covariance is exactly {@code W^T C W}, and an activation's comes from
 * the normalized Hermite expansion {@code Cov(f(y_i), f(y_j)) = sum_{k>=1} rho_ij^k b_k(i) b_k(j)} (Mehler), with
 * {@code b_k(i) = E[f(y_i) He_k(z)] / sqrt(k!)} for y_i Gaussian (jointly Gaussian pre-activations: central limit).
 * Immutable; the matrix is row-major {@code d x d}.
 *
 * <p><b>Residual branches.</b> For one draw a branch {@code b = F(x)} is correlated with the stream x it reads (zero
 * only on average over the branch's weights). By Stein's lemma, for Gaussian x, {@code Cov(x, g(x)) = C E[dg/dx]^T}
 * for any differentiable g; a covariance computed from another one therefore carries {@link #cross()}: {@code Cov(x, y)}
 * with its {@link #source()} x, composed layer by layer: a Dense maps it to {@code K W} (exact), an activation to
 * {@code K diag(E f'(y_j))} (Stein: exact when x and the pre-activation are jointly Gaussian, i.e. for a branch with one
 * nonlinearity and a Gaussian stream; for deeper branches it is the product of per-layer expected Jacobians, an
 * approximation), batch norm to {@code K diag(gamma_j / sqrt(var_j + eps))} (batch statistics taken as constants),
 * dropout leaves it. {@link #sum} then adds {@code a_i a_j (K + K^T)} when one input is the other's source. The
 * chain is kept over at most {@link #MAX_BRANCH_LAYERS} weighted layers (a residual branch) as a lazy product
 * ({@link CrossCovariance}), multiplied out only at such a merge, so a model without residual merges pays nothing.
 */
public final class FeatureCovariance {
    /** Larger feature vectors are not tracked (d^2 memory, d^2 n work per layer). */
    public static final int MAX_FEATURES = 1024;
    /** Hermite terms kept; the remainder of each feature's variance is added with weight {@code rho^(K+1)}. */
    static final int K = 40;

    final int d;
    final double[] c;
    /** Excess variance of the log per-sample scale ({@link ScaleMixture}); 0 for a Gaussian vector. */
    final double scaleVar;
    /** True when c is known to be diagonal ({@link #independent}): {@code W^T C W} then needs one GEMM, not two. */
    private final boolean diagonal;
    /** Weighted layers a cross-covariance is carried through (an MLP residual branch has 2). */
    static final int MAX_BRANCH_LAYERS = 2;
    /** {@code Cov(source, this)} for the signal this one was computed from, or null. */
    private final CrossCovariance cross;

    private FeatureCovariance(int d, double[] c) {
        this(d, c, 0);
    }

    private FeatureCovariance(int d, double[] c, double scaleVar) {
        this(d, c, scaleVar, false);
    }

    private FeatureCovariance(int d, double[] c, double scaleVar, boolean diagonal) {
        this(d, c, scaleVar, diagonal, null);
    }

    private FeatureCovariance(int d, double[] c, double scaleVar, boolean diagonal, CrossCovariance cross) {
        this.d = d;
        this.c = c;
        this.scaleVar = scaleVar;
        this.diagonal = diagonal;
        this.cross = cross;
    }

    /** The signal's covariance that {@link #cross()} refers to, or null when no cross-covariance is carried. */
    public FeatureCovariance source() {
        return cross == null ? null : cross.source;
    }

    /** {@code Cov(source, this)} ({@code source.features() x features()}, row-major; a copy), or null. */
    public double[] cross() {
        return cross == null ? null : cross.matrix().clone();
    }

    /** {@code cross} with column j multiplied by {@code diag[j]} (a per-feature gain), or null. */
    private CrossCovariance crossScaled(double[] diag) {
        return cross == null ? null : cross.gained(diag);
    }

    /** The excess variance of the log per-sample scale (see {@link ScaleMixture}). */
    public double scaleVariance() {
        return scaleVar;
    }

    /**
     * This covariance with the given excess log-scale variance. (The output of {@link #activation} carries, in this
     * field, the excess that the activation creates afresh, for {@link ScaleMixture} to combine.)
     */
    FeatureCovariance withScaleVariance(double t) {
        return new FeatureCovariance(d, c, t, diagonal, cross);
    }

    /** Independent features with the given variances. */
    public static FeatureCovariance independent(double[] var) {
        int d = var.length;
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
            c[i * d + i] = var[i];
        }
        return new FeatureCovariance(d, c, 0, true);
    }

    /** The sample covariance of {@code [N, d]} data. */
    public static FeatureCovariance ofSample(Tensor x) {
        int n = x.dim(0), d = x.dim(1);
        Tensor centred = Tensor.zeros(DType.FLOAT64, n, d);
        double[] mean = new double[d];
        for (int i = 0; i < n * d; i++) {
            mean[i % d] += x.getFlat(i) / n;
        }
        for (int i = 0; i < n * d; i++) {
            centred.setFlat(i, x.getFlat(i) - mean[i % d]);
        }
        double[] c;
        try (GradMode.Scope s = GradMode.noGrad()) {
            c = MatMul.matmul(centred.transpose(0, 1), centred).doubleData().clone();
        }
        for (int i = 0; i < c.length; i++) {
            c[i] /= n;
        }
        return new FeatureCovariance(d, c);
    }

    public int features() {
        return d;
    }

    /** Covariance of features i and j. */
    public double get(int i, int j) {
        return c[i * d + j];
    }

    /** The variances (the diagonal). */
    double[] variances() {
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = Math.max(0, c[i * d + i]);
        }
        return v;
    }

    /** {@code W^T C W} for a {@code [d, n]} weight (Dense layout), in float64 through the GEMM. */
    FeatureCovariance through(Tensor w) {
        int n = w.dim(1);
        if (w.dtype() == DType.FLOAT32 && (long) d * n * n >= SymmetricProduct.FLOAT32_WORK) {
            return throughFloat32(w.floatData(), n);
        }
        double[] w64;
        if (w.dtype() == DType.FLOAT64) {
            w64 = w.doubleData();
        } else {
            float[] wf = w.floatData();
            w64 = new double[wf.length];
            for (int i = 0; i < wf.length; i++) {
                w64[i] = wf[i];
            }
        }
        // C W, then W^T (C W) with the transpose left to the GEMM (no copy of W^T).
        double[] cw = new double[d * n], out = new double[n * n];
        if (diagonal) {
            for (int i = 0; i < d; i++) {
                double ci = c[i * d + i];
                for (int a = 0; a < n; a++) {
                    cw[i * n + a] = ci * w64[i * n + a];
                }
            }
        } else {
            Gemm.dgemm(false, false, d, n, d, c, 0, w64, 0, 0, cw, 0);
        }
        Gemm.dgemm(true, false, n, n, d, w64, 0, cw, 0, 0, out, 0);
        SquareMatrix.symmetrize(out, n);
        // Cov(x, y W) = Cov(x, y) W: continue a branch's chain, or start one at this layer's input (Cov(y, y W) = C W).
        // The product waits for a merge that needs it; a float64 weight is copied (exactOutputVariance rescales it in place).
        if (cross != null && cross.depth < MAX_BRANCH_LAYERS) {
            return new FeatureCovariance(n, out, scaleVar, false, cross.times(w.dtype() == DType.FLOAT64 ? w64.clone() : w64, n));
        }
        return new FeatureCovariance(n, out, scaleVar, false, CrossCovariance.of(this, cw, n));
    }

    /** {@link #through} for a large float32 weight: the product in float32, upper triangle only ({@link SymmetricProduct}). */
    private FeatureCovariance throughFloat32(float[] w, int n) {
        double[] out;
        CrossCovariance start;
        if (diagonal) {
            out = SymmetricProduct.diagonal(w, c, d, n);
            // Cov(y, y W) = diag(c) W, exact in float64 (d n products), on first use (a residual merge): from a copy of
            // W, since exactOutputVariance rescales the weight in place (the chain carries that factor itself).
            float[] w0 = w.clone();
            start = CrossCovariance.lazy(this, () -> {
                double[] cw = new double[d * n];
                for (int i = 0; i < d; i++) {
                    double ci = c[i * d + i];
                    for (int a = 0; a < n; a++) {
                        cw[i * n + a] = ci * w0[i * n + a];
                    }
                }
                return cw;
            }, n);
        } else {
            float[][] wtc = new float[1][];
            out = SymmetricProduct.full(w, c, d, n, wtc);
            start = CrossCovariance.lazy(this, () -> SymmetricProduct.transposed(wtc[0], n, d), n);
        }
        if (cross != null && cross.depth < MAX_BRANCH_LAYERS) {
            double[] w64 = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                w64[i] = w[i];
            }
            return new FeatureCovariance(n, out, scaleVar, false, cross.times(w64, n));
        }
        return new FeatureCovariance(n, out, scaleVar, false, start);
    }

    /** This covariance times {@code a^2}. */
    FeatureCovariance scaled(double a) {
        double[] out = c.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= a * a;
        }
        return new FeatureCovariance(d, out, scaleVar, diagonal, cross == null ? null : cross.scaled(a));
    }

    /** {@code D C D} for a diagonal D. */
    FeatureCovariance scaled(double[] diag) {
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = diag[i] * c[i * d + j] * diag[j];
            }
        }
        return new FeatureCovariance(d, out, scaleVar, diagonal, crossScaled(diag));
    }

    /**
     * {@code C + sum_k u_k u_k^T} off the diagonal (the diagonal, already exact, is kept): the between-scale part of
     * the law of total covariance, {@code Cov_r(E[f_i | r], E[f_j | r])} for i != j, with {@code u_k} the rows of
     * {@link ScaleMixture#meanDeviations}. Keeps this covariance's excess log-scale variance and cross-covariance.
     */
    FeatureCovariance plusOffDiagonal(double[][] u) {
        double[] out = c.clone();
        for (double[] uk : u) {
            for (int i = 0; i < d; i++) {
                double ui = uk[i];
                if (ui == 0) {
                    continue;
                }
                int row = i * d;
                for (int j = 0; j < d; j++) {
                    out[row + j] += ui * uk[j];
                }
            }
        }
        for (int i = 0; i < d; i++) {
            out[i * d + i] = c[i * d + i];
        }
        return new FeatureCovariance(d, out, scaleVar, false, cross);
    }

    /** {@code C + diag(extra)}. */
    FeatureCovariance plusDiagonal(double[] extra) {
        double[] out = c.clone();
        for (int i = 0; i < d; i++) {
            out[i * d + i] += extra[i];
        }
        // Independent inverted-dropout masks (mean 1) leave Cov(source, y) unchanged.
        return new FeatureCovariance(d, out, scaleVar, diagonal, cross);
    }

    /**
     * {@code sum_i a_i^2 C_i + sum_{i != j} a_i a_j Cov(x_i, x_j)}, where the cross terms are known only when input j
     * carries {@link #cross()} with input i as its source (a residual branch and the stream it reads; see
     * {@link #crossVariances}); other pairs are taken as independent. The log-scale variance is averaged with weights
     * {@code a_i^2 tr C_i}.
     */
    static FeatureCovariance sum(FeatureCovariance[] parts, double[] a) {
        int d = parts[0].d;
        double[] out = new double[d * d];
        for (int q = 0; q < parts.length; q++) {
            int p = sourceIndex(parts, q);
            if (p >= 0) {
                double w = (a == null ? 1 : a[p] * a[q]);
                double[] k = parts[q].cross.matrix();
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        out[i * d + j] += w * (k[i * d + j] + k[j * d + i]);
                    }
                }
            }
        }
        double t = 0, tw = 0;
        for (int p = 0; p < parts.length; p++) {
            double w = a == null ? 1 : a[p] * a[p];
            for (int i = 0; i < out.length; i++) {
                out[i] += w * parts[p].c[i];
            }
            double tr = 0;
            for (int i = 0; i < d; i++) {
                tr += Math.max(0, parts[p].c[i * d + i]);
            }
            t += w * tr * parts[p].scaleVar;
            tw += w * tr;
        }
        return new FeatureCovariance(d, out, tw > 0 ? t / tw : 0);
    }

    /** The index of the input that is input q's source (same object, same size), or -1. */
    private static int sourceIndex(FeatureCovariance[] parts, int q) {
        FeatureCovariance src = parts[q].source();
        if (src == null || src.d != parts[q].d) {
            return -1;
        }
        for (int p = 0; p < parts.length; p++) {
            if (p != q && parts[p] == src) {
                return p;
            }
        }
        return -1;
    }

    /**
     * Per feature, {@code sum 2 a_i a_j Cov(x_i[k], x_j[k])} over the input pairs that {@link #sum} correlates (a branch
     * and its source), or null when there is none: what the sum's variances gain beyond independence.
     */
    static double[] crossVariances(FeatureCovariance[] parts, double[] a) {
        double[] extra = null;
        for (int q = 0; q < parts.length; q++) {
            int p = sourceIndex(parts, q);
            if (p >= 0) {
                int d = parts[q].d;
                extra = extra == null ? new double[d] : extra;
                double w = 2 * (a == null ? 1 : a[p] * a[q]);
                for (int k = 0; k < d; k++) {
                    extra[k] += w * parts[q].cross.matrix()[k * d + k];
                }
            }
        }
        return extra;
    }

    /**
     * The covariance of {@code f(y)} for y Gaussian with means {@code mean} and this covariance; {@code exact}
     * gives each feature's exact output moments (the diagonal). Features with equal (mean, variance) share their
     * Hermite coefficients.
     */
    FeatureCovariance activation(DoubleUnaryOperator f, double[] kinks, double[] mean, Moments[] exact) {
        return activation((m, v) -> hermite2(f, kinks, m, v), mean, exact);
    }

    /** The normalized Hermite coefficients of f and f^2 at N(m, v), laid out as {@link #hermite2}. */
    @FunctionalInterface
    interface Expansion {
        double[] at(double m, double v);
    }

    /** {@link #activation(DoubleUnaryOperator, double[], double[], Moments[])} with the coefficients from {@code f}. */
    FeatureCovariance activation(Expansion f, double[] mean, Moments[] exact) {
        double[][] b = new double[d][];
        double[] tail = new double[d];
        // Distinct laws first, then their coefficients in parallel (each an independent adaptive quadrature, the
        // bulk of this method's time; the same numbers whatever the thread count).
        Map<GaussianKey, Integer> slot = new HashMap<>();
        java.util.List<GaussianKey> distinct = new java.util.ArrayList<>();
        int[] which = new int[d];
        for (int i = 0; i < d; i++) {
            GaussianKey key = new GaussianKey(mean[i], Math.max(0, c[i * d + i]));
            which[i] = slot.computeIfAbsent(key, kk -> {
                distinct.add(kk);
                return distinct.size() - 1;
            });
        }
        double[][] coeff = new double[distinct.size()][];
        Parallel.forRange(coeff.length, 4, (from, to) -> {
            for (int u = from; u < to; u++) {
                GaussianKey key = distinct.get(u);
                coeff[u] = f.at(key.mean(), key.variance());
            }
        });
        for (int i = 0; i < d; i++) {
            b[i] = coeff[which[i]];
            double s = 0;
            for (int k = 1; k <= K; k++) {
                s += b[i][k] * b[i][k];
            }
            tail[i] = Math.max(0, exact[i].variance() - s);
        }
        // Excess over a Gaussian of the per-sample spread of |f(y)|^2 (see ScaleMixture): the sum over pairs of
        // Cov(f_i^2, f_j^2) - 2 Cov(f_i, f_j)^2 - 4 E f_i E f_j Cov(f_i, f_j), each by Mehler's expansion (of f and f^2).
        double excess = 0, energy = 0;
        int o = K + 1;
        for (int i = 0; i < d; i++) {
            double v1 = 0, v2 = 0;
            for (int k = 1; k <= K; k++) {
                v1 += b[i][k] * b[i][k];
                v2 += b[i][o + k] * b[i][o + k];
            }
            excess += v2 - 2 * v1 * v1 - 4 * b[i][0] * b[i][0] * v1;
            energy += b[i][o];
        }
        double[] out = new double[d * d];
        for (int i = 0; i < d; i++) {
            out[i * d + i] = exact[i].variance();
        }
        excess += MehlerPairs.fill(b, tail, c, d, K, out);
        CrossCovariance k = null;
        if (cross != null) {
            // Stein: Cov(x, f(y_j)) = Cov(x, y_j) E[f'(y_j)], and E[f'(m + s z)] = E[f(m + s z) z] / s = b_1 / s.
            double[] gain = new double[d];
            for (int j = 0; j < d; j++) {
                double sd = Math.sqrt(Math.max(0, c[j * d + j]));
                gain[j] = sd > 0 ? b[j][1] / sd : 0;
            }
            k = crossScaled(gain);
        }
        return new FeatureCovariance(d, out, energy > 0 ? excess / (energy * energy) : 0, false, k);
    }

    /** {@code b_k = E[f(m + s z) He_k(z)] / sqrt(k!)}, k = 0..K (see {@link #hermite2}). */
    static double[] hermite(DoubleUnaryOperator f, double[] kinks, double m, double v) {
        return java.util.Arrays.copyOf(hermite2(f, kinks, m, v), K + 1);
    }

    /**
     * The normalized Hermite coefficients of f and of f^2 at N(m, v): {@code E[f(m + s z) He_k(z)] / sqrt(k!)} at
     * index k and {@code E[f(m + s z)^2 He_k(z)] / sqrt(k!)} at index K + 1 + k, k = 0..K, by adaptive Gauss-Kronrod
     * split at the kinks.
     */
    static double[] hermite2(DoubleUnaryOperator f, double[] kinks, double m, double v) {
        double s = Math.sqrt(v);
        if (s == 0) {
            double[] b = new double[2 * (K + 1)];
            b[0] = f.applyAsDouble(m);
            b[K + 1] = b[0] * b[0];
            return b;
        }
        double[] base = {-12, -8, -4, -2, 0, 2, 4, 8, 12};
        double[] all = java.util.Arrays.copyOf(base, base.length + kinks.length);
        int n = base.length;
        for (double k : kinks) {
            double z = (k - m) / s;
            if (z > -12 && z < 12) {
                all[n++] = z;
            }
        }
        double[] breaks = java.util.Arrays.stream(all, 0, n).sorted().distinct().toArray();
        double[] h = new double[K + 1];
        return GaussKronrod.integrate((z, out) -> {
            double fz = f.applyAsDouble(m + s * z), p = Gaussian.pdf(z);
            double y = fz * p, y2 = fz * y;
            h[0] = 1;
            h[1] = z;
            for (int k = 1; k < K; k++) {
                h[k + 1] = (z * h[k] - Math.sqrt(k) * h[k - 1]) / Math.sqrt(k + 1);
            }
            for (int k = 0; k <= K; k++) {
                out[k] = y * h[k];
                out[K + 1 + k] = y2 * h[k];
            }
        }, 2 * (K + 1), breaks, 1e-12, 1e-10);
    }
}
