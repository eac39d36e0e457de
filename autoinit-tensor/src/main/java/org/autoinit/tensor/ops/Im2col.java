package org.autoinit.tensor.ops;

import java.util.Arrays;

/**
 * Unfolds one sample {@code [C, H, W]} into the matrix {@code col[(c*kh + i)*kw + j][oh*W' + ow]}
 * = {@code x[c][oh*sh - padTop + i*dh][ow*sw - padLeft + j*dw]} (zero outside the image), so that a
 * convolution becomes {@code W[O, C*kh*kw] @ col}; {@link #col2imF} is its adjoint (scatter-add back),
 * which turns {@code W^T @ dY} into the input gradient. The valid column range of each kernel column
 * {@code j} is computed once, so the inner loops are branch-free (a plain copy when the stride is 1).
 */
final class Im2col {
    private Im2col() {}

    /** Fills {@code col} (C*kh*kw rows of H'*W' values, from {@code colOff}) from the sample at {@code x[xOff..]}. */
    static void im2colF(float[] x, int xOff, float[] col, int colOff, ConvGeometry g) {
        int ow = g.outW(), p = g.outPlane(), sw = g.strideW();
        int row = 0;
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int lo = g.firstValidCol(j), hi = g.endValidCol(j, lo);
                    int shift = j * g.dilW() - g.padLeft();
                    for (int oh = 0; oh < g.outH(); oh++) {
                        int dst = colOff + row * p + oh * ow;
                        int ih = oh * g.strideH() - g.padTop() + i * g.dilH();
                        if (ih < 0 || ih >= g.h()) {
                            Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = xOff + (c * g.h() + ih) * g.w() + shift;
                        Arrays.fill(col, dst, dst + lo, 0f);
                        if (sw == 1 && hi > lo) {
                            System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                        } else {
                            for (int q = lo; q < hi; q++) col[dst + q] = x[src + q * sw];
                        }
                        Arrays.fill(col, dst + hi, dst + ow, 0f);
                    }
                }
            }
        }
    }

    /** Adds the columns back into the sample gradient {@code dx[xOff..]} (the adjoint of {@link #im2colF}). */
    static void col2imF(float[] col, int colOff, float[] dx, int xOff, ConvGeometry g) {
        int ow = g.outW(), p = g.outPlane(), sw = g.strideW();
        int row = 0;
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int lo = g.firstValidCol(j), hi = g.endValidCol(j, lo);
                    int shift = j * g.dilW() - g.padLeft();
                    for (int oh = 0; oh < g.outH(); oh++) {
                        int ih = oh * g.strideH() - g.padTop() + i * g.dilH();
                        if (ih < 0 || ih >= g.h()) continue;
                        int src = colOff + row * p + oh * ow;
                        int dst = xOff + (c * g.h() + ih) * g.w() + shift;
                        for (int q = lo; q < hi; q++) dx[dst + q * sw] += col[src + q];
                    }
                }
            }
        }
    }

    /** float64 twin of {@link #im2colF}. */
    static void im2colD(double[] x, int xOff, double[] col, int colOff, ConvGeometry g) {
        int ow = g.outW(), p = g.outPlane(), sw = g.strideW();
        int row = 0;
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int lo = g.firstValidCol(j), hi = g.endValidCol(j, lo);
                    int shift = j * g.dilW() - g.padLeft();
                    for (int oh = 0; oh < g.outH(); oh++) {
                        int dst = colOff + row * p + oh * ow;
                        int ih = oh * g.strideH() - g.padTop() + i * g.dilH();
                        if (ih < 0 || ih >= g.h()) {
                            Arrays.fill(col, dst, dst + ow, 0.0);
                            continue;
                        }
                        int src = xOff + (c * g.h() + ih) * g.w() + shift;
                        Arrays.fill(col, dst, dst + lo, 0.0);
                        if (sw == 1 && hi > lo) {
                            System.arraycopy(x, src + lo, col, dst + lo, hi - lo);
                        } else {
                            for (int q = lo; q < hi; q++) col[dst + q] = x[src + q * sw];
                        }
                        Arrays.fill(col, dst + hi, dst + ow, 0.0);
                    }
                }
            }
        }
    }

    /** float64 twin of {@link #col2imF}. */
    static void col2imD(double[] col, int colOff, double[] dx, int xOff, ConvGeometry g) {
        int ow = g.outW(), p = g.outPlane(), sw = g.strideW();
        int row = 0;
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++, row++) {
                    int lo = g.firstValidCol(j), hi = g.endValidCol(j, lo);
                    int shift = j * g.dilW() - g.padLeft();
                    for (int oh = 0; oh < g.outH(); oh++) {
                        int ih = oh * g.strideH() - g.padTop() + i * g.dilH();
                        if (ih < 0 || ih >= g.h()) continue;
                        int src = colOff + row * p + oh * ow;
                        int dst = xOff + (c * g.h() + ih) * g.w() + shift;
                        for (int q = lo; q < hi; q++) dx[dst + q * sw] += col[src + q];
                    }
                }
            }
        }
    }
}
