package org.autoinit.tensor.ops;

import java.util.Arrays;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/** Elementwise binary ops with NumPy broadcasting, and the one helper that undoes broadcasting. */
public final class Elementwise {
    /** Below this many outputs a binary op runs on the calling thread. */
    static final int GRAIN = 1 << 16;

    private Elementwise() {}

    /** {@code a + b}; d/da = 1, d/db = 1. */
    public static Tensor add(Tensor a, Tensor b) {
        Tensor out = compute("add", a, b, BinaryKernel.ADD);
        return Tensor.record("add", out, g -> {
            accumulate(a, g);
            accumulate(b, g);
        }, a, b);
    }

    /** {@code a - b}; d/da = 1, d/db = -1. */
    public static Tensor sub(Tensor a, Tensor b) {
        Tensor out = compute("sub", a, b, BinaryKernel.SUB);
        return Tensor.record("sub", out, g -> {
            accumulate(a, g);
            if (b.requiresGrad()) accumulate(b, g.neg());
        }, a, b);
    }

    /** {@code a * b}; d/da = b, d/db = a. */
    public static Tensor mul(Tensor a, Tensor b) {
        Tensor out = compute("mul", a, b, BinaryKernel.MUL);
        return Tensor.record("mul", out, g -> {
            if (a.requiresGrad()) accumulate(a, g.mul(b));
            if (b.requiresGrad()) accumulate(b, g.mul(a));
        }, a, b);
    }

    /** {@code a / b}; d/da = 1/b, d/db = -a/b^2. */
    public static Tensor div(Tensor a, Tensor b) {
        Tensor out = compute("div", a, b, BinaryKernel.DIV);
        return Tensor.record("div", out, g -> {
            if (a.requiresGrad()) accumulate(a, g.div(b));
            if (b.requiresGrad()) accumulate(b, g.mul(out).div(b).neg());
        }, a, b);
    }

    /** {@code a ^ b}; d/da = b a^(b-1), d/db = a^b ln a. */
    public static Tensor pow(Tensor a, Tensor b) {
        Tensor out = compute("pow", a, b, BinaryKernel.POW);
        return Tensor.record("pow", out, g -> {
            if (a.requiresGrad()) accumulate(a, g.mul(b).mul(a.pow(b.sub(1.0))));
            if (b.requiresGrad()) accumulate(b, g.mul(out).mul(a.log()));
        }, a, b);
    }

    /** Elementwise max; the gradient goes to the larger input, split equally on ties (as PyTorch). */
    public static Tensor maximum(Tensor a, Tensor b) {
        Tensor out = compute("maximum", a, b, BinaryKernel.MAX);
        return Tensor.record("maximum", out, g -> routeMinMax(a, b, g, true), a, b);
    }

    /** Elementwise min; the gradient goes to the smaller input, split equally on ties. */
    public static Tensor minimum(Tensor a, Tensor b) {
        Tensor out = compute("minimum", a, b, BinaryKernel.MIN);
        return Tensor.record("minimum", out, g -> routeMinMax(a, b, g, false), a, b);
    }

    private static void routeMinMax(Tensor a, Tensor b, Tensor g, boolean max) {
        Tensor aWins = max ? compute("gt", a, b, BinaryKernel.GT) : compute("gt", b, a, BinaryKernel.GT);
        Tensor tie = compute("eq", a, b, BinaryKernel.EQ).mul(0.5);
        if (a.requiresGrad()) accumulate(a, g.mul(aWins.add(tie)));
        if (b.requiresGrad()) accumulate(b, g.mul(aWins.neg().add(1.0).sub(tie)));
    }

    /**
     * {@code cond ? a : b} elementwise with broadcasting; {@code cond} is a mask (non-zero = true) and is not
     * differentiated. d/da = cond, d/db = !cond (values of the unselected branch never leak, even if NaN).
     */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Tensor.requireSameDType("where", a, b);
        int[] shape = Shape.broadcast("where", Shape.broadcast("where", cond.shape(), a.shape()), b.shape());
        Tensor c = expand(cond.dtype() == a.dtype() ? cond.detach() : cond.detach().to(a.dtype()), shape);
        Tensor ea = expand(a.detach(), shape), eb = expand(b.detach(), shape);
        Tensor out = Tensor.zeros(a.dtype(), shape);
        Tensor keepA = Tensor.zeros(a.dtype(), shape);
        for (int i = 0; i < out.numel(); i++) {
            boolean t = c.getFlat(i) != 0;
            keepA.setFlat(i, t ? 1 : 0);
            out.setFlat(i, t ? ea.getFlat(i) : eb.getFlat(i));
        }
        return Tensor.record("where", out, g -> {
            if (a.requiresGrad()) accumulate(a, g.mul(keepA));
            if (b.requiresGrad()) accumulate(b, g.mul(keepA.neg().add(1.0)));
        }, a, b);
    }

    /** Adds {@code g}, summed down to {@code t}'s shape, to {@code t}'s gradient. */
    public static void accumulate(Tensor t, Tensor g) {
        if (t.requiresGrad()) {
            t.accumulateGrad(unbroadcast(g, t.shape()));
        }
    }

    /**
     * Undoes broadcasting: sums {@code g} over the leading dimensions it has beyond {@code shape} and over
     * the dimensions where {@code shape} has size 1, giving a tensor of {@code shape}.
     */
    public static Tensor unbroadcast(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) {
            return g;
        }
        int lead = gs.length - shape.length;
        int[] axes = new int[gs.length];
        int n = 0;
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) {
                axes[n++] = i;
            }
        }
        Tensor summed = n == 0 ? g : Reductions.sum(g, true, Arrays.copyOf(axes, n));
        return summed.viewAs(shape);
    }

    /** Materializes a broadcast of {@code t} to {@code shape} (no autodiff). */
    public static Tensor expand(Tensor t, int[] shape) {
        if (Arrays.equals(t.shape(), shape)) {
            return t;
        }
        return compute("expand", t, Tensor.zeros(t.dtype(), shape), BinaryKernel.ADD);
    }

    /** Runs a binary kernel with broadcasting; no autodiff. */
    public static Tensor compute(String op, Tensor a, Tensor b, BinaryKernel k) {
        Tensor.requireSameDType(op, a, b);
        int[] as = a.shape(), bs = b.shape();
        int[] os = Arrays.equals(as, bs) ? as : Shape.broadcast(op, as, bs);
        Tensor out = Tensor.zeros(a.dtype(), os);
        int n = out.numel();
        if (n == 0) {
            return out;
        }
        boolean f = a.dtype() == DType.FLOAT32;
        int na = a.numel(), nb = b.numel();
        if ((na == 1 || Arrays.equals(as, os)) && (nb == 1 || Arrays.equals(bs, os))) {
            // Same shape or scalar: one flat run, split over threads.
            int sa = na == 1 ? 0 : 1, sb = nb == 1 ? 0 : 1;
            Parallel.forRange(n, GRAIN, (lo, hi) -> {
                if (f) k.f(a.floatData(), lo * sa, sa, b.floatData(), lo * sb, sb, out.floatData(), lo, hi - lo);
                else k.d(a.doubleData(), lo * sa, sa, b.doubleData(), lo * sb, sb, out.doubleData(), lo, hi - lo);
            });
            return out;
        }
        int r = os.length;
        int[] sa = broadcastStrides(as, r), sb = broadcastStrides(bs, r);
        int inner = os[r - 1];
        int rows = n / inner;
        int ia = sa[r - 1], ib = sb[r - 1];
        Parallel.forRange(rows, Math.max(1, GRAIN / inner), (lo, hi) -> {
            int[] idx = new int[r - 1];
            int rem = lo;
            for (int i = r - 2; i >= 0; i--) {
                idx[i] = rem % os[i];
                rem /= os[i];
            }
            for (int row = lo; row < hi; row++) {
                int oa = 0, ob = 0;
                for (int i = 0; i < r - 1; i++) {
                    oa += idx[i] * sa[i];
                    ob += idx[i] * sb[i];
                }
                if (f) k.f(a.floatData(), oa, ia, b.floatData(), ob, ib, out.floatData(), row * inner, inner);
                else k.d(a.doubleData(), oa, ia, b.doubleData(), ob, ib, out.doubleData(), row * inner, inner);
                for (int i = r - 2; i >= 0; i--) {
                    if (++idx[i] < os[i]) break;
                    idx[i] = 0;
                }
            }
        });
        return out;
    }

    /** Strides of {@code shape} right-aligned to rank {@code r}, 0 along broadcast dimensions. */
    static int[] broadcastStrides(int[] shape, int r) {
        int[] st = Shape.strides(shape);
        int[] out = new int[r];
        int lead = r - shape.length;
        for (int i = lead; i < r; i++) {
            out[i] = shape[i - lead] == 1 ? 0 : st[i - lead];
        }
        return out;
    }
}
