package org.autoinit.tensor.ops;

import java.util.Arrays;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;

/** Ops that move or select elements without arithmetic: reshape, permute, narrow, concat, stack, pad, index-select. */
public final class ShapeOps {
    private ShapeOps() {}

    /** Same data in a new shape; one size may be -1 (inferred). d/dx: the gradient reshaped back. */
    public static Tensor reshape(Tensor x, int... newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: only one dimension can be inferred in " + Arrays.toString(newShape));
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("reshape: invalid size " + s[i] + " in " + Arrays.toString(newShape));
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.numel() % known != 0) {
                throw new IllegalArgumentException("reshape: shape " + Arrays.toString(newShape) + " is invalid for input of size " + x.numel());
            }
            s[infer] = (int) (x.numel() / known);
        }
        if (Shape.numel(s) != x.numel()) {
            throw new IllegalArgumentException("reshape: shape " + Arrays.toString(newShape) + " is invalid for input of size " + x.numel());
        }
        Tensor out = x.detach().viewAs(s);
        int[] in = x.shape();
        return Tensor.record("reshape", out, g -> x.accumulateGrad(g.viewAs(in)), x);
    }

    /** Merges dimensions {@code start..end} (inclusive, negative from the end) into one. */
    public static Tensor flatten(Tensor x, int start, int end) {
        int r = x.rank();
        if (r == 0) return reshape(x, 1);
        int a = Shape.axis("flatten", start, r), b = Shape.axis("flatten", end, r);
        if (a > b) throw new IllegalArgumentException("flatten: start dimension " + start + " is after end dimension " + end);
        int[] s = x.shape();
        int[] out = new int[r - (b - a)];
        int j = 0;
        for (int i = 0; i < a; i++) out[j++] = s[i];
        int m = 1;
        for (int i = a; i <= b; i++) m *= s[i];
        out[j++] = m;
        for (int i = b + 1; i < r; i++) out[j++] = s[i];
        return reshape(x, out);
    }

    /** Swaps two dimensions (copies). */
    public static Tensor transpose(Tensor x, int a, int b) {
        int r = x.rank();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) perm[i] = i;
        int aa = Shape.axis("transpose", a, r), bb = Shape.axis("transpose", b, r);
        perm[aa] = bb;
        perm[bb] = aa;
        return permute(x, perm);
    }

    /** Reorders dimensions: output dim i is input dim {@code order[i]}. d/dx: the inverse permutation. */
    public static Tensor permute(Tensor x, int... order) {
        int r = x.rank();
        if (order.length != r) {
            throw new IllegalArgumentException("permute: order " + Arrays.toString(order) + " has " + order.length
                    + " dimensions but the input has shape " + Shape.str(x.shape()));
        }
        int[] perm = new int[r];
        boolean[] used = new boolean[r];
        for (int i = 0; i < r; i++) {
            perm[i] = Shape.axis("permute", order[i], r);
            if (used[perm[i]]) throw new IllegalArgumentException("permute: dimension " + perm[i] + " repeated in " + Arrays.toString(order));
            used[perm[i]] = true;
        }
        Tensor out = permuteData(x, perm);
        int[] inv = new int[r];
        for (int i = 0; i < r; i++) inv[perm[i]] = i;
        return Tensor.record("permute", out, g -> x.accumulateGrad(permuteData(g, inv)), x);
    }

    /** Copies {@code x} into permuted layout (no autodiff). */
    public static Tensor permuteData(Tensor x, int[] perm) {
        int r = perm.length;
        int[] s = x.shape();
        int[] os = new int[r];
        int[] inStrides = Shape.strides(s);
        int[] st = new int[r];
        for (int i = 0; i < r; i++) {
            os[i] = s[perm[i]];
            st[i] = inStrides[perm[i]];
        }
        Tensor out = Tensor.zeros(x.dtype(), os);
        int n = out.numel();
        if (n == 0) return out;
        if (r == 0) return x.copy();
        int inner = os[r - 1], is = st[r - 1];
        int[] idx = new int[r];
        boolean f = x.dtype() == DType.FLOAT32;
        float[] xf = f ? x.floatData() : null, of = f ? out.floatData() : null;
        double[] xd = f ? null : x.doubleData(), od = f ? null : out.doubleData();
        for (int o = 0; o < n; o += inner) {
            int src = 0;
            for (int i = 0; i < r - 1; i++) src += idx[i] * st[i];
            if (f) {
                for (int k = 0; k < inner; k++) of[o + k] = xf[src + k * is];
            } else {
                for (int k = 0; k < inner; k++) od[o + k] = xd[src + k * is];
            }
            for (int i = r - 2; i >= 0; i--) {
                if (++idx[i] < os[i]) break;
                idx[i] = 0;
            }
        }
        return out;
    }

    /** Elements {@code start..start+length-1} along {@code axis}; d/dx scatters the gradient back. */
    public static Tensor narrow(Tensor x, int axis, int start, int length) {
        int a = Shape.axis("narrow", axis, x.rank());
        int[] s = x.shape();
        if (start < 0 || length < 0 || start + length > s[a]) {
            throw new IllegalArgumentException("narrow: start " + start + " + length " + length + " exceeds dimension " + axis
                    + " of size " + s[a] + " (shape " + Shape.str(s) + ")");
        }
        int[] os = s.clone();
        os[a] = length;
        Tensor out = Tensor.zeros(x.dtype(), os);
        copyBlock(x, a, start, out, 0, length);
        return Tensor.record("narrow", out, g -> {
            Tensor gx = Tensor.zerosLike(x);
            copyBlockInto(g, gx, a, start);
            x.accumulateGrad(gx);
        }, x);
    }

    /** Python-style slice {@code [start:end:step]} along one axis (step > 0). */
    public static Tensor slice(Tensor x, int axis, int start, int end, int step) {
        int a = Shape.axis("slice", axis, x.rank());
        if (step <= 0) throw new IllegalArgumentException("slice: step must be positive, got " + step);
        int n = x.dim(a);
        int lo = Math.max(0, Math.min(n, start < 0 ? start + n : start));
        int hi = Math.max(lo, Math.min(n, end < 0 ? end + n : end));
        if (step == 1) return narrow(x, a, lo, hi - lo);
        int count = (hi - lo + step - 1) / step;
        int[] idx = new int[count];
        for (int i = 0; i < count; i++) idx[i] = lo + i * step;
        return indexSelect(x, a, idx);
    }

    /** Concatenates along {@code axis}; all other sizes must agree. d/dx_i: the matching slice of the gradient. */
    public static Tensor concat(int axis, Tensor... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("concat: expected at least one tensor");
        int r = xs[0].rank();
        int a = Shape.axis("concat", axis, r);
        int[] os = xs[0].shape();
        int total = 0;
        for (Tensor t : xs) {
            Tensor.requireSameDType("concat", xs[0], t);
            int[] s = t.shape();
            boolean ok = s.length == r;
            for (int i = 0; ok && i < r; i++) ok = i == a || s[i] == os[i];
            if (!ok) {
                throw new IllegalArgumentException("concat: shapes " + Shape.str(xs[0].shape()) + " and " + Shape.str(s)
                        + " differ outside dimension " + axis);
            }
            total += s[a];
        }
        os[a] = total;
        Tensor out = Tensor.zeros(xs[0].dtype(), os);
        int off = 0;
        int[] offsets = new int[xs.length];
        for (int i = 0; i < xs.length; i++) {
            offsets[i] = off;
            copyBlockInto(xs[i], out, a, off);
            off += xs[i].dim(a);
        }
        return Tensor.record("concat", out, g -> {
            for (int i = 0; i < xs.length; i++) {
                if (xs[i].requiresGrad()) {
                    Tensor gi = Tensor.zeros(g.dtype(), xs[i].shape());
                    copyBlock(g, a, offsets[i], gi, 0, xs[i].dim(a));
                    xs[i].accumulateGrad(gi);
                }
            }
        }, xs);
    }

    /** Stacks equal-shaped tensors along a new dimension {@code axis}. */
    public static Tensor stack(int axis, Tensor... xs) {
        if (xs.length == 0) throw new IllegalArgumentException("stack: expected at least one tensor");
        int r = xs[0].rank();
        int a = Shape.axis("stack", axis, r + 1);
        Tensor[] parts = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            if (!Arrays.equals(xs[i].shape(), xs[0].shape())) {
                throw new IllegalArgumentException("stack: expects each tensor to be equal size, but got " + Shape.str(xs[0].shape())
                        + " at entry 0 and " + Shape.str(xs[i].shape()) + " at entry " + i);
            }
            int[] s = new int[r + 1];
            int[] in = xs[i].shape();
            for (int k = 0, j = 0; k <= r; k++) s[k] = k == a ? 1 : in[j++];
            parts[i] = reshape(xs[i], s);
        }
        return concat(a, parts);
    }

    /**
     * Constant padding: {@code pads[2i], pads[2i+1]} are the amounts before/after dimension i (one pair per
     * dimension, from the first). d/dx: the un-padded part of the gradient.
     */
    public static Tensor pad(Tensor x, int[] pads, double value) {
        int r = x.rank();
        if (pads.length != 2 * r) {
            throw new IllegalArgumentException("pad: expected " + 2 * r + " padding sizes for shape " + Shape.str(x.shape()) + ", got " + pads.length);
        }
        int[] s = x.shape();
        int[] os = new int[r];
        for (int i = 0; i < r; i++) {
            if (pads[2 * i] < 0 || pads[2 * i + 1] < 0) throw new IllegalArgumentException("pad: negative padding " + Arrays.toString(pads));
            os[i] = s[i] + pads[2 * i] + pads[2 * i + 1];
        }
        Tensor out = Tensor.full(value, x.dtype(), os);
        Tensor cur = x.detach();
        // Place x into out via a strided copy row by row.
        int[] idx = new int[r];
        int[] ost = Shape.strides(os);
        int inner = r == 0 ? 1 : s[r - 1];
        int n = x.numel();
        for (int i = 0; i < n; i += Math.max(1, inner)) {
            int dst = 0;
            for (int k = 0; k < r; k++) dst += (idx[k] + pads[2 * k]) * ost[k];
            for (int k = 0; k < inner; k++) out.setFlat(dst + k, cur.getFlat(i + k));
            for (int k = r - 2; k >= 0; k--) {
                if (++idx[k] < s[k]) break;
                idx[k] = 0;
            }
        }
        return Tensor.record("pad", out, g -> {
            Tensor gx = g;
            for (int k = 0; k < r; k++) gx = narrowData(gx, k, pads[2 * k], s[k]);
            x.accumulateGrad(gx);
        }, x);
    }

    /** Selects entries {@code index} along {@code axis} (as torch.index_select); d/dx scatter-adds. */
    public static Tensor indexSelect(Tensor x, int axis, int[] index) {
        int a = Shape.axis("index_select", axis, x.rank());
        int[] s = x.shape();
        for (int v : index) {
            if (v < 0 || v >= s[a]) {
                throw new IllegalArgumentException("index_select: index " + v + " is out of bounds for dimension " + axis + " with size " + s[a]);
            }
        }
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= s[i];
        for (int i = a + 1; i < s.length; i++) inner *= s[i];
        int[] os = s.clone();
        os[a] = index.length;
        Tensor out = Tensor.zeros(x.dtype(), os);
        int in = inner, n = s[a], outerN = outer;
        for (int o = 0; o < outer; o++) {
            for (int j = 0; j < index.length; j++) {
                copyRun(x, (o * n + index[j]) * in, out, (o * index.length + j) * in, in);
            }
        }
        return Tensor.record("index_select", out, g -> {
            Tensor gx = Tensor.zerosLike(x);
            for (int o = 0; o < outerN; o++) {
                for (int j = 0; j < index.length; j++) {
                    int dst = (o * n + index[j]) * in, src = (o * index.length + j) * in;
                    for (int k = 0; k < in; k++) gx.setFlat(dst + k, gx.getFlat(dst + k) + g.getFlat(src + k));
                }
            }
            x.accumulateGrad(gx);
        }, x);
    }

    /** Gathers along an axis with an index tensor of the input's rank (as torch.gather); d/dx scatter-adds. */
    public static Tensor gather(Tensor x, int axis, int[] index, int[] indexShape) {
        int a = Shape.axis("gather", axis, x.rank());
        int[] s = x.shape();
        if (indexShape.length != s.length) {
            throw new IllegalArgumentException("gather: index of shape " + Shape.str(indexShape) + " must have the rank of input " + Shape.str(s));
        }
        for (int i = 0; i < s.length; i++) {
            if (i != a && indexShape[i] > s[i]) {
                throw new IllegalArgumentException("gather: index shape " + Shape.str(indexShape) + " exceeds input shape " + Shape.str(s) + " at dimension " + i);
            }
        }
        int[] ist = Shape.strides(indexShape), xst = Shape.strides(s);
        int n = Shape.numel(indexShape);
        int[] src = new int[n];
        for (int i = 0; i < n; i++) {
            int rem = i, off = 0;
            for (int k = 0; k < s.length; k++) {
                int c = rem / ist[k];
                rem %= ist[k];
                if (k == a) {
                    c = index[i];
                    if (c < 0 || c >= s[a]) {
                        throw new IllegalArgumentException("gather: index " + c + " is out of bounds for dimension " + axis + " with size " + s[a]);
                    }
                }
                off += c * xst[k];
            }
            src[i] = off;
        }
        Tensor out = Tensor.zeros(x.dtype(), indexShape);
        for (int i = 0; i < n; i++) out.setFlat(i, x.getFlat(src[i]));
        return Tensor.record("gather", out, g -> {
            Tensor gx = Tensor.zerosLike(x);
            for (int i = 0; i < n; i++) gx.setFlat(src[i], gx.getFlat(src[i]) + g.getFlat(i));
            x.accumulateGrad(gx);
        }, x);
    }

    // -------------------------------------------------------------- block copies

    private static Tensor narrowData(Tensor x, int a, int start, int length) {
        int[] os = x.shape();
        if (start == 0 && length == os[a]) return x;
        os[a] = length;
        Tensor out = Tensor.zeros(x.dtype(), os);
        copyBlock(x, a, start, out, 0, length);
        return out;
    }

    /** Copies {@code length} entries of {@code src} along axis a starting at srcStart into dst (same other sizes) at dstStart. */
    private static void copyBlock(Tensor src, int a, int srcStart, Tensor dst, int dstStart, int length) {
        int[] s = src.shape();
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= s[i];
        for (int i = a + 1; i < s.length; i++) inner *= s[i];
        int ns = s[a], nd = dst.dim(a);
        for (int o = 0; o < outer; o++) {
            copyRun(src, (o * ns + srcStart) * inner, dst, (o * nd + dstStart) * inner, length * inner);
        }
    }

    /** Copies all of {@code src} into {@code dst} at offset {@code dstStart} along axis a. */
    private static void copyBlockInto(Tensor src, Tensor dst, int a, int dstStart) {
        copyBlock(src, a, 0, dst, dstStart, src.dim(a));
    }

    private static void copyRun(Tensor src, int from, Tensor dst, int to, int len) {
        if (src.dtype() == DType.FLOAT32 && dst.dtype() == DType.FLOAT32) {
            System.arraycopy(src.floatData(), from, dst.floatData(), to, len);
        } else if (src.dtype() == DType.FLOAT64 && dst.dtype() == DType.FLOAT64) {
            System.arraycopy(src.doubleData(), from, dst.doubleData(), to, len);
        } else {
            for (int k = 0; k < len; k++) dst.setFlat(to + k, src.getFlat(from + k));
        }
    }
}
