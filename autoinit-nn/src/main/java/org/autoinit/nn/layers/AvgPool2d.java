package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.Pool;

/** Mean over {@code kh x kw} windows of {@code [N, C, H, W]}; padded zeros count (torch's count_include_pad=True). */
public final class AvgPool2d extends Pooling2d {
    /** A {@code k x k} window with stride k. */
    public AvgPool2d(int k) {
        this(null, k, k, k, k, 0, 0);
    }

    public AvgPool2d(String name, int kh, int kw, int sh, int sw, int ph, int pw) {
        super(name, kh, kw, sh, sw, ph, pw);
    }

    /** k x k window, stride k; set stride/padding on the builder. */
    public static PoolBuilder<AvgPool2d> builder(int k) {
        return new PoolBuilder<>(k, AvgPool2d::new);
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return Pool.avgPool2d(inputs[0], kh, kw, sh, sw, ph, pw);
    }
}
