package org.autoinit.tensor.ops;

/**
 * Pooling loops over planes {@code [lo, hi)} of {@code N*C}; windows are clipped to the image, which is
 * the same as padding with -inf (max) or with zeros counted in the divisor (average).
 */
final class PoolKernels {
    private PoolKernels() {}

    /** Window max; the first maximum in row-major order wins ties, NaN propagates (as PyTorch). */
    static void maxF(float[] x, float[] y, int[] argmax, ConvGeometry g, int lo, int hi) {
        if (g.kh() == 2 && g.kw() == 2 && g.strideH() == 2 && g.strideW() == 2 && g.padTop() == 0 && g.padLeft() == 0) {
            max2x2F(x, y, argmax, g, lo, hi);
            return;
        }
        int w = g.w();
        for (int plane = lo; plane < hi; plane++) {
            int xb = plane * g.inPlane(), yk = plane * g.outPlane();
            for (int oh = 0; oh < g.outH(); oh++) {
                int h0 = Math.max(oh * g.strideH() - g.padTop(), 0), h1 = Math.min(oh * g.strideH() - g.padTop() + g.kh(), g.h());
                for (int ow = 0; ow < g.outW(); ow++, yk++) {
                    int w0 = Math.max(ow * g.strideW() - g.padLeft(), 0), w1 = Math.min(ow * g.strideW() - g.padLeft() + g.kw(), w);
                    float best = Float.NEGATIVE_INFINITY;
                    int at = h0 * w + w0;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            float v = x[xb + ih * w + iw];
                            if (v > best || Float.isNaN(v)) {
                                best = v;
                                at = ih * w + iw;
                            }
                        }
                    }
                    y[yk] = best;
                    if (argmax != null) argmax[yk] = at;
                }
            }
        }
    }

    /**
     * {@link #maxF} for the common 2x2 window, stride 2, no padding: the same comparisons without branches (after a
     * ReLU the winner is a coin toss, and mispredicted branches cost more than the loads): the index is selected
     * with conditional moves, the running maximum kept with Math.max (which treats NaN and compares as the branches
     * did; only the sign of a zero may differ, so the output is read back from the winning index).
     */
    private static void max2x2F(float[] x, float[] y, int[] argmax, ConvGeometry g, int lo, int hi) {
        int w = g.w();
        for (int plane = lo; plane < hi; plane++) {
            int xb = plane * g.inPlane(), yk = plane * g.outPlane();
            for (int oh = 0; oh < g.outH(); oh++) {
                int r0 = 2 * oh * w, r1 = r0 + w;
                for (int ow = 0; ow < g.outW(); ow++, yk++) {
                    int c0 = r0 + 2 * ow, c1 = r1 + 2 * ow;
                    float a = x[xb + c0], b = x[xb + c0 + 1], c = x[xb + c1], d = x[xb + c1 + 1];
                    int at = c0;
                    float m = a;
                    at = (b > m) | (b != b) ? c0 + 1 : at;
                    m = Math.max(m, b);
                    at = (c > m) | (c != c) ? c1 : at;
                    m = Math.max(m, c);
                    at = (d > m) | (d != d) ? c1 + 1 : at;
                    y[yk] = x[xb + at];
                    if (argmax != null) argmax[yk] = at;
                }
            }
        }
    }

    static void maxD(double[] x, double[] y, int[] argmax, ConvGeometry g, int lo, int hi) {
        int w = g.w();
        for (int plane = lo; plane < hi; plane++) {
            int xb = plane * g.inPlane(), yk = plane * g.outPlane();
            for (int oh = 0; oh < g.outH(); oh++) {
                int h0 = Math.max(oh * g.strideH() - g.padTop(), 0), h1 = Math.min(oh * g.strideH() - g.padTop() + g.kh(), g.h());
                for (int ow = 0; ow < g.outW(); ow++, yk++) {
                    int w0 = Math.max(ow * g.strideW() - g.padLeft(), 0), w1 = Math.min(ow * g.strideW() - g.padLeft() + g.kw(), w);
                    double best = Double.NEGATIVE_INFINITY;
                    int at = h0 * w + w0;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) {
                            double v = x[xb + ih * w + iw];
                            if (v > best || Double.isNaN(v)) {
                                best = v;
                                at = ih * w + iw;
                            }
                        }
                    }
                    y[yk] = best;
                    if (argmax != null) argmax[yk] = at;
                }
            }
        }
    }

    /** Window sum over kh*kw (padding counts as zeros). */
    static void avgF(float[] x, float[] y, ConvGeometry g, int lo, int hi) {
        int w = g.w();
        float div = g.kh() * g.kw();
        for (int plane = lo; plane < hi; plane++) {
            int xb = plane * g.inPlane(), yk = plane * g.outPlane();
            for (int oh = 0; oh < g.outH(); oh++) {
                int h0 = Math.max(oh * g.strideH() - g.padTop(), 0), h1 = Math.min(oh * g.strideH() - g.padTop() + g.kh(), g.h());
                for (int ow = 0; ow < g.outW(); ow++, yk++) {
                    int w0 = Math.max(ow * g.strideW() - g.padLeft(), 0), w1 = Math.min(ow * g.strideW() - g.padLeft() + g.kw(), w);
                    float s = 0f;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) s += x[xb + ih * w + iw];
                    }
                    y[yk] = s / div;
                }
            }
        }
    }

    static void avgD(double[] x, double[] y, ConvGeometry g, int lo, int hi) {
        int w = g.w();
        double div = g.kh() * g.kw();
        for (int plane = lo; plane < hi; plane++) {
            int xb = plane * g.inPlane(), yk = plane * g.outPlane();
            for (int oh = 0; oh < g.outH(); oh++) {
                int h0 = Math.max(oh * g.strideH() - g.padTop(), 0), h1 = Math.min(oh * g.strideH() - g.padTop() + g.kh(), g.h());
                for (int ow = 0; ow < g.outW(); ow++, yk++) {
                    int w0 = Math.max(ow * g.strideW() - g.padLeft(), 0), w1 = Math.min(ow * g.strideW() - g.padLeft() + g.kw(), w);
                    double s = 0;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) s += x[xb + ih * w + iw];
                    }
                    y[yk] = s / div;
                }
            }
        }
    }

    /** Adjoint of {@link #avgF}: each output gradient divided by kh*kw and spread over its window. */
    static void avgBackF(float[] gy, float[] gx, ConvGeometry g, int lo, int hi) {
        int w = g.w();
        float div = g.kh() * g.kw();
        for (int plane = lo; plane < hi; plane++) {
            int xb = plane * g.inPlane(), yk = plane * g.outPlane();
            for (int oh = 0; oh < g.outH(); oh++) {
                int h0 = Math.max(oh * g.strideH() - g.padTop(), 0), h1 = Math.min(oh * g.strideH() - g.padTop() + g.kh(), g.h());
                for (int ow = 0; ow < g.outW(); ow++, yk++) {
                    int w0 = Math.max(ow * g.strideW() - g.padLeft(), 0), w1 = Math.min(ow * g.strideW() - g.padLeft() + g.kw(), w);
                    float v = gy[yk] / div;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) gx[xb + ih * w + iw] += v;
                    }
                }
            }
        }
    }

    static void avgBackD(double[] gy, double[] gx, ConvGeometry g, int lo, int hi) {
        int w = g.w();
        double div = g.kh() * g.kw();
        for (int plane = lo; plane < hi; plane++) {
            int xb = plane * g.inPlane(), yk = plane * g.outPlane();
            for (int oh = 0; oh < g.outH(); oh++) {
                int h0 = Math.max(oh * g.strideH() - g.padTop(), 0), h1 = Math.min(oh * g.strideH() - g.padTop() + g.kh(), g.h());
                for (int ow = 0; ow < g.outW(); ow++, yk++) {
                    int w0 = Math.max(ow * g.strideW() - g.padLeft(), 0), w1 = Math.min(ow * g.strideW() - g.padLeft() + g.kw(), w);
                    double v = gy[yk] / div;
                    for (int ih = h0; ih < h1; ih++) {
                        for (int iw = w0; iw < w1; iw++) gx[xb + ih * w + iw] += v;
                    }
                }
            }
        }
    }
}
