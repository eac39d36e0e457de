package org.autoinit.tensor.ops;

/**
 * Settings of a 2-d convolution: stride, zero padding, dilation and groups, per spatial axis (H, W).
 *
 * <p>With {@code same = true} the padding fields are ignored and padding is chosen per input as
 * TensorFlow/Keras do: the output has {@code ceil(in / stride)} positions and the total padding
 * {@code max((out - 1) * stride + dilation * (k - 1) + 1 - in, 0)} is split with the odd extra row/column
 * at the bottom/right.
 */
public record Conv2dSpec(int strideH, int strideW, int padH, int padW, int dilH, int dilW, int groups, boolean same) {

    public Conv2dSpec {
        if (strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("Conv2dSpec: stride must be positive, got (" + strideH + ", " + strideW + ")");
        }
        if (padH < 0 || padW < 0) {
            throw new IllegalArgumentException("Conv2dSpec: padding must be non-negative, got (" + padH + ", " + padW + ")");
        }
        if (dilH < 1 || dilW < 1) {
            throw new IllegalArgumentException("Conv2dSpec: dilation must be positive, got (" + dilH + ", " + dilW + ")");
        }
        if (groups < 1) {
            throw new IllegalArgumentException("Conv2dSpec: groups must be positive, got " + groups);
        }
    }

    /** Square stride and explicit symmetric padding; dilation 1, groups 1. */
    public static Conv2dSpec of(int stride, int padding) {
        return new Conv2dSpec(stride, stride, padding, padding, 1, 1, 1, false);
    }

    /** "Same" padding (TF/Keras style) with a square stride; dilation 1, groups 1. */
    public static Conv2dSpec same(int stride) {
        return new Conv2dSpec(stride, stride, 0, 0, 1, 1, 1, true);
    }

    public Conv2dSpec withDilation(int d) {
        return new Conv2dSpec(strideH, strideW, padH, padW, d, d, groups, same);
    }

    public Conv2dSpec withGroups(int g) {
        return new Conv2dSpec(strideH, strideW, padH, padW, dilH, dilW, g, same);
    }

    public Conv2dSpec withStride(int sh, int sw) {
        return new Conv2dSpec(sh, sw, padH, padW, dilH, dilW, groups, same);
    }

    /** Explicit padding; this turns "same" padding off. */
    public Conv2dSpec withPadding(int ph, int pw) {
        return new Conv2dSpec(strideH, strideW, ph, pw, dilH, dilW, groups, false);
    }

    /** Output {@code [H', W']} for an input of {@code h x w} and a {@code kh x kw} kernel; throws when it would be empty. */
    public int[] outputSize(int h, int w, int kh, int kw) {
        return geometry("conv2d", 1, h, w, kh, kw).outputSize();
    }

    /**
     * Padding actually applied for an {@code h x w} input and a {@code kh x kw} kernel, as
     * {@code [top, bottom, left, right]} (bottom/right may exceed top/left by one with "same").
     */
    public int[] padding(int h, int w, int kh, int kw) {
        ConvGeometry g = geometry("conv2d", 1, h, w, kh, kw);
        return new int[] {g.padTop(), g.padBottom(), g.padLeft(), g.padRight()};
    }

    /** Validated geometry for {@code c} input channels; {@code op} names the caller in errors. */
    ConvGeometry geometry(String op, int c, int h, int w, int kh, int kw) {
        if (kh < 1 || kw < 1) {
            throw new IllegalArgumentException(op + ": kernel size must be positive, got " + kh + "x" + kw);
        }
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException(op + ": input spatial size must be positive, got " + h + "x" + w);
        }
        int[] ph = padAxis(same, h, kh, strideH, padH, dilH);
        int[] pw = padAxis(same, w, kw, strideW, padW, dilW);
        int effH = dilH * (kh - 1) + 1, effW = dilW * (kw - 1) + 1;
        if (effH > h + ph[0] + ph[1] || effW > w + pw[0] + pw[1]) {
            throw new IllegalArgumentException(op + ": kernel " + kh + "x" + kw
                    + (dilH > 1 || dilW > 1 ? " with dilation (" + dilH + ", " + dilW + ") spans " + effH + "x" + effW + ", which" : "")
                    + " is larger than the padded input " + (h + ph[0] + ph[1]) + "x" + (w + pw[0] + pw[1])
                    + " (input " + h + "x" + w + ", padding (" + ph[0] + ", " + pw[0] + "))");
        }
        int oh = (h + ph[0] + ph[1] - effH) / strideH + 1;
        int ow = (w + pw[0] + pw[1] - effW) / strideW + 1;
        return new ConvGeometry(c, h, w, kh, kw, strideH, strideW, ph[0], ph[1], pw[0], pw[1], dilH, dilW, oh, ow);
    }

    /** {@code [before, after]} padding along one axis ({@code pad} on both sides unless "same"). */
    static int[] padAxis(boolean same, int in, int k, int stride, int pad, int dil) {
        if (!same) {
            return new int[] {pad, pad};
        }
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + dil * (k - 1) + 1 - in, 0);
        return new int[] {total / 2, total - total / 2};
    }
}
