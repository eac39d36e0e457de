package org.autoinit.tensor.ops;

import java.util.Arrays;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.blas.Gemm;

/**
 * Matrix product with NumPy semantics: {@code (..., m, k) @ (..., k, n)} with broadcast batch dimensions;
 * a 1-d operand is a vector (as torch.matmul). d/dA = G B^T, d/dB = A^T G, computed with GEMM transpose
 * flags rather than transposed copies, then summed over broadcast batch dimensions.
 */
public final class MatMul {
    private MatMul() {}

    public static Tensor matmul(Tensor a, Tensor b) {
        Tensor.requireSameDType("matmul", a, b);
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got shapes "
                    + Shape.str(a.shape()) + " and " + Shape.str(b.shape()));
        }
        Tensor a2 = a.rank() == 1 ? ShapeOps.reshape(a, 1, a.dim(0)) : a;
        Tensor b2 = b.rank() == 1 ? ShapeOps.reshape(b, b.dim(0), 1) : b;
        if (a2.dim(-1) != b2.dim(-2)) {
            throw new IllegalArgumentException("matmul: shapes " + mat(a.shape()) + " and " + mat(b.shape()) + " cannot be multiplied");
        }
        Tensor out = product(a2, b2);
        if (a.rank() == 1 || b.rank() == 1) {
            int[] s = out.shape();
            int drop = a.rank() == 1 ? s.length - 2 : s.length - 1;
            if (a.rank() == 1 && b.rank() == 1) {
                return ShapeOps.reshape(out);
            }
            int[] t = new int[s.length - 1];
            for (int i = 0, j = 0; i < s.length; i++) if (i != drop) t[j++] = s[i];
            return ShapeOps.reshape(out, t);
        }
        return out;
    }

    private static String mat(int[] s) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) sb.append(i > 0 ? "x" : "").append(s[i]);
        return sb.append(")").toString();
    }

    /** Rank >= 2 operands with matching inner sizes. */
    private static Tensor product(Tensor a, Tensor b) {
        int[] as = a.shape(), bs = b.shape();
        int m = as[as.length - 2], k = as[as.length - 1], n = bs[bs.length - 1];
        if (bs.length == 2) {
            // (..., m, k) @ (k, n): fold the batch into the rows, one GEMM.
            int rows = prodBatch(as) * m;
            int[] os = as.clone();
            os[os.length - 1] = n;
            Tensor out = Tensor.zeros(a.dtype(), os);
            gemm(false, false, rows, n, k, a, 0, b, 0, out, 0);
            int r = rows;
            return Tensor.record("matmul", out, g -> {
                if (a.requiresGrad()) {
                    Tensor ga = Tensor.zeros(a.dtype(), as);
                    gemm(false, true, r, k, n, g, 0, b, 0, ga, 0);
                    a.accumulateGradOwned(ga);
                }
                if (b.requiresGrad()) {
                    Tensor gb = Tensor.zeros(b.dtype(), bs);
                    gemm(true, false, k, n, r, a, 0, g, 0, gb, 0);
                    b.accumulateGradOwned(gb);
                }
            }, a, b);
        }
        int[] batch = Shape.broadcast("matmul", Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        Tensor ae = expandBatch(a, batch), be = expandBatch(b, batch);
        int nb = Shape.numel(batch);
        int[] os = Arrays.copyOf(batch, batch.length + 2);
        os[batch.length] = m;
        os[batch.length + 1] = n;
        Tensor out = Tensor.zeros(a.dtype(), os);
        for (int i = 0; i < nb; i++) {
            gemm(false, false, m, n, k, ae, i * m * k, be, i * k * n, out, i * m * n);
        }
        return Tensor.record("matmul", out, g -> {
            if (a.requiresGrad()) {
                Tensor ga = Tensor.zeros(a.dtype(), ae.shape());
                for (int i = 0; i < nb; i++) gemm(false, true, m, k, n, g, i * m * n, be, i * k * n, ga, i * m * k);
                a.accumulateGrad(Elementwise.unbroadcast(ga, as));
            }
            if (b.requiresGrad()) {
                Tensor gb = Tensor.zeros(b.dtype(), be.shape());
                for (int i = 0; i < nb; i++) gemm(true, false, k, n, m, ae, i * m * k, g, i * m * n, gb, i * k * n);
                b.accumulateGrad(Elementwise.unbroadcast(gb, bs));
            }
        }, a, b);
    }

    private static int prodBatch(int[] s) {
        int p = 1;
        for (int i = 0; i < s.length - 2; i++) p *= s[i];
        return p;
    }

    /** Materializes {@code t} broadcast to {@code batch + t's last two dims} (no copy if already that shape). */
    private static Tensor expandBatch(Tensor t, int[] batch) {
        int[] s = t.shape();
        int[] target = Arrays.copyOf(batch, batch.length + 2);
        target[batch.length] = s[s.length - 2];
        target[batch.length + 1] = s[s.length - 1];
        return Arrays.equals(s, target) ? t.detach() : Elementwise.expand(t.detach(), target);
    }

    /** {@code C[cOff..] = op(A) op(B)} on the tensors' storage; C must be zero or is overwritten (beta 0). */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, Tensor a, int aOff, Tensor b, int bOff, Tensor c, int cOff) {
        if (a.dtype() == DType.FLOAT32) {
            Gemm.sgemm(ta, tb, m, n, k, a.floatData(), aOff, b.floatData(), bOff, 0f, c.floatData(), cOff);
        } else {
            Gemm.dgemm(ta, tb, m, n, k, a.doubleData(), aOff, b.doubleData(), bOff, 0.0, c.doubleData(), cOff);
        }
    }
}
