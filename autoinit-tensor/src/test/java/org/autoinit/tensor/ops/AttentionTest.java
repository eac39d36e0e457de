package org.autoinit.tensor.ops;

import static org.autoinit.tensor.testing.GradCheck.check;
import static org.autoinit.tensor.testing.GradCheck.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Scaled dot-product attention: values against naive loops, gradient checks, masking edge cases, errors. */
class AttentionTest {
    private static final int B = 2, H = 2, SQ = 3, SK = 4, D = 5, DV = 2;

    /** Naive attention with an optional mask given as a function of (b, h, i, j). */
    private interface MaskFn {
        double at(int b, int h, int i, int j);
    }

    private static double[] naive(Tensor q, Tensor k, Tensor v, MaskFn mask, double scale) {
        int b = q.dim(0), h = q.dim(1), sq = q.dim(2), sk = k.dim(2), d = q.dim(3), dv = v.dim(3);
        double[] out = new double[b * h * sq * dv];
        for (int bi = 0; bi < b; bi++)
            for (int hi = 0; hi < h; hi++)
                for (int i = 0; i < sq; i++) {
                    double[] w = new double[sk];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < sk; j++) {
                        double s = 0;
                        for (int e = 0; e < d; e++) s += q.get(bi, hi, i, e) * k.get(bi, hi, j, e);
                        w[j] = s * scale + (mask == null ? 0 : mask.at(bi, hi, i, j));
                        max = Math.max(max, w[j]);
                    }
                    double z = 0;
                    for (int j = 0; j < sk; j++) z += (w[j] = Math.exp(w[j] - max));
                    for (int c = 0; c < dv; c++) {
                        double o = 0;
                        for (int j = 0; j < sk; j++) o += w[j] / z * v.get(bi, hi, j, c);
                        out[((bi * h + hi) * sq + i) * dv + c] = o;
                    }
                }
        return out;
    }

    /** Causal-style mask [SQ, SK]: query i may see keys 0..i+1 (never a fully masked row). */
    private static Tensor causal(DType dt) {
        Tensor m = Tensor.zeros(dt, SQ, SK);
        for (int i = 0; i < SQ; i++) for (int j = i + 2; j < SK; j++) m.setFlat(i * SK + j, Double.NEGATIVE_INFINITY);
        return m;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matchesNaiveLoops(DType dt) {
        SplittableRandom r = new SplittableRandom(1);
        Tensor q = Tensor.randn(r, dt, B, H, SQ, D), k = Tensor.randn(r, dt, B, H, SK, D), v = Tensor.randn(r, dt, B, H, SK, DV);
        double scale = 1 / Math.sqrt(D), tol = dt == DType.FLOAT32 ? 1e-5 : 1e-12;
        assertClose(naive(q, k, v, null, scale), Attention.scaledDotProduct(q, k, v, null, scale), tol, dt + " no mask");
        Tensor m = causal(dt);
        assertClose(naive(q, k, v, (b, h, i, j) -> m.get(i, j), scale), Attention.scaledDotProduct(q, k, v, m, scale), tol, dt + " causal");
        // Per-batch additive mask [B, 1, 1, SK] broadcast over heads and queries.
        Tensor pad = Tensor.randn(r, dt, B, 1, 1, SK);
        assertClose(naive(q, k, v, (b, h, i, j) -> pad.get(b, 0, 0, j), 0.7), Attention.scaledDotProduct(q, k, v, pad, 0.7), tol,
                dt + " padding mask");
        // Large enough to take the multi-threaded softmax path.
        Tensor q2 = Tensor.randn(r, dt, 2, 4, 128, 16), k2 = Tensor.randn(r, dt, 2, 4, 160, 16), v2 = Tensor.randn(r, dt, 2, 4, 160, 8);
        assertClose(naive(q2, k2, v2, null, 0.25), Attention.scaledDotProduct(q2, k2, v2, null, 0.25), tol, dt + " large");
    }

    @Test
    void gradientsWithoutMask() {
        Tensor q = param(2, B, H, SQ, D).name("q"), k = param(3, B, H, SK, D).name("k"), v = param(4, B, H, SK, DV).name("v");
        check("attention no mask", in -> Attention.scaledDotProduct(in.get(0), in.get(1), in.get(2), null, 0.45), q, k, v);
    }

    @Test
    void gradientsWithInfiniteMask() {
        Tensor q = param(5, B, H, SQ, D).name("q"), k = param(6, B, H, SK, D).name("k"), v = param(7, B, H, SK, DV).name("v");
        Tensor m = causal(DType.FLOAT64);
        check("attention causal mask", in -> Attention.scaledDotProduct(in.get(0), in.get(1), in.get(2), m, 0.45), q, k, v);
    }

    @Test
    void gradientsWithDifferentiableMask() {
        Tensor q = param(8, B, H, SQ, D).name("q"), k = param(9, B, H, SK, D).name("k"), v = param(10, B, H, SK, DV).name("v");
        Tensor m = param(11, H, 1, SK).name("mask"); // broadcast over batch and queries: its gradient is summed there
        check("attention learned bias", in -> Attention.scaledDotProduct(in.get(0), in.get(1), in.get(2), in.get(3), 0.45), q, k, v, m);
    }

    @Test
    void selfAttentionReusingOneTensorAccumulates() {
        check("attention q=k=v", in -> Attention.scaledDotProduct(in.get(0), in.get(0), in.get(0), null, 0.5), param(12, 1, 2, 4, 3));
    }

    @Test
    void fullyMaskedRowGivesZerosNotNaN() {
        Tensor q = param(13, 1, 1, 2, 3), k = param(14, 1, 1, 3, 3), v = param(15, 1, 1, 3, 2);
        double inf = Double.NEGATIVE_INFINITY;
        Tensor m = Tensor.of(new double[] {0, inf, 0, inf, inf, inf}, 1, 1, 2, 3); // query 1 sees nothing
        Tensor out = Attention.scaledDotProduct(q, k, v, m, 1.0);
        double[] want = naive(q, k, v, (b, h, i, j) -> m.get(0, 0, i, j), 1.0);
        for (int c = 0; c < 2; c++) {
            assertEquals(want[c], out.get(0, 0, 0, c), 1e-12, "query 0 output " + c);
            assertEquals(0.0, out.get(0, 0, 1, c), 0.0, "fully masked query 1 output " + c);
        }
        out.backward(Tensor.ones(DType.FLOAT64, 1, 1, 2, 2), false);
        for (Tensor t : new Tensor[] {q, k, v}) {
            for (double g : t.grad().toDoubleArray()) assertEquals(true, Double.isFinite(g), "gradient must be finite");
        }
        for (int e = 0; e < 3; e++) assertEquals(0.0, q.grad().get(0, 0, 1, e), 0.0, "no gradient to the fully masked query");
        check("attention with a fully masked row", in -> Attention.scaledDotProduct(in.get(0), in.get(1), in.get(2), m, 1.0),
                param(16, 1, 1, 2, 3), param(17, 1, 1, 3, 3), param(18, 1, 1, 3, 2));
    }

    @Test
    void largeNegativeMaskEverywhereIsAnOrdinarySoftmax() {
        Tensor q = param(19, 1, 1, 2, 3), k = param(20, 1, 1, 3, 3), v = param(21, 1, 1, 3, 2);
        Tensor m = Tensor.full(-1e9, DType.FLOAT64, 1, 3);
        assertClose(naive(q, k, v, (b, h, i, j) -> -1e9, 1.0), Attention.scaledDotProduct(q, k, v, m, 1.0), 1e-12, "constant -1e9 mask");
    }

    @Test
    void errorsNameTheOpAndShapes() {
        Tensor q = Tensor.zeros(DType.FLOAT32, 2, 4, 5, 8), k = Tensor.zeros(DType.FLOAT32, 2, 4, 6, 8), v = Tensor.zeros(DType.FLOAT32, 2, 4, 6, 3);
        assertMessage("scaled_dot_product_attention: q of shape [2, 5, 8] must have rank 4 (B, H, Sq, D)",
                () -> Attention.scaledDotProduct(Tensor.zeros(DType.FLOAT32, 2, 5, 8), k, v, null, 1));
        assertMessage("scaled_dot_product_attention: k of shape [2, 4, 6, 7] does not match q of shape [2, 4, 5, 8] (expected [2, 4, Sk, 8])",
                () -> Attention.scaledDotProduct(q, Tensor.zeros(DType.FLOAT32, 2, 4, 6, 7), v, null, 1));
        assertMessage("scaled_dot_product_attention: v of shape [2, 4, 5, 3] does not match k of shape [2, 4, 6, 8] (expected [2, 4, 6, Dv])",
                () -> Attention.scaledDotProduct(q, k, Tensor.zeros(DType.FLOAT32, 2, 4, 5, 3), null, 1));
        assertMessage("scaled_dot_product_attention: mask of shape [5, 5] is not broadcastable to the attention scores [2, 4, 5, 6] (B, H, Sq, Sk)",
                () -> Attention.scaledDotProduct(q, k, v, Tensor.zeros(DType.FLOAT32, 5, 5), 1));
        assertMessage("scaled_dot_product_attention: dtypes float32 and float64 differ; convert with to()",
                () -> Attention.scaledDotProduct(q, k, v, Tensor.zeros(DType.FLOAT64, 5, 6), 1));
    }

    private static void assertMessage(String want, org.junit.jupiter.api.function.Executable call) {
        assertEquals(want, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    private static void assertClose(double[] want, Tensor got, double tol, String what) {
        assertEquals(want.length, got.numel(), what + ": size");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got.getFlat(i), tol * (1 + Math.abs(want[i])), what + " at flat index " + i);
        }
    }
}
