package org.autoinit.tensor.ops;

import java.util.Arrays;

import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Scaled dot-product attention, fused: one GEMM per (batch, head) for the scores, a stable row softmax in
 * double, one GEMM for the output; the probabilities are kept for backward.
 *
 * <p>With {@code Z = scale * Q K^T + mask}, {@code P = softmax_rows(Z)}, {@code O = P V}:
 * {@code dV = P^T G}, {@code dP = G V^T}, {@code dZ = P * (dP - rowsum(dP * P))}, {@code dQ = scale * dZ K},
 * {@code dK = scale * dZ^T Q}, {@code dMask = dZ} summed over the dimensions the mask was broadcast along.
 */
public final class Attention {
    private static final String OP = "scaled_dot_product_attention";

    private Attention() {}

    /**
     * {@code softmax(q k^T * scale + mask) v}. q [B, H, Sq, D], k [B, H, Sk, D], v [B, H, Sk, Dv]; returns
     * [B, H, Sq, Dv]. {@code mask} is null or an additive tensor of q's dtype broadcastable to [B, H, Sq, Sk]
     * (0 = keep, -inf or a large negative = drop; it is differentiable like any input).
     *
     * <p>A row whose entries are all -inf after masking (a query that may attend to nothing) is defined to
     * give weights 0, so its output row is zeros and it passes no gradient; it never yields NaN. A finite
     * large negative on every entry instead gives the ordinary softmax of those values (uniform weights for
     * a constant mask), exactly as PyTorch. NaN inputs, or +inf in the mask, still propagate as NaN.
     */
    public static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor mask, double scale) {
        Dims d = check(q, k, v, mask, scale);
        int nb = d.b * d.h;
        int sq = d.sq, sk = d.sk, dk = d.d, dv = d.dv;
        Tensor p = Tensor.zeros(q.dtype(), d.b, d.h, sq, sk);
        for (int i = 0; i < nb; i++) {
            MatMul.gemm(false, true, sq, sk, dk, q, i * sq * dk, k, i * sk * dk, p, i * sq * sk);
        }
        softmaxRows(p, scale, mask, d);
        Tensor out = Tensor.zeros(q.dtype(), d.b, d.h, sq, dv);
        for (int i = 0; i < nb; i++) {
            MatMul.gemm(false, false, sq, dv, sk, p, i * sq * sk, v, i * sk * dv, out, i * sq * dv);
        }
        return Tensor.record(OP, out, g -> {
            if (v.requiresGrad()) {
                Tensor gv = Tensor.zeros(v.dtype(), v.shape());
                for (int i = 0; i < nb; i++) MatMul.gemm(true, false, sk, dv, sq, p, i * sq * sk, g, i * sq * dv, gv, i * sk * dv);
                v.accumulateGradOwned(gv);
            }
            boolean wantMask = mask != null && mask.requiresGrad();
            if (!q.requiresGrad() && !k.requiresGrad() && !wantMask) return;
            Tensor dz = Tensor.zeros(q.dtype(), p.shape());
            for (int i = 0; i < nb; i++) MatMul.gemm(false, true, sq, sk, dv, g, i * sq * dv, v, i * sk * dv, dz, i * sq * sk);
            softmaxBackwardRows(p, dz);
            if (wantMask) mask.accumulateGrad(Elementwise.unbroadcast(dz, mask.shape()));
            if (q.requiresGrad()) {
                Tensor gq = Tensor.zeros(q.dtype(), q.shape());
                for (int i = 0; i < nb; i++) MatMul.gemm(false, false, sq, dk, sk, dz, i * sq * sk, k, i * sk * dk, gq, i * sq * dk);
                q.accumulateGradOwned(gq.scale_(scale));
            }
            if (k.requiresGrad()) {
                Tensor gk = Tensor.zeros(k.dtype(), k.shape());
                for (int i = 0; i < nb; i++) MatMul.gemm(true, false, sk, dk, sq, dz, i * sq * sk, q, i * sq * dk, gk, i * sk * dk);
                k.accumulateGradOwned(gk.scale_(scale));
            }
        }, q, k, v, mask);
    }

    /** Turns raw scores {@code s} in {@code p} into {@code softmax(scale * s + mask)} row by row, in place. */
    private static void softmaxRows(Tensor p, double scale, Tensor mask, Dims d) {
        int sk = d.sk, rows = d.b * d.h * d.sq;
        int[] ms = mask == null ? null : Elementwise.broadcastStrides(mask.shape(), 4);
        double[] mv = mask == null ? null : mask.toDoubleArray();
        Parallel.forRange(rows, Math.max(1, Elementwise.GRAIN / Math.max(1, sk)), (lo, hi) -> {
            double[] z = new double[sk];
            for (int r = lo; r < hi; r++) {
                DoubleRows.load(p, r * sk, z, 0, sk);
                for (int j = 0; j < sk; j++) z[j] *= scale;
                if (mv != null) {
                    int i = r % d.sq, h = (r / d.sq) % d.h, b = r / (d.sq * d.h);
                    int mo = b * ms[0] + h * ms[1] + i * ms[2];
                    for (int j = 0; j < sk; j++) z[j] += mv[mo + j * ms[3]];
                }
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < sk; j++) max = Math.max(max, z[j]); // Math.max propagates NaN
                if (max == Double.NEGATIVE_INFINITY) {
                    Arrays.fill(z, 0.0); // nothing to attend to: defined as zero weights (documented)
                } else {
                    double sum = 0;
                    for (int j = 0; j < sk; j++) {
                        z[j] = Math.exp(z[j] - max);
                        sum += z[j];
                    }
                    double inv = 1.0 / sum;
                    for (int j = 0; j < sk; j++) z[j] *= inv;
                }
                DoubleRows.store(z, 0, p, r * sk, sk);
            }
        });
    }

    /** {@code dz <- p * (dz - rowsum(dz * p))}: the softmax backward, in place on the upstream {@code dz}. */
    private static void softmaxBackwardRows(Tensor p, Tensor dz) {
        int[] s = p.shape();
        int sk = s[3], rows = s[0] * s[1] * s[2];
        Parallel.forRange(rows, Math.max(1, Elementwise.GRAIN / Math.max(1, sk)), (lo, hi) -> {
            double[] pr = new double[sk];
            double[] gr = new double[sk];
            for (int r = lo; r < hi; r++) {
                DoubleRows.load(p, r * sk, pr, 0, sk);
                DoubleRows.load(dz, r * sk, gr, 0, sk);
                double dot = 0;
                for (int j = 0; j < sk; j++) dot += gr[j] * pr[j];
                for (int j = 0; j < sk; j++) gr[j] = pr[j] * (gr[j] - dot);
                DoubleRows.store(gr, 0, dz, r * sk, sk);
            }
        });
    }

    private record Dims(int b, int h, int sq, int sk, int d, int dv) {}

    private static Dims check(Tensor q, Tensor k, Tensor v, Tensor mask, double scale) {
        rank4(q, "q", "(B, H, Sq, D)");
        rank4(k, "k", "(B, H, Sk, D)");
        rank4(v, "v", "(B, H, Sk, Dv)");
        Tensor.requireSameDType(OP, q, k);
        Tensor.requireSameDType(OP, q, v);
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (ks[0] != qs[0] || ks[1] != qs[1] || ks[3] != qs[3]) {
            throw new IllegalArgumentException(OP + ": k of shape " + Shape.str(ks) + " does not match q of shape " + Shape.str(qs)
                    + " (expected [" + qs[0] + ", " + qs[1] + ", Sk, " + qs[3] + "])");
        }
        if (vs[0] != qs[0] || vs[1] != qs[1] || vs[2] != ks[2]) {
            throw new IllegalArgumentException(OP + ": v of shape " + Shape.str(vs) + " does not match k of shape " + Shape.str(ks)
                    + " (expected [" + qs[0] + ", " + qs[1] + ", " + ks[2] + ", Dv])");
        }
        int[] scores = {qs[0], qs[1], qs[2], ks[2]};
        if (mask != null) {
            Tensor.requireSameDType(OP, q, mask);
            if (!broadcastsTo(mask.shape(), scores)) {
                throw new IllegalArgumentException(OP + ": mask of shape " + Shape.str(mask.shape())
                        + " is not broadcastable to the attention scores " + Shape.str(scores) + " (B, H, Sq, Sk)");
            }
        }
        if (!Double.isFinite(scale)) {
            throw new IllegalArgumentException(OP + ": scale must be finite, got " + scale);
        }
        return new Dims(qs[0], qs[1], qs[2], ks[2], qs[3], vs[3]);
    }

    /** True when {@code shape} broadcasts to {@code target} without changing it (each trailing size 1 or equal). */
    private static boolean broadcastsTo(int[] shape, int[] target) {
        if (shape.length > target.length) return false;
        for (int i = 1; i <= shape.length; i++) {
            int a = shape[shape.length - i];
            if (a != 1 && a != target[target.length - i]) return false;
        }
        return true;
    }

    private static void rank4(Tensor t, String name, String layout) {
        if (t.rank() != 4) {
            throw new IllegalArgumentException(OP + ": " + name + " of shape " + Shape.str(t.shape()) + " must have rank 4 " + layout);
        }
    }
}
