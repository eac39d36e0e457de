package org.autoinit.tensor.ops;

import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Reductions over any set of axes (empty = all) with keepdim. The reduced axes are brought together
 * (a permute copy only when they are not already adjacent), then reduced as an (outer, R, inner) block.
 * Float32 sums accumulate in double.
 */
public final class Reductions {
    private enum Kind { SUM, MAX, MIN }

    private Reductions() {}

    /** Sum; d/dx = 1 broadcast back over the reduced axes. */
    public static Tensor sum(Tensor x, boolean keepDim, int... axes) {
        int[] ax = Shape.axes("sum", axes, x.rank());
        Tensor out = reduce(x, ax, keepDim, Kind.SUM);
        return Tensor.record("sum", out, g -> x.accumulateGrad(Elementwise.expand(keep(g, x.shape(), ax), x.shape())), x);
    }

    /** Mean; d/dx = 1/R broadcast back, R the number of reduced elements. */
    public static Tensor mean(Tensor x, boolean keepDim, int... axes) {
        int[] ax = Shape.axes("mean", axes, x.rank());
        int r = count(x.shape(), ax);
        Tensor out = reduce(x, ax, keepDim, Kind.SUM).scale_(1.0 / r);
        return Tensor.record("mean", out,
                g -> x.accumulateGrad(Elementwise.expand(keep(g, x.shape(), ax), x.shape()).scale_(1.0 / r)), x);
    }

    /** Maximum; the gradient is shared equally by the elements equal to the maximum. */
    public static Tensor max(Tensor x, boolean keepDim, int... axes) {
        return extremum("max", x, keepDim, axes, Kind.MAX);
    }

    /** Minimum; the gradient is shared equally by the elements equal to the minimum. */
    public static Tensor min(Tensor x, boolean keepDim, int... axes) {
        return extremum("min", x, keepDim, axes, Kind.MIN);
    }

    private static Tensor extremum(String op, Tensor x, boolean keepDim, int[] axes, Kind kind) {
        int[] ax = Shape.axes(op, axes, x.rank());
        if (x.numel() == 0) {
            throw new IllegalArgumentException(op + ": cannot reduce an empty tensor of shape " + Shape.str(x.shape()));
        }
        Tensor out = reduce(x, ax, keepDim, kind);
        return Tensor.record(op, out, g -> {
            Tensor hit = Elementwise.compute(op, x, keep(out, x.shape(), ax), BinaryKernel.EQ);
            Tensor share = hit.div(keep(reduce(hit, ax, true, Kind.SUM), x.shape(), ax));
            x.accumulateGrad(share.mul(keep(g, x.shape(), ax)));
        }, x);
    }

    /** Variance with Bessel's correction {@code correction} (1 = unbiased, as torch.var; 0 = population). */
    public static Tensor var(Tensor x, boolean keepDim, int correction, int... axes) {
        int[] ax = Shape.axes("var", axes, x.rank());
        int r = count(x.shape(), ax);
        if (r - correction <= 0) {
            throw new IllegalArgumentException("var: " + r + " element(s) per reduction is too few for correction " + correction);
        }
        Tensor centred = x.sub(mean(x, true, ax));
        return sum(centred.mul(centred), keepDim, ax).div((double) (r - correction));
    }

    /** Unbiased variance (as {@code torch.var}). */
    public static Tensor var(Tensor x, boolean keepDim, int... axes) {
        return var(x, keepDim, 1, axes);
    }

    /** Index of the maximum along one axis (first one on ties), as a tensor of the input's dtype. */
    public static Tensor argmax(Tensor x, int axis) {
        int a = Shape.axis("argmax", axis, x.rank());
        int[] s = x.shape();
        if (s[a] == 0) {
            throw new IllegalArgumentException("argmax: dimension " + axis + " of shape " + Shape.str(s) + " is empty");
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= s[i];
        for (int i = a + 1; i < s.length; i++) inner *= s[i];
        int[] os = dropAxes(s, new int[] {a});
        Tensor out = Tensor.zeros(x.dtype(), os);
        int r = s[a];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int best = 0;
                double bv = x.getFlat(o * r * inner + i);
                for (int k = 1; k < r; k++) {
                    double v = x.getFlat((o * r + k) * inner + i);
                    if (v > bv || (Double.isNaN(v) && !Double.isNaN(bv))) {
                        bv = v;
                        best = k;
                    }
                }
                out.setFlat(o * inner + i, best);
            }
        }
        return out;
    }

    /** Reshapes a reduced tensor to the keepdim shape (size 1 on reduced axes). */
    static Tensor keep(Tensor reduced, int[] inShape, int[] ax) {
        int[] ks = inShape.clone();
        for (int a : ax) ks[a] = 1;
        return reduced.viewAs(ks);
    }

    private static int count(int[] shape, int[] ax) {
        int r = 1;
        for (int a : ax) r *= shape[a];
        return r;
    }

    private static int[] dropAxes(int[] shape, int[] ax) {
        int[] out = new int[shape.length - ax.length];
        int j = 0, k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (k < ax.length && ax[k] == i) {
                k++;
            } else {
                out[j++] = shape[i];
            }
        }
        return out;
    }

    /** Forward reduction without autodiff. */
    private static Tensor reduce(Tensor x, int[] ax, boolean keepDim, Kind kind) {
        int[] s = x.shape();
        boolean adjacent = ax.length == 0 || ax[ax.length - 1] - ax[0] == ax.length - 1;
        Tensor src = x;
        int first = ax.length == 0 ? s.length : ax[0];
        if (!adjacent) {
            int[] perm = new int[s.length];
            int j = 0;
            for (int i = 0; i < s.length; i++) {
                if (java.util.Arrays.binarySearch(ax, i) < 0) perm[j++] = i;
            }
            first = j;
            for (int a : ax) perm[j++] = a;
            src = ShapeOps.permuteData(x, perm);
        }
        int[] ss = src.shape();
        int outer = 1, r = 1, inner = 1;
        for (int i = 0; i < first; i++) outer *= ss[i];
        for (int i = first; i < first + ax.length; i++) r *= ss[i];
        for (int i = first + ax.length; i < ss.length; i++) inner *= ss[i];
        int[] os = keepDim ? keepShape(s, ax) : dropAxes(s, ax);
        Tensor out = Tensor.zeros(x.dtype(), os);
        block(src, out, outer, r, inner, kind);
        return out;
    }

    private static int[] keepShape(int[] s, int[] ax) {
        int[] ks = s.clone();
        for (int a : ax) ks[a] = 1;
        return ks;
    }

    private static void block(Tensor src, Tensor out, int outer, int r, int inner, Kind kind) {
        boolean f = src.dtype() == org.autoinit.tensor.DType.FLOAT32;
        float[] xf = f ? src.floatData() : null;
        double[] xd = f ? null : src.doubleData();
        int grain = Math.max(1, Elementwise.GRAIN / Math.max(1, r * inner));
        Parallel.forRange(outer, grain, (lo, hi) -> {
            double[] acc = new double[inner];
            for (int o = lo; o < hi; o++) {
                double init = kind == Kind.SUM ? 0 : (kind == Kind.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
                java.util.Arrays.fill(acc, init);
                int base = o * r * inner;
                if (f && kind == Kind.SUM) {
                    // The hot case (bias gradients, token means): a plain loop C2 can vectorize.
                    for (int k = 0; k < r; k++) {
                        int off = base + k * inner;
                        for (int i = 0; i < inner; i++) acc[i] += xf[off + i];
                    }
                    float[] of = out.floatData();
                    for (int i = 0; i < inner; i++) of[o * inner + i] = (float) acc[i];
                    continue;
                }
                for (int k = 0; k < r; k++) {
                    int off = base + k * inner;
                    for (int i = 0; i < inner; i++) {
                        double v = f ? xf[off + i] : xd[off + i];
                        switch (kind) {
                            case SUM -> acc[i] += v;
                            case MAX -> acc[i] = (v > acc[i] || Double.isNaN(v)) ? v : acc[i];
                            case MIN -> acc[i] = (v < acc[i] || Double.isNaN(v)) ? v : acc[i];
                        }
                    }
                }
                for (int i = 0; i < inner; i++) out.setFlat(o * inner + i, acc[i]);
            }
        });
    }
}
