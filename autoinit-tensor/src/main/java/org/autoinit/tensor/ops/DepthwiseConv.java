package org.autoinit.tensor.ops;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Depthwise convolution (groups == C, O = m * C): output channel o sees only input channel o / m through
 * its own {@code kh x kw} filter. Done with direct loops because im2col + GEMM would make C tiny GEMMs.
 * Each loop runs one kernel tap (i, j) over a whole output row, whose valid column range is precomputed,
 * so the inner loop is a branch-free axpy. Forward and dX are parallel over planes, dW over output
 * channels, so every thread writes its own memory and no partial sums are needed.
 */
final class DepthwiseConv {
    /** Multiply-adds per thread below which a loop stays on the calling thread. */
    private static final long WORK_GRAIN = 1L << 18;

    private DepthwiseConv() {}

    /** {@code y[n, o] = sum_ij w[o, 0, i, j] * shift_ij(x[n, o / m])} for {@code x [N, C, H, W]}, {@code w [m*C, 1, kh, kw]}. */
    static Tensor forward(Tensor x, Tensor w, ConvGeometry g) {
        int n = x.dim(0), o = w.dim(0), mult = o / g.c(), taps = g.kh() * g.kw();
        Tensor out = Tensor.zeros(x.dtype(), n, o, g.outH(), g.outW());
        Parallel.forRange(n * o, grain(g), (lo, hi) -> {
            for (int plane = lo; plane < hi; plane++) {
                int oc = plane % o, xOff = (plane / o * g.c() + oc / mult) * g.inPlane(), yOff = plane * g.outPlane();
                for (int t = 0; t < taps; t++) {
                    if (x.dtype() == DType.FLOAT32) {
                        tapF(g, t, x.floatData(), xOff, out.floatData(), yOff, w.floatData()[oc * taps + t], true);
                    } else {
                        tapD(g, t, x.doubleData(), xOff, out.doubleData(), yOff, w.doubleData()[oc * taps + t], true);
                    }
                }
            }
        });
        return out;
    }

    /** Accumulates dX (scatter of dY through each tap) and dW (correlation of dY with shifted x). */
    static void backward(Tensor x, Tensor w, ConvGeometry g, Tensor gy) {
        int n = x.dim(0), o = w.dim(0), c = g.c(), mult = o / c, taps = g.kh() * g.kw();
        if (x.requiresGrad()) {
            Tensor gx = Tensor.zeros(x.dtype(), x.shape());
            Parallel.forRange(n * c, grain(g) / Math.max(1, mult), (lo, hi) -> {
                for (int plane = lo; plane < hi; plane++) {
                    int xOff = plane * g.inPlane();
                    for (int oc = plane % c * mult; oc < (plane % c + 1) * mult; oc++) {
                        int yOff = (plane / c * o + oc) * g.outPlane();
                        for (int t = 0; t < taps; t++) {
                            if (x.dtype() == DType.FLOAT32) {
                                tapF(g, t, gx.floatData(), xOff, gy.floatData(), yOff, w.floatData()[oc * taps + t], false);
                            } else {
                                tapD(g, t, gx.doubleData(), xOff, gy.doubleData(), yOff, w.doubleData()[oc * taps + t], false);
                            }
                        }
                    }
                }
            });
            x.accumulateGrad(gx);
        }
        if (w.requiresGrad()) {
            Tensor gw = Tensor.zeros(w.dtype(), w.shape());
            Parallel.forRange(o, grain(g) / Math.max(1, n), (lo, hi) -> {
                for (int oc = lo; oc < hi; oc++) {
                    for (int s = 0; s < n; s++) {
                        int xOff = (s * c + oc / mult) * g.inPlane(), yOff = (s * o + oc) * g.outPlane();
                        for (int t = 0; t < taps; t++) {
                            if (x.dtype() == DType.FLOAT32) {
                                gw.floatData()[oc * taps + t] += (float) dotF(g, t, x.floatData(), xOff, gy.floatData(), yOff);
                            } else {
                                gw.doubleData()[oc * taps + t] += dotD(g, t, x.doubleData(), xOff, gy.doubleData(), yOff);
                            }
                        }
                    }
                }
            });
            w.accumulateGrad(gw);
        }
    }

    /** Planes per thread so that each thread gets at least {@link #WORK_GRAIN} multiply-adds. */
    private static int grain(ConvGeometry g) {
        return (int) Math.max(1, WORK_GRAIN / Math.max(1L, (long) g.outPlane() * g.kh() * g.kw()));
    }

    /**
     * One kernel tap t = i*kw + j over a plane: {@code y[oh, ow] += wv * x[ih, iw]} when {@code forward},
     * else the adjoint {@code x[ih, iw] += wv * y[oh, ow]}, with ih, iw the tap's input position.
     */
    private static void tapF(ConvGeometry g, int t, float[] x, int xOff, float[] y, int yOff, float wv, boolean forward) {
        int i = t / g.kw(), j = t % g.kw(), sw = g.strideW();
        int lo = g.firstValidCol(j), hi = g.endValidCol(j, lo), shift = j * g.dilW() - g.padLeft();
        for (int oh = 0; oh < g.outH(); oh++) {
            int ih = oh * g.strideH() - g.padTop() + i * g.dilH();
            if (ih < 0 || ih >= g.h()) continue;
            int xr = xOff + ih * g.w() + shift, yr = yOff + oh * g.outW();
            if (forward) {
                for (int q = lo; q < hi; q++) y[yr + q] += wv * x[xr + q * sw];
            } else {
                for (int q = lo; q < hi; q++) x[xr + q * sw] += wv * y[yr + q];
            }
        }
    }

    private static void tapD(ConvGeometry g, int t, double[] x, int xOff, double[] y, int yOff, double wv, boolean forward) {
        int i = t / g.kw(), j = t % g.kw(), sw = g.strideW();
        int lo = g.firstValidCol(j), hi = g.endValidCol(j, lo), shift = j * g.dilW() - g.padLeft();
        for (int oh = 0; oh < g.outH(); oh++) {
            int ih = oh * g.strideH() - g.padTop() + i * g.dilH();
            if (ih < 0 || ih >= g.h()) continue;
            int xr = xOff + ih * g.w() + shift, yr = yOff + oh * g.outW();
            if (forward) {
                for (int q = lo; q < hi; q++) y[yr + q] += wv * x[xr + q * sw];
            } else {
                for (int q = lo; q < hi; q++) x[xr + q * sw] += wv * y[yr + q];
            }
        }
    }

    /** {@code sum_{oh, ow} y[oh, ow] * x[ih, iw]} for tap t: the weight gradient of that tap for one plane. */
    private static double dotF(ConvGeometry g, int t, float[] x, int xOff, float[] y, int yOff) {
        int i = t / g.kw(), j = t % g.kw(), sw = g.strideW();
        int lo = g.firstValidCol(j), hi = g.endValidCol(j, lo), shift = j * g.dilW() - g.padLeft();
        float s = 0f;
        for (int oh = 0; oh < g.outH(); oh++) {
            int ih = oh * g.strideH() - g.padTop() + i * g.dilH();
            if (ih < 0 || ih >= g.h()) continue;
            int xr = xOff + ih * g.w() + shift, yr = yOff + oh * g.outW();
            for (int q = lo; q < hi; q++) s += y[yr + q] * x[xr + q * sw];
        }
        return s;
    }

    private static double dotD(ConvGeometry g, int t, double[] x, int xOff, double[] y, int yOff) {
        int i = t / g.kw(), j = t % g.kw(), sw = g.strideW();
        int lo = g.firstValidCol(j), hi = g.endValidCol(j, lo), shift = j * g.dilW() - g.padLeft();
        double s = 0;
        for (int oh = 0; oh < g.outH(); oh++) {
            int ih = oh * g.strideH() - g.padTop() + i * g.dilH();
            if (ih < 0 || ih >= g.h()) continue;
            int xr = xOff + ih * g.w() + shift, yr = yOff + oh * g.outW();
            for (int q = lo; q < hi; q++) s += y[yr + q] * x[xr + q * sw];
        }
        return s;
    }
}
