package org.autoinit.tensor.ops;

import java.util.Arrays;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.FloatRows;
import org.autoinit.tensor.simd.Simd;

/**
 * Fully connected product with the bias fused in: {@code y = x W + b} on the last dimension ({@code [..., in] x
 * [in, units] + [units] -> [..., units]}); d/dx = G W^T, d/dW = X^T G, d/db = column sums of G.
 *
 * <p>The same values, bit for bit, as {@code matmul(x, W).add(b)} (same GEMM, then one float add per element), but
 * one output buffer instead of two, no broadcast pass, and one graph node instead of matmul + add (+ reshapes).
 * The bias gradient sums each column in row order in double, as {@link Elementwise#unbroadcast} does, with the
 * columns split over the threads.
 */
public final class Linear {
    private static final String OP = "linear";
    /** Below this many output elements the bias loops run on the calling thread. */
    private static final int GRAIN = 1 << 15;

    private Linear() {}

    /** {@code x [..., in] W [in, units] + b [units]} (b may be null: no bias). */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return linear(OP, x, w, b, null);
    }

    /**
     * {@code addend + linear(x, W, b)} as one op (a transformer's residual join after a projection), the same bits as
     * the two ops; {@code addend} has the output's shape and dtype and gets g as its gradient. The product is never
     * a separate tensor: one activation-sized buffer less kept for backward, one elementwise pass less.
     */
    public static Tensor linearAdd(Tensor x, Tensor w, Tensor b, Tensor addend) {
        String op = "linear_add";
        check(x, w, b);
        int[] os = x.shape().clone();
        os[os.length - 1] = w.dim(1);
        if (addend == null || !Arrays.equals(addend.shape(), os) || addend.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": addend " + (addend == null ? "null" : addend.dtype() + " " + Shape.str(addend.shape()))
                    + " must have the output's shape and dtype, " + x.dtype() + " " + Shape.str(os));
        }
        return linear(op, x, w, b, addend);
    }

    private static Tensor linear(String op, Tensor x, Tensor w, Tensor b, Tensor addend) {
        check(x, w, b);
        int[] xs = x.shape();
        int in = w.dim(0), units = w.dim(1), rows = Shape.numel(Arrays.copyOf(xs, xs.length - 1));
        int[] os = xs.clone();
        os[os.length - 1] = units;
        Tensor out = Tensor.zeros(x.dtype(), os);
        MatMul.gemm(false, false, rows, units, in, x, 0, w, 0, out, 0);
        if (b != null) {
            addBias(out, b, rows, units);
        }
        if (addend != null) {
            addInPlace(out, addend);
        }
        Tensor[] inputs = addend != null ? new Tensor[] {x, w, b, addend} : b == null ? new Tensor[] {x, w} : new Tensor[] {x, w, b};
        return Tensor.record(op, out, g -> {
            if (addend != null && addend.requiresGrad()) {
                addend.accumulateGrad(g); // d(addend + y)/d addend = 1; g is not modified below
            }
            if (x.requiresGrad()) {
                Tensor gx = Tensor.zeros(x.dtype(), xs);
                MatMul.gemm(false, true, rows, in, units, g, 0, w, 0, gx, 0);
                x.accumulateGradOwned(gx);
            }
            if (w.requiresGrad()) {
                Tensor gw = Tensor.zeros(w.dtype(), in, units);
                MatMul.gemm(true, false, in, units, rows, x, 0, g, 0, gw, 0);
                w.accumulateGradOwned(gw);
            }
            if (b != null && b.requiresGrad()) {
                b.accumulateGradOwned(columnSums(g, rows, units));
            }
        }, inputs);
    }

    private static void check(Tensor x, Tensor w, Tensor b) {
        Tensor.requireSameDType(OP, x, w);
        if (w.rank() != 2) {
            throw new IllegalArgumentException(OP + ": weight of shape " + Shape.str(w.shape()) + " must have rank 2 (in, units)");
        }
        if (x.rank() < 1 || x.dim(-1) != w.dim(0)) {
            throw new IllegalArgumentException(OP + ": input of shape " + Shape.str(x.shape()) + " must end in the weight's "
                    + w.dim(0) + " input features (weight " + Shape.str(w.shape()) + ")");
        }
        if (b != null) {
            Tensor.requireSameDType(OP, x, b);
            if (!Arrays.equals(b.shape(), new int[] {w.dim(1)})) {
                throw new IllegalArgumentException(OP + ": bias of shape " + Shape.str(b.shape()) + " must be [" + w.dim(1)
                        + "] for weight " + Shape.str(w.shape()));
            }
        }
    }

    /** {@code out[r, j] += b[j]} for every row. */
    private static void addBias(Tensor out, Tensor b, int rows, int units) {
        int grain = Math.max(1, GRAIN / Math.max(1, units));
        if (out.dtype() == DType.FLOAT32) {
            float[] o = out.floatData(), bs = b.floatData();
            boolean simd = Simd.enabled(); // C2 leaves o[at + j] += bs[j] scalar (o and bs might alias); FloatRows does not
            Parallel.forRange(rows, grain, (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int at = r * units;
                    if (simd) {
                        FloatRows.addRow(o, at, bs, units);
                    } else {
                        for (int j = 0; j < units; j++) o[at + j] += bs[j];
                    }
                }
            });
        } else {
            double[] o = out.doubleData(), bs = b.doubleData();
            Parallel.forRange(rows, grain, (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    int at = r * units;
                    for (int j = 0; j < units; j++) o[at + j] += bs[j];
                }
            });
        }
    }

    /** {@code out = a + out} elementwise (the order Elementwise.add computes {@code a + y} in: same bits). */
    private static void addInPlace(Tensor out, Tensor a) {
        int n = out.numel();
        if (out.dtype() == DType.FLOAT32) {
            float[] o = out.floatData(), as = a.floatData();
            Parallel.forRange(n, GRAIN, (lo, hi) -> {
                for (int i = lo; i < hi; i++) o[i] = as[i] + o[i];
            });
        } else {
            double[] o = out.doubleData(), as = a.doubleData();
            Parallel.forRange(n, GRAIN, (lo, hi) -> {
                for (int i = lo; i < hi; i++) o[i] = as[i] + o[i];
            });
        }
    }

    /** {@code [units]}: column j is {@code sum_r g[r, j]}, summed in row order in double (then rounded once for float32). */
    private static Tensor columnSums(Tensor g, int rows, int units) {
        Tensor gb = Tensor.zeros(g.dtype(), units);
        // Columns split over the threads in blocks of 64 (each column's order unchanged: same bits for any split).
        int blocks = (units + 63) / 64, grain = Math.max(1, GRAIN / Math.max(1, rows * 64));
        boolean f = g.dtype() == DType.FLOAT32;
        float[] gf = f ? g.floatData() : null, of = f ? gb.floatData() : null;
        double[] gd = f ? null : g.doubleData(), od = f ? null : gb.doubleData();
        Parallel.forRange(blocks, grain, (lo, hi) -> {
            int j0 = lo * 64, j1 = Math.min(units, hi * 64), w = j1 - j0;
            double[] acc = new double[w];
            for (int r = 0; r < rows; r++) {
                int at = r * units + j0;
                if (f) {
                    for (int j = 0; j < w; j++) acc[j] += gf[at + j];
                } else {
                    for (int j = 0; j < w; j++) acc[j] += gd[at + j];
                }
            }
            for (int j = 0; j < w; j++) {
                if (f) {
                    of[j0 + j] = (float) acc[j];
                } else {
                    od[j0 + j] = acc[j];
                }
            }
        });
        return gb;
    }
}
