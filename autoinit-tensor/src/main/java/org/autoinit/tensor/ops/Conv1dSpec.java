package org.autoinit.tensor.ops;

/**
 * Settings of a 1-d convolution; {@code same = true} pads as TensorFlow/Keras do (output
 * {@code ceil(len / stride)}, odd extra padding at the end) and ignores {@code padding}.
 */
public record Conv1dSpec(int stride, int padding, int dilation, int groups, boolean same) {

    public Conv1dSpec {
        if (stride < 1) {
            throw new IllegalArgumentException("Conv1dSpec: stride must be positive, got " + stride);
        }
        if (padding < 0) {
            throw new IllegalArgumentException("Conv1dSpec: padding must be non-negative, got " + padding);
        }
        if (dilation < 1) {
            throw new IllegalArgumentException("Conv1dSpec: dilation must be positive, got " + dilation);
        }
        if (groups < 1) {
            throw new IllegalArgumentException("Conv1dSpec: groups must be positive, got " + groups);
        }
    }

    /** Explicit symmetric padding; dilation 1, groups 1. */
    public static Conv1dSpec of(int stride, int padding) {
        return new Conv1dSpec(stride, padding, 1, 1, false);
    }

    /** "Same" padding (TF/Keras style); dilation 1, groups 1. */
    public static Conv1dSpec same(int stride) {
        return new Conv1dSpec(stride, 0, 1, 1, true);
    }

    public Conv1dSpec withDilation(int d) {
        return new Conv1dSpec(stride, padding, d, groups, same);
    }

    public Conv1dSpec withGroups(int g) {
        return new Conv1dSpec(stride, padding, dilation, g, same);
    }

    /** Output length for an input of length {@code len} and a kernel of size {@code k}; throws when it would be empty. */
    public int outputLength(int len, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("conv1d: kernel size must be positive, got " + k);
        }
        if (len < 1) {
            throw new IllegalArgumentException("conv1d: input length must be positive, got " + len);
        }
        int[] pad = Conv2dSpec.padAxis(same, len, k, stride, padding, dilation);
        int eff = dilation * (k - 1) + 1, padded = len + pad[0] + pad[1];
        if (eff > padded) {
            throw new IllegalArgumentException("conv1d: kernel " + k + (dilation > 1 ? " with dilation " + dilation + " spans " + eff + ", which" : "")
                    + " is larger than the padded input " + padded + " (input " + len + ", padding " + pad[0] + ")");
        }
        return (padded - eff) / stride + 1;
    }

    /** The same convolution over a height-1 image: H is a dummy axis with kernel 1, stride 1, no padding. */
    Conv2dSpec as2d() {
        return new Conv2dSpec(1, stride, 0, padding, 1, dilation, groups, same);
    }
}
