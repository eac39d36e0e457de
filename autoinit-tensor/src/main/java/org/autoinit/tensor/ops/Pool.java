package org.autoinit.tensor.ops;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.MaxPool2x2;
import org.autoinit.tensor.simd.Simd;

/**
 * 2-d pooling over {@code [N, C, H, W]} with PyTorch semantics (floor mode, padding at most half the
 * kernel). Max pooling pads with -inf and routes the gradient to the remembered argmax (the first maximum
 * of the window, row-major, on ties); average pooling pads with zeros that count in the divisor
 * ({@code count_include_pad=true}), so every output is the window sum over {@code kh*kw}.
 */
public final class Pool {
    private Pool() {}

    /** {@code y = max over the window}; d/dx = g at the window's argmax, 0 elsewhere. */
    public static Tensor maxPool2d(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        ConvGeometry g = geometry("maxPool2d", x, kh, kw, sh, sw, ph, pw);
        int planes = x.dim(0) * x.dim(1);
        Tensor out = Tensor.zeros(x.dtype(), x.dim(0), x.dim(1), g.outH(), g.outW());
        if (x.dtype() == DType.FLOAT32 && kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && Simd.enabled()) {
            return maxPool2x2(x, out, g, planes);
        }
        // Indices are only needed when a backward will run; they are plane-relative (ih * W + iw).
        int[] argmax = GradMode.isEnabled() && x.requiresGrad() ? new int[out.numel()] : null;
        Parallel.forRange(planes, grain(g), (lo, hi) -> {
            if (x.dtype() == DType.FLOAT32) {
                PoolKernels.maxF(x.floatData(), out.floatData(), argmax, g, lo, hi);
            } else {
                PoolKernels.maxD(x.doubleData(), out.doubleData(), argmax, g, lo, hi);
            }
        });
        return Tensor.record("maxPool2d", out, gy -> {
            Tensor gx = Tensor.zeros(x.dtype(), x.shape());
            int p = g.outPlane(), in = g.inPlane();
            Parallel.forRange(planes, grain(g), (lo, hi) -> {
                for (int k = lo * p; k < hi * p; k++) {
                    int target = k / p * in + argmax[k];
                    if (x.dtype() == DType.FLOAT32) {
                        gx.floatData()[target] += gy.floatData()[k];
                    } else {
                        gx.doubleData()[target] += gy.doubleData()[k];
                    }
                }
            });
            x.accumulateGradOwned(gx);
        }, x);
    }

    /** The common 2x2 stride-2 float32 case on vectors ({@link MaxPool2x2}): the backward finds each winner again from x. */
    private static Tensor maxPool2x2(Tensor x, Tensor out, ConvGeometry g, int planes) {
        int h = g.h(), w = g.w();
        Parallel.forRange(planes, grain(g), (lo, hi) -> MaxPool2x2.forward(x.floatData(), out.floatData(), h, w, lo, hi));
        return Tensor.record("maxPool2d", out, gy -> {
            Tensor gx = Tensor.zeros(DType.FLOAT32, x.shape());
            Parallel.forRange(planes, grain(g), (lo, hi) -> MaxPool2x2.backward(x.floatData(), gy.floatData(), gx.floatData(), h, w, lo, hi));
            x.accumulateGradOwned(gx);
        }, x);
    }

    /** {@code y = sum over the zero-padded window / (kh*kw)}; d/dx = g / (kh*kw) over each window containing x. */
    public static Tensor avgPool2d(Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        ConvGeometry g = geometry("avgPool2d", x, kh, kw, sh, sw, ph, pw);
        int planes = x.dim(0) * x.dim(1);
        Tensor out = Tensor.zeros(x.dtype(), x.dim(0), x.dim(1), g.outH(), g.outW());
        Parallel.forRange(planes, grain(g), (lo, hi) -> {
            if (x.dtype() == DType.FLOAT32) {
                PoolKernels.avgF(x.floatData(), out.floatData(), g, lo, hi);
            } else {
                PoolKernels.avgD(x.doubleData(), out.doubleData(), g, lo, hi);
            }
        });
        return Tensor.record("avgPool2d", out, gy -> {
            Tensor gx = Tensor.zeros(x.dtype(), x.shape());
            Parallel.forRange(planes, grain(g), (lo, hi) -> {
                if (x.dtype() == DType.FLOAT32) {
                    PoolKernels.avgBackF(gy.floatData(), gx.floatData(), g, lo, hi);
                } else {
                    PoolKernels.avgBackD(gy.doubleData(), gx.doubleData(), g, lo, hi);
                }
            });
            x.accumulateGradOwned(gx);
        }, x);
    }

    /** {@code [N, C, H, W] -> [N, C]}, the mean of each plane: an H x W average pool. */
    public static Tensor globalAvgPool(Tensor x) {
        requireRank4("globalAvgPool", x);
        return ShapeOps.reshape(avgPool2d(x, x.dim(2), x.dim(3), 1, 1, 0, 0), x.dim(0), x.dim(1));
    }

    /** {@code [N, C, H, W] -> [N, C]}, the max of each plane: an H x W max pool. */
    public static Tensor globalMaxPool(Tensor x) {
        requireRank4("globalMaxPool", x);
        return ShapeOps.reshape(maxPool2d(x, x.dim(2), x.dim(3), 1, 1, 0, 0), x.dim(0), x.dim(1));
    }

    private static ConvGeometry geometry(String op, Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        requireRank4(op, x);
        if (kh < 1 || kw < 1) {
            throw new IllegalArgumentException(op + ": kernel size must be positive, got " + kh + "x" + kw);
        }
        if (sh < 1 || sw < 1) {
            throw new IllegalArgumentException(op + ": stride must be positive, got (" + sh + ", " + sw + ")");
        }
        if (ph < 0 || pw < 0 || ph > kh / 2 || pw > kw / 2) {
            throw new IllegalArgumentException(op + ": padding (" + ph + ", " + pw + ") must be non-negative and at most half the kernel size "
                    + kh + "x" + kw);
        }
        return new Conv2dSpec(sh, sw, ph, pw, 1, 1, 1, false).geometry(op, x.dim(1), x.dim(2), x.dim(3), kh, kw);
    }

    private static void requireRank4(String op, Tensor x) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": input of shape " + Shape.str(x.shape()) + " must have rank 4 (N, C, H, W)");
        }
    }

    /** Planes per thread: at least ~64k window reads each before a loop goes parallel. */
    private static int grain(ConvGeometry g) {
        return (int) Math.max(1, (1L << 16) / Math.max(1L, (long) g.outPlane() * g.kh() * g.kw()));
    }
}
