package org.autoinit.tensor.ops;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.blas.Gemm;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Grouped 2-d convolution as im2col + GEMM, per sample and group g (K = C/groups * kh * kw, P = H' * W'):
 * <pre>
 *   Y_g[O/groups, P]  = W_g[O/groups, K] @ col_g[K, P]
 *   dW_g             += dY_g @ col_g^T          (summed over the batch)
 *   dcol_g            = W_g^T @ dY_g,   dX = col2im(dcol)
 * </pre>
 * Transposes are GEMM flags, not copies. The batch is processed in blocks: im2col and col2im of a block
 * run in parallel over its samples, while the GEMMs run one after another on the calling thread: the
 * OpenBLAS bundled with jblas intermittently leaves a whole output at zero when two threads call it at
 * once. Serial GEMMs also make dW a fixed-order sum, the same whatever the thread count. Columns are recomputed in backward rather than kept from forward (as PyTorch
 * does) to save memory. A 1x1, stride 1, unpadded convolution uses the input itself as its column matrix.
 */
final class GemmConv {
    /** Column-buffer elements per block of samples (16 MiB in float32). */
    private static final long BLOCK_ELEMENTS = 1L << 22;
    /** im2col/col2im elements per thread below which a block stays on the calling thread. */
    private static final long COPY_GRAIN = 1L << 15;

    private GemmConv() {}

    /** {@code x [N, C, H, W]}, {@code w [O, C/groups, kh, kw]} -> {@code [N, O, H', W']} without bias. */
    static Tensor forward(Tensor x, Tensor w, ConvGeometry g, int groups) {
        int n = x.dim(0), o = w.dim(0), og = o / groups, k = g.patch(g.c() / groups), p = g.outPlane();
        int xs = g.c() * g.inPlane(), colSize = g.c() * g.kh() * g.kw() * p;
        boolean pointwise = g.isPointwise();
        Tensor out = Tensor.zeros(x.dtype(), n, o, g.outH(), g.outW());
        int block = pointwise ? n : blockSize(n, colSize);
        Tensor cols = pointwise ? x : Tensor.zeros(x.dtype(), block * colSize);
        for (int b0 = 0; b0 < n; b0 += block) {
            int b1 = Math.min(n, b0 + block), first = b0;
            if (!pointwise) {
                Parallel.forRange(b1 - b0, copyGrain(colSize), (lo, hi) -> {
                    for (int s = lo; s < hi; s++) im2col(x, (first + s) * xs, cols, s * colSize, g);
                });
            }
            for (int s = b0; s < b1; s++) {
                int colOff = pointwise ? s * xs : (s - b0) * colSize;
                for (int gi = 0; gi < groups; gi++) {
                    gemm(false, false, og, p, k, w, gi * og * k, cols, colOff + gi * k * p, 0, out, (s * o + gi * og) * p);
                }
            }
        }
        return out;
    }

    /** Accumulates dX and dW (those that require grad) for upstream gradient {@code gy [N, O, H', W']}. */
    static void backward(Tensor x, Tensor w, ConvGeometry g, int groups, Tensor gy) {
        boolean needX = x.requiresGrad(), needW = w.requiresGrad();
        if (!needX && !needW) return;
        int n = x.dim(0), o = w.dim(0), og = o / groups, k = g.patch(g.c() / groups), p = g.outPlane();
        int xs = g.c() * g.inPlane(), colSize = g.c() * g.kh() * g.kw() * p;
        boolean pointwise = g.isPointwise();
        Tensor gx = needX ? Tensor.zeros(x.dtype(), x.shape()) : null;
        Tensor gw = needW ? Tensor.zeros(w.dtype(), w.shape()) : null;
        int block = pointwise ? n : blockSize(n, colSize);
        // One buffer per block: first the columns of x (for dW), then overwritten by dcol (for dX).
        Tensor cols = pointwise ? null : Tensor.zeros(x.dtype(), block * colSize);
        for (int b0 = 0; b0 < n; b0 += block) {
            int b1 = Math.min(n, b0 + block), first = b0;
            if (needW) {
                if (!pointwise) {
                    Parallel.forRange(b1 - b0, copyGrain(colSize), (lo, hi) -> {
                        for (int s = lo; s < hi; s++) im2col(x, (first + s) * xs, cols, s * colSize, g);
                    });
                }
                for (int s = b0; s < b1; s++) {
                    Tensor src = pointwise ? x : cols;
                    int srcOff = pointwise ? s * xs : (s - b0) * colSize;
                    for (int gi = 0; gi < groups; gi++) {
                        gemm(false, true, og, k, p, gy, (s * o + gi * og) * p, src, srcOff + gi * k * p, 1, gw, gi * og * k);
                    }
                }
            }
            if (needX) {
                for (int s = b0; s < b1; s++) {
                    Tensor dst = pointwise ? gx : cols;
                    int dstOff = pointwise ? s * xs : (s - b0) * colSize;
                    for (int gi = 0; gi < groups; gi++) {
                        gemm(true, false, k, p, og, w, gi * og * k, gy, (s * o + gi * og) * p, 0, dst, dstOff + gi * k * p);
                    }
                }
                if (!pointwise) {
                    Parallel.forRange(b1 - b0, copyGrain(colSize), (lo, hi) -> {
                        for (int s = lo; s < hi; s++) col2im(cols, s * colSize, gx, (first + s) * xs, g);
                    });
                }
            }
        }
        if (needX) x.accumulateGradOwned(gx);
        if (needW) w.accumulateGradOwned(gw);
    }

    /** Samples per block: as many column matrices as fit in {@link #BLOCK_ELEMENTS}, at least one. */
    private static int blockSize(int n, int colSize) {
        return (int) Math.max(1, Math.min(n, BLOCK_ELEMENTS / Math.max(1, colSize)));
    }

    private static int copyGrain(int colSize) {
        return (int) Math.max(1, COPY_GRAIN / Math.max(1, colSize));
    }

    private static void im2col(Tensor x, int xOff, Tensor col, int colOff, ConvGeometry g) {
        if (x.dtype() == DType.FLOAT32) {
            Im2col.im2colF(x.floatData(), xOff, col.floatData(), colOff, g);
        } else {
            Im2col.im2colD(x.doubleData(), xOff, col.doubleData(), colOff, g);
        }
    }

    private static void col2im(Tensor col, int colOff, Tensor dx, int xOff, ConvGeometry g) {
        if (col.dtype() == DType.FLOAT32) {
            Im2col.col2imF(col.floatData(), colOff, dx.floatData(), xOff, g);
        } else {
            Im2col.col2imD(col.doubleData(), colOff, dx.doubleData(), xOff, g);
        }
    }

    /** {@code C[cOff..] = op(A) op(B) + beta C} on raw storage; see {@link Gemm}. */
    private static void gemm(boolean ta, boolean tb, int m, int n, int k, Tensor a, int aOff, Tensor b, int bOff,
                             double beta, Tensor c, int cOff) {
        if (a.dtype() == DType.FLOAT32) {
            Gemm.sgemm(ta, tb, m, n, k, a.floatData(), aOff, b.floatData(), bOff, (float) beta, c.floatData(), cOff);
        } else {
            Gemm.dgemm(ta, tb, m, n, k, a.doubleData(), aOff, b.doubleData(), bOff, beta, c.doubleData(), cOff);
        }
    }
}
