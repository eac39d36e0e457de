package org.autoinit.tensor.ops;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Convolutions (cross-correlation, as in PyTorch) with zero padding, stride, dilation and groups.
 * {@code y[n, o, p] = b[o] + sum_{c in group(o), i, j} w[o, c, i, j] x[n, c, p*s - pad + (i, j)*d]};
 * dX is the transposed convolution of dY, dW the correlation of dY with X, dB the sum of dY.
 * Depthwise convolutions (groups == C > 1) use direct loops ({@link DepthwiseConv}); float32 with groups 1
 * implicit GEMMs on the Vector API kernel when it is available ({@link VectorConv}); all others im2col + GEMM
 * ({@link GemmConv}). conv1d is conv2d over a height-1 image.
 */
public final class Conv {
    private Conv() {}

    /** x [N, C, H, W], w [O, C/groups, kh, kw], bias [O] or null -> [N, O, H', W'] */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec) {
        checkOperands("conv2d", x, w, bias, spec.groups(), 4);
        ConvGeometry g = spec.geometry("conv2d", x.dim(1), x.dim(2), x.dim(3), w.dim(2), w.dim(3));
        return convolve("conv2d", x, w, bias, g, spec.groups());
    }

    /** x [N, C, L], w [O, C/groups, k], bias [O] or null -> [N, O, L'] */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor bias, Conv1dSpec spec) {
        checkOperands("conv1d", x, w, bias, spec.groups(), 3);
        int lOut = spec.outputLength(x.dim(2), w.dim(2));
        ConvGeometry g = spec.as2d().geometry("conv1d", x.dim(1), 1, x.dim(2), 1, w.dim(2));
        Tensor x4 = ShapeOps.reshape(x, x.dim(0), x.dim(1), 1, x.dim(2));
        Tensor w4 = ShapeOps.reshape(w, w.dim(0), w.dim(1), 1, w.dim(2));
        Tensor y = convolve("conv1d", x4, w4, bias, g, spec.groups());
        return ShapeOps.reshape(y, x.dim(0), w.dim(0), lOut);
    }

    private static Tensor convolve(String op, Tensor x, Tensor w, Tensor bias, ConvGeometry g, int groups) {
        boolean depthwise = groups > 1 && groups == g.c();
        boolean vector = !depthwise && VectorConv.applies(x, groups);
        Tensor out = depthwise ? DepthwiseConv.forward(x, w, g)
                : vector ? VectorConv.forward(x, w, bias, g) : GemmConv.forward(x, w, g, groups);
        if (bias != null && !vector) addBias(out, bias);
        return Tensor.record(op, out, gy -> {
            if (depthwise) {
                DepthwiseConv.backward(x, w, g, gy);
            } else if (vector) {
                VectorConv.backward(x, w, g, gy);
            } else {
                GemmConv.backward(x, w, g, groups, gy);
            }
            if (bias != null && bias.requiresGrad()) bias.accumulateGradOwned(biasGrad(gy));
        }, x, w, bias);
    }

    /** {@code y[n, o, :] += b[o]}. */
    private static void addBias(Tensor y, Tensor b) {
        int n = y.dim(0), o = y.dim(1), p = y.numel() / Math.max(1, n * o);
        Parallel.forRange(n * o, Math.max(1, (1 << 16) / Math.max(1, p)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int off = r * p;
                if (y.dtype() == DType.FLOAT32) {
                    float[] yd = y.floatData();
                    float bv = b.floatData()[r % o];
                    for (int q = off; q < off + p; q++) yd[q] += bv;
                } else {
                    double[] yd = y.doubleData();
                    double bv = b.doubleData()[r % o];
                    for (int q = off; q < off + p; q++) yd[q] += bv;
                }
            }
        });
    }

    /**
     * dB[o] = sum over batch and positions of dY[n, o, :], accumulated in double for float32 too; channels in
     * parallel, each summed in a fixed order (four interleaved partial sums, so the adds do not wait on each other).
     * A thread walks its channels sample by sample (one contiguous run of dY per sample) with the partial sums of all
     * its channels kept in an array: the same sums in the same order as channel by channel, but read front to back.
     */
    private static Tensor biasGrad(Tensor gy) {
        int n = gy.dim(0), o = gy.dim(1), p = gy.numel() / Math.max(1, n * o);
        Tensor gb = Tensor.zeros(gy.dtype(), o);
        Parallel.forRange(o, Math.max(1, (1 << 15) / Math.max(1, n * p)), (lo, hi) -> {
            double[] acc = new double[4 * (hi - lo)];
            for (int b = 0; b < n; b++) {
                for (int oc = lo; oc < hi; oc++) {
                    int off = (b * o + oc) * p, end = off + p, q = off, a = 4 * (oc - lo);
                    double s0 = acc[a], s1 = acc[a + 1], s2 = acc[a + 2], s3 = acc[a + 3];
                    if (gy.dtype() == DType.FLOAT32) {
                        float[] gd = gy.floatData();
                        for (; q + 3 < end; q += 4) {
                            s0 += gd[q];
                            s1 += gd[q + 1];
                            s2 += gd[q + 2];
                            s3 += gd[q + 3];
                        }
                        for (; q < end; q++) s0 += gd[q];
                    } else {
                        double[] gd = gy.doubleData();
                        for (; q + 3 < end; q += 4) {
                            s0 += gd[q];
                            s1 += gd[q + 1];
                            s2 += gd[q + 2];
                            s3 += gd[q + 3];
                        }
                        for (; q < end; q++) s0 += gd[q];
                    }
                    acc[a] = s0;
                    acc[a + 1] = s1;
                    acc[a + 2] = s2;
                    acc[a + 3] = s3;
                }
            }
            for (int oc = lo; oc < hi; oc++) {
                int a = 4 * (oc - lo);
                gb.setFlat(oc, (acc[a] + acc[a + 1]) + (acc[a + 2] + acc[a + 3]));
            }
        });
        return gb;
    }

    /** Rank, dtype, group and channel checks shared by conv1d/conv2d ({@code rank} 3 or 4). */
    private static void checkOperands(String op, Tensor x, Tensor w, Tensor bias, int groups, int rank) {
        String xDims = rank == 4 ? "(N, C, H, W)" : "(N, C, L)";
        String wDims = rank == 4 ? "(O, C/groups, kH, kW)" : "(O, C/groups, k)";
        if (x.rank() != rank) {
            throw new IllegalArgumentException(op + ": input of shape " + Shape.str(x.shape()) + " must have rank " + rank + " " + xDims);
        }
        if (w.rank() != rank) {
            throw new IllegalArgumentException(op + ": weight of shape " + Shape.str(w.shape()) + " must have rank " + rank + " " + wDims);
        }
        if (x.dtype() != w.dtype()) {
            throw new IllegalArgumentException(op + ": input is " + x.dtype() + " but weight is " + w.dtype() + "; convert one with to()");
        }
        for (int d : w.shape()) {
            if (d == 0) {
                throw new IllegalArgumentException(op + ": weight of shape " + Shape.str(w.shape()) + " has an empty dimension");
            }
        }
        int o = w.dim(0), c = x.dim(1);
        if (o % groups != 0) {
            throw new IllegalArgumentException(op + ": groups " + groups + " must divide the output channels " + o
                    + " (weight " + Shape.str(w.shape()) + ")");
        }
        if (c % groups != 0) {
            throw new IllegalArgumentException(op + ": groups " + groups + " must divide the input channels " + c
                    + " (input " + Shape.str(x.shape()) + ")");
        }
        int expected = w.dim(1) * groups;
        if (c != expected) {
            String pattern = rank == 4 ? "[N, " + expected + ", H, W]" : "[N, " + expected + ", L]";
            throw new IllegalArgumentException(op + ": expected input " + pattern + " to have " + expected + " channels (weight "
                    + Shape.str(w.shape()) + ", groups " + groups + "), but got " + c + " channels");
        }
        if (bias != null) {
            if (bias.dtype() != x.dtype()) {
                throw new IllegalArgumentException(op + ": input is " + x.dtype() + " but bias is " + bias.dtype() + "; convert one with to()");
            }
            if (bias.rank() != 1 || bias.dim(0) != o) {
                throw new IllegalArgumentException(op + ": bias of shape " + Shape.str(bias.shape()) + " must have shape [" + o
                        + "] (one value per output channel of weight " + Shape.str(w.shape()) + ")");
            }
        }
    }
}
