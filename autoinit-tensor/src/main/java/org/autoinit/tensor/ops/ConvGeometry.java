package org.autoinit.tensor.ops;

/**
 * Everything the convolution loops need about one sample: input {@code c x h x w}, kernel {@code kh x kw},
 * stride, padding (before/after per axis, unequal only for "same"), dilation, and the output size.
 * Built and validated by {@link Conv2dSpec}.
 */
record ConvGeometry(int c, int h, int w, int kh, int kw, int strideH, int strideW,
                    int padTop, int padBottom, int padLeft, int padRight, int dilH, int dilW, int outH, int outW) {

    int[] outputSize() {
        return new int[] {outH, outW};
    }

    /** Output positions per channel. */
    int outPlane() {
        return outH * outW;
    }

    int inPlane() {
        return h * w;
    }

    /** Rows of the im2col matrix per group of {@code cg} channels. */
    int patch(int cg) {
        return cg * kh * kw;
    }

    /** A 1x1, stride 1, unpadded convolution: the im2col matrix is the input itself. */
    boolean isPointwise() {
        return kh == 1 && kw == 1 && strideH == 1 && strideW == 1 && padTop == 0 && padBottom == 0 && padLeft == 0 && padRight == 0;
    }

    /** First output column whose input column {@code ow*strideW - padLeft + j*dilW} is inside the image. */
    int firstValidCol(int j) {
        int ow = 0;
        while (ow < outW && ow * strideW - padLeft + j * dilW < 0) ow++;
        return ow;
    }

    /** One past the last output column whose input column is inside the image (>= firstValidCol). */
    int endValidCol(int j, int first) {
        int ow = outW;
        while (ow > first && (ow - 1) * strideW - padLeft + j * dilW >= w) ow--;
        return ow;
    }
}
