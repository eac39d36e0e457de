package org.autoinit.tensor.ops;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.blas.PackedGemm;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.FloatSimd;
import org.autoinit.tensor.simd.Simd;

/**
 * Multi-head self-attention straight from a fused q|k|v projection, float32: {@code qkv [N, S, 3*H*D]} (features
 * ordered q|k|v, then head, then dim) gives {@code [N, S, H*D]} (heads concatenated), i.e.
 * {@code concat_h softmax(scale Q_h K_h^T) V_h} with no mask. The same math as splitting the heads with
 * reshape/permute and calling {@link Attention#scaledDotProduct}, but every GEMM reads its head's columns of
 * {@code qkv} in place through strides and writes the heads' outputs (and, in backward, dq|dk|dv) in place,
 * so the four head split/merge copies of each pass disappear. (batch, head) pairs are split over the threads.
 *
 * <p>Backward: {@code dV = P^T G}, {@code dP = G V^T}, {@code dZ = scale P * (dP - rowsum(dP * P))},
 * {@code dQ = dZ K}, {@code dK = dZ^T Q}.
 */
public final class FusedAttention {
    private static final String OP = "fused_self_attention";

    private FusedAttention() {}

    /** True when this fused path can run (float32 input and the Vector API kernels in use). */
    public static boolean applies(Tensor qkv) {
        return qkv.dtype() == DType.FLOAT32 && PackedGemm.available() && Simd.enabled();
    }

    /** {@code qkv [N, S, 3*heads*D]} -> {@code [N, S, heads*D]}; requires {@link #applies}. */
    public static Tensor selfAttention(Tensor qkv, int heads, double scale) {
        int[] s = qkv.shape();
        if (s.length != 3 || heads <= 0 || s[2] % (3 * heads) != 0) {
            throw new IllegalArgumentException(OP + ": qkv of shape " + Shape.str(s) + " must be [N, S, 3 * heads * D] with "
                    + heads + " heads");
        }
        if (!applies(qkv)) {
            throw new IllegalArgumentException(OP + ": needs float32 input and the Vector API kernels (got " + qkv.dtype() + ")");
        }
        int n = s[0], seq = s[1], hd = s[2] / 3, d = hd / heads, row = s[2];
        float sc = (float) scale;
        float[] x = qkv.floatData();
        Tensor out = Tensor.zeros(DType.FLOAT32, n, seq, hd);
        float[] o = out.floatData();
        float[] probs = new float[n * heads * seq * seq];
        Parallel.forRange(n * heads, 1, (lo, hi) -> {
            for (int bh = lo; bh < hi; bh++) {
                int b = bh / heads, h = bh % heads, base = b * seq * row + h * d, p0 = bh * seq * seq;
                // scores = Q K^T: Q rows at stride row; K^T as B: (p, j) = K[j][p]
                PackedGemm.gemm(seq, seq, d, x, base, row, 1, x, base + hd, 1, row, 0f, probs, p0, seq);
                FloatSimd.softmaxRows(probs, p0, seq, seq, sc);
                PackedGemm.gemm(seq, d, seq, probs, p0, seq, 1, x, base + 2 * hd, row, 1, 0f, o, b * seq * hd + h * d, hd);
            }
        });
        return Tensor.record(OP, out, g -> {
            float[] gs = g.floatData();
            Tensor dqkv = Tensor.zeros(DType.FLOAT32, s);
            float[] dx = dqkv.floatData();
            Parallel.forRange(n * heads, 1, (lo, hi) -> {
                float[] dz = new float[seq * seq];
                for (int bh = lo; bh < hi; bh++) {
                    int b = bh / heads, h = bh % heads, base = b * seq * row + h * d, p0 = bh * seq * seq;
                    int go = b * seq * hd + h * d;
                    // dV = P^T G
                    PackedGemm.gemm(seq, d, seq, probs, p0, 1, seq, gs, go, hd, 1, 0f, dx, base + 2 * hd, row);
                    // dP = G V^T
                    PackedGemm.gemm(seq, seq, d, gs, go, hd, 1, x, base + 2 * hd, 1, row, 0f, dz, 0, seq);
                    for (int i = 0; i < seq; i++) {
                        FloatSimd.softmaxBackwardRow(probs, p0 + i * seq, dz, i * seq, seq);
                        for (int j = i * seq; j < (i + 1) * seq; j++) dz[j] *= sc;
                    }
                    // dQ = dZ K, dK = dZ^T Q
                    PackedGemm.gemm(seq, d, seq, dz, 0, seq, 1, x, base + hd, row, 1, 0f, dx, base, row);
                    PackedGemm.gemm(seq, d, seq, dz, 0, 1, seq, x, base, row, 1, 0f, dx, base + hd, row);
                }
            });
            qkv.accumulateGradOwned(dqkv);
        }, qkv);
    }
}
