package org.autoinit.datasets.io;

/**
 * Resizing of channel-first float images {@code [C, H, W]}, separably along each axis, as OpenCV's
 * INTER_AREA does: shrinking averages each output pixel's footprint in the source (fractional
 * overlaps weighted by their length, so a 2x shrink is the mean of each 2x2 block and nothing is
 * skipped, unlike plain bilinear); enlarging interpolates bilinearly with pixel centres aligned
 * ({@code src = (i + 0.5) * in / out - 0.5}, clamped at the borders).
 */
final class Resample {
    private Resample() {}

    /** Source indices and weights contributing to each output index along one axis. */
    record Taps(int[][] index, float[][] weight) {}

    static Taps taps(int in, int out) {
        int[][] idx = new int[out][];
        float[][] w = new float[out][];
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            if (out < in) {
                double lo = i * scale;
                double hi = (i + 1) * scale;
                int first = (int) Math.floor(lo);
                int last = Math.min(in - 1, (int) Math.ceil(hi) - 1);
                idx[i] = new int[last - first + 1];
                w[i] = new float[last - first + 1];
                for (int j = first; j <= last; j++) {
                    double overlap = Math.min(hi, j + 1) - Math.max(lo, j);
                    idx[i][j - first] = j;
                    w[i][j - first] = (float) (overlap / scale);
                }
            } else {
                double src = Math.min(in - 1, Math.max(0, (i + 0.5) * scale - 0.5));
                int j0 = (int) Math.floor(src);
                int j1 = Math.min(j0 + 1, in - 1);
                float f = (float) (src - j0);
                idx[i] = new int[] {j0, j1};
                w[i] = new float[] {1 - f, f};
            }
        }
        return new Taps(idx, w);
    }

    /** Resizes {@code [c, h, w]} to {@code [c, outH, outW]}. */
    static float[] resize(float[] src, int c, int h, int w, int outH, int outW) {
        if (outH == h && outW == w) {
            return src;
        }
        Taps tx = taps(w, outW);
        Taps ty = taps(h, outH);
        float[] rows = new float[c * h * outW];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int s = (ch * h + y) * w;
                int d = (ch * h + y) * outW;
                for (int x = 0; x < outW; x++) {
                    int[] ix = tx.index()[x];
                    float[] wx = tx.weight()[x];
                    float acc = 0;
                    for (int k = 0; k < ix.length; k++) {
                        acc += wx[k] * src[s + ix[k]];
                    }
                    rows[d + x] = acc;
                }
            }
        }
        float[] out = new float[c * outH * outW];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < outH; y++) {
                int[] iy = ty.index()[y];
                float[] wy = ty.weight()[y];
                int d = (ch * outH + y) * outW;
                for (int k = 0; k < iy.length; k++) {
                    int s = (ch * h + iy[k]) * outW;
                    float wk = wy[k];
                    for (int x = 0; x < outW; x++) {
                        out[d + x] += wk * rows[s + x];
                    }
                }
            }
        }
        return out;
    }

    /**
     * Scales so the shorter side becomes {@code size} (the longer side rounded to the nearest pixel),
     * then cuts the centred {@code size x size} square (the extra pixel of an odd margin goes to the
     * bottom/right). Writes {@code [c, size, size]} into {@code dst} at {@code dstOff}.
     */
    static void resizeShorterSideAndCenterCrop(float[] src, int c, int h, int w, int size, float[] dst, int dstOff) {
        int outH, outW;
        if (h <= w) {
            outH = size;
            outW = Math.max(size, (int) Math.round((double) w * size / h));
        } else {
            outW = size;
            outH = Math.max(size, (int) Math.round((double) h * size / w));
        }
        float[] r = resize(src, c, h, w, outH, outW);
        int top = (outH - size) / 2;
        int left = (outW - size) / 2;
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < size; y++) {
                System.arraycopy(r, (ch * outH + top + y) * outW + left, dst, dstOff + (ch * size + y) * size, size);
            }
        }
    }
}
