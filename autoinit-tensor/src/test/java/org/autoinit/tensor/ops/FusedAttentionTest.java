package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The fused float32 self-attention against the unfused float64 composition (head split, scaledDotProduct, merge). */
class FusedAttentionTest {

    /** The reference: split q|k|v and the heads with reshape/permute, attend, merge the heads back. */
    private static Tensor unfused(Tensor qkv, int heads, double scale) {
        int n = qkv.dim(0), s = qkv.dim(1), hd = qkv.dim(2) / 3, d = hd / heads;
        Tensor all = qkv.reshape(n, s, 3, heads, d).permute(2, 0, 3, 1, 4);
        Tensor q = all.narrow(0, 0, 1).reshape(n, heads, s, d);
        Tensor k = all.narrow(0, 1, 1).reshape(n, heads, s, d);
        Tensor v = all.narrow(0, 2, 1).reshape(n, heads, s, d);
        return Attention.scaledDotProduct(q, k, v, null, scale).permute(0, 2, 1, 3).reshape(n, s, hd);
    }

    @Test
    void matchesTheUnfusedComposition() {
        Assumptions.assumeTrue(FusedAttention.applies(Tensor.zeros(DType.FLOAT32, 1, 1, 3)), "Vector API kernels not in use");
        for (int[] c : new int[][] {{2, 5, 2, 3}, {3, 64, 4, 32}, {1, 17, 1, 40}, {2, 33, 3, 16}}) {
            int n = c[0], s = c[1], h = c[2], d = c[3];
            SplittableRandom r = new SplittableRandom(s * 100 + d);
            Tensor x32 = Tensor.randn(r, DType.FLOAT32, n, s, 3 * h * d).detach();
            Tensor g32 = Tensor.randn(r, DType.FLOAT32, n, s, h * d);
            double scale = 1 / Math.sqrt(d);
            Tensor x = x32.detach().requiresGrad(true), xd = x32.to(DType.FLOAT64).detach().requiresGrad(true);
            Tensor y = FusedAttention.selfAttention(x, h, scale), yd = unfused(xd, h, scale);
            y.backward(g32, false);
            yd.backward(g32.to(DType.FLOAT64), false);
            String what = "n=" + n + " s=" + s + " heads=" + h + " d=" + d;
            for (int i = 0; i < yd.numel(); i++) assertEquals(yd.getFlat(i), y.getFlat(i), 2e-5, what + " output " + i);
            for (int i = 0; i < xd.numel(); i++) assertEquals(xd.grad().getFlat(i), x.grad().getFlat(i), 5e-5, what + " dqkv " + i);
        }
    }

    @Test
    void rejectsShapesThatAreNotQkv() {
        Tensor bad = Tensor.zeros(DType.FLOAT32, 2, 4, 10);
        var e = assertThrows(IllegalArgumentException.class, () -> FusedAttention.selfAttention(bad, 2, 1.0));
        assertEquals("fused_self_attention: qkv of shape [2, 4, 10] must be [N, S, 3 * heads * D] with 2 heads", e.getMessage());
    }
}
