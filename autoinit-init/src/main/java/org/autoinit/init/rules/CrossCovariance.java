package org.autoinit.init.rules;

import java.util.function.Supplier;

import org.autoinit.tensor.blas.Gemm;

/**
 * {@code Cov(x, y)} of a signal y computed from a source signal x ({@code x.d x y.d}, row-major), kept as a lazy product
 * along a residual branch: {@code C W_a} (the first Dense, which {@link FeatureCovariance#through} computes anyway), then
 * per-feature gains (activations by Stein's lemma, batch norm), scalars and further weights. It is multiplied out only
 * when a merge finds the branch's source among its other inputs ({@link #matrix()}, memoized), so a model without
 * residual merges pays nothing for it. Immutable apart from the memo.
 */
final class CrossCovariance {
    /** The source's covariance (compared by identity). */
    final FeatureCovariance source;
    /** Weighted layers from the source to this signal. */
    final int depth;
    /** Columns (features of this signal). */
    final int cols;
    private final CrossCovariance prev;
    private final double[] weight;
    private final double[] gain;
    private final double factor;
    private double[] value;
    /** Computes {@link #value} on first use when the chain starts from a product not yet laid out (or null). */
    private Supplier<double[]> pending;

    private CrossCovariance(FeatureCovariance source, int depth, int cols, CrossCovariance prev, double[] weight, double[] gain, double factor,
            double[] value) {
        this.source = source;
        this.depth = depth;
        this.cols = cols;
        this.prev = prev;
        this.weight = weight;
        this.gain = gain;
        this.factor = factor;
        this.value = value;
    }

    /** {@code Cov(source, y) = k} ({@code source.d x cols}), one weighted layer from the source. */
    static CrossCovariance of(FeatureCovariance source, double[] k, int cols) {
        return new CrossCovariance(source, 1, cols, null, null, null, 1, k);
    }

    /** As {@link #of}, with k computed on first use (most chains never reach a merge that needs it). */
    static CrossCovariance lazy(FeatureCovariance source, Supplier<double[]> k, int cols) {
        CrossCovariance x = new CrossCovariance(source, 1, cols, null, null, null, 1, null);
        x.pending = k;
        return x;
    }

    /** {@code Cov(x, y W) = Cov(x, y) W} for a {@code [cols, n]} weight (not copied: the caller passes its own array). */
    CrossCovariance times(double[] w, int n) {
        return new CrossCovariance(source, depth + 1, n, this, w, null, 1, null);
    }

    /** {@code Cov(x, g * y)} for a per-feature gain g (columns scaled). */
    CrossCovariance gained(double[] g) {
        return new CrossCovariance(source, depth, cols, this, null, g.clone(), 1, null);
    }

    /** {@code Cov(x, a y)}. */
    CrossCovariance scaled(double a) {
        return new CrossCovariance(source, depth, cols, this, null, null, a, null);
    }

    /** The matrix (multiplied out once; do not modify). */
    double[] matrix() {
        if (value == null && pending != null) {
            value = pending.get();
            pending = null;
        }
        if (value == null) {
            double[] p = prev.matrix();
            int rows = source.d;
            if (weight != null) {
                double[] k = new double[rows * cols];
                Gemm.dgemm(false, false, rows, cols, prev.cols, p, 0, weight, 0, 0, k, 0);
                value = k;
            } else {
                double[] k = p.clone();
                for (int r = 0; r < k.length; r += cols) {
                    for (int j = 0; j < cols; j++) {
                        k[r + j] *= gain != null ? gain[j] : factor;
                    }
                }
                value = k;
            }
        }
        return value;
    }
}
