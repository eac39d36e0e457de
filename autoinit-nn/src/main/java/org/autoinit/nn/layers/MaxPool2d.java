package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.Pool;

/** Max over {@code kh x kw} windows of {@code [N, C, H, W]} (as torch.nn.MaxPool2d; padding never wins). */
public final class MaxPool2d extends Pooling2d {
    /** A {@code k x k} window with stride k (the common "halve the resolution" pool). */
    public MaxPool2d(int k) {
        this(null, k, k, k, k, 0, 0);
    }

    public MaxPool2d(String name, int kh, int kw, int sh, int sw, int ph, int pw) {
        super(name, kh, kw, sh, sw, ph, pw);
    }

    /** k x k window, stride k; set stride/padding on the builder. */
    public static PoolBuilder<MaxPool2d> builder(int k) {
        return new PoolBuilder<>(k, MaxPool2d::new);
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return Pool.maxPool2d(inputs[0], kh, kw, sh, sw, ph, pw);
    }
}
