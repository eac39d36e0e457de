package org.autoinit.tensor.ops;

import java.util.Arrays;

/**
 * A convolution input laid out so that every kernel tap's patch row is one contiguous run ("implicit
 * im2col"): the zero-padded image is split into {@code sh x sw} stride phases ({@code phase(a, b)[r][s] =
 * xpad[r*sh + a][s*sw + b]}), each a {@code hq x wq} plane. Output position (oh, ow) then reads tap (c, i, j)
 * from plane (c, ri % sh, cj % sw) at row {@code oh + ri/sh}, column {@code ow + cj/sw} (ri = i*dilH,
 * cj = j*dilW), so over the flattened grid {@code g = oh*wq + ow} the tap's values are the plane run
 * starting at {@link #tapOffsets()}[t]. Grid columns {@code ow >= outW} are computed and discarded.
 *
 * <p>Only the phases some tap reads are stored (a 1x1 stride-2 convolution reads phase (0, 0) alone: a quarter of
 * the copy); {@code phaseH[a]} / {@code phaseW[b]} number them, -1 for unused ones.
 *
 * <p>A 1x1, stride 1, unpadded convolution needs no copy: the planes are the sample itself ({@link #direct()}).
 */
final class ConvPlanes {
    private final ConvGeometry g;
    private final int hq, wq;
    private final int[] tapOffsets;
    private final int[] phaseH, phaseW;
    private final int usedH, usedW;

    ConvPlanes(ConvGeometry g) {
        this.g = g;
        int sh = g.strideH(), sw = g.strideW();
        int hp = g.h() + g.padTop() + g.padBottom(), wp = g.w() + g.padLeft() + g.padRight();
        int reachH = (g.kh() - 1) * g.dilH() / sh, reachW = (g.kw() - 1) * g.dilW() / sw;
        wq = Math.max((wp + sw - 1) / sw, g.outW() + reachW);
        // One spare row: the last grid row's discarded columns read up to reachW past the row end.
        hq = Math.max((hp + sh - 1) / sh, g.outH() + reachH) + 1;
        phaseH = phases(sh, g.kh(), g.dilH());
        phaseW = phases(sw, g.kw(), g.dilW());
        usedH = count(phaseH);
        usedW = count(phaseW);
        int kk = g.kh() * g.kw();
        tapOffsets = new int[g.c() * kk];
        for (int c = 0; c < g.c(); c++) {
            for (int i = 0; i < g.kh(); i++) {
                for (int j = 0; j < g.kw(); j++) {
                    int ri = i * g.dilH(), cj = j * g.dilW();
                    int plane = (c * usedH + phaseH[ri % sh]) * usedW + phaseW[cj % sw];
                    tapOffsets[(c * g.kh() + i) * g.kw() + j] = direct() ? c * g.inPlane()
                            : plane * hq * wq + ri / sh * wq + cj / sw;
                }
            }
        }
    }

    /** Number of each phase {@code ri % stride} that some tap reads ({@code ri = i * dil}), -1 for the others. */
    private static int[] phases(int stride, int k, int dil) {
        int[] ph = new int[stride];
        Arrays.fill(ph, -1);
        for (int i = 0; i < k; i++) ph[i * dil % stride] = 0;
        for (int a = 0, n = 0; a < stride; a++) {
            if (ph[a] == 0) ph[a] = n++;
        }
        return ph;
    }

    private static int count(int[] phase) {
        int n = 0;
        for (int p : phase) {
            if (p >= 0) n++;
        }
        return n;
    }

    /** True when the sample itself serves as the planes (1x1, stride 1, no padding): nothing to copy, no discarded columns. */
    boolean direct() {
        return g.isPointwise();
    }

    /** Row length of the output grid (>= outW). */
    int gridWidth() {
        return direct() ? g.outW() : wq;
    }

    /** Output grid positions, {@code outH * gridWidth()}. */
    int gridSize() {
        return g.outH() * gridWidth();
    }

    /** Floats of one sample's planes. */
    int size() {
        return g.c() * usedH * usedW * hq * wq;
    }

    /** Start of each tap's run, tap index {@code (c*kh + i)*kw + j} as the weight's flattened [C, kh, kw]. */
    int[] tapOffsets() {
        return tapOffsets;
    }

    /** Writes the planes of the sample at {@code x[xOff..]} ([C, H, W]) into {@code planes[0, size())}. */
    void fill(float[] x, int xOff, float[] planes) {
        fill(x, xOff, planes, 0);
    }

    /** Writes the planes of the sample at {@code x[xOff..]} ([C, H, W]) into {@code planes[pOff, pOff + size())}. */
    void fill(float[] x, int xOff, float[] planes, int pOff) {
        int sh = g.strideH(), sw = g.strideW(), h = g.h(), w = g.w(), plane = hq * wq, pl = g.padLeft();
        if (sh == 1 && sw == 1) {
            fillStrideOne(x, xOff, planes, pOff);
            return;
        }
        Arrays.fill(planes, pOff, pOff + size(), 0f);
        for (int c = 0; c < g.c(); c++) {
            for (int r = 0; r < h; r++) {
                int src = xOff + (c * h + r) * w, pr = r + g.padTop(), ph = phaseH[pr % sh];
                if (ph < 0) continue;
                int rowBase = pOff + (c * usedH + ph) * usedW * plane + pr / sh * wq;
                if (sw == 1) {
                    System.arraycopy(x, src, planes, rowBase + pl, w);
                    continue;
                }
                if (sw == 2 && phaseW[0] >= 0 && phaseW[1] >= 0) {
                    splitPairs(x, src, w, pl, planes, rowBase + phaseW[0] * plane, rowBase + phaseW[1] * plane);
                    continue;
                }
                // Phase b holds input columns s = b - pl (mod sw), at plane column (s + pl) / sw.
                for (int b = 0; b < sw; b++) {
                    if (phaseW[b] < 0) continue;
                    int s0 = Math.floorMod(b - pl, sw);
                    for (int s = s0, d = rowBase + phaseW[b] * plane + (s0 + pl) / sw; s < w; s += sw, d++) planes[d] = x[src + s];
                }
            }
        }
    }

    /**
     * Stride 1: one plane per channel, input row r at plane row r + padTop, columns [padLeft, padLeft + w); only the rest
     * (the padding) is zeroed. Zeroing the whole plane first wrote each element twice (ConvPlanes.fill was ~4% of a
     * 1-thread ResNet-20 step, JFR). The same buffer contents, so the same bits.
     */
    private void fillStrideOne(float[] x, int xOff, float[] planes, int pOff) {
        int h = g.h(), w = g.w(), pl = g.padLeft(), pt = g.padTop(), plane = hq * wq, right = pl + w;
        for (int c = 0; c < g.c(); c++) {
            int base = pOff + c * plane;
            Arrays.fill(planes, base, base + pt * wq, 0f);
            for (int r = 0; r < h; r++) {
                // The row's padding is a few floats: plain loops (Arrays.fill calls per row cost more than the stores).
                int row = base + (r + pt) * wq;
                for (int q = row; q < row + pl; q++) planes[q] = 0f;
                System.arraycopy(x, xOff + (c * h + r) * w, planes, row + pl, w);
                for (int q = row + right; q < row + wq; q++) planes[q] = 0f;
            }
            Arrays.fill(planes, base + (pt + h) * wq, base + plane, 0f);
        }
    }

    /**
     * One input row of {@code w} values at {@code x[src..]} into the two column phases of stride 2 (padded column
     * q = s + pl goes to phase q % 2 at column q / 2, phase rows at {@code even} and {@code odd}). Pairs of columns
     * in one loop: the general strided loop (one pass per phase, index by floorMod) was half of a 3x3 stride-2
     * forward (16 -> 32 channels at 32x32, JFR).
     */
    private static void splitPairs(float[] x, int src, int w, int pl, float[] planes, int even, int odd) {
        int s = 0, k = pl >> 1;
        if ((pl & 1) != 0) {
            planes[odd + k++] = x[src];
            s = 1;
        }
        for (; s + 1 < w; s += 2, k++) {
            planes[even + k] = x[src + s];
            planes[odd + k] = x[src + s + 1];
        }
        if (s < w) planes[even + k] = x[src + s];
    }

    /** Copies the valid grid columns of {@code grid[o][gh*wq + gw]} ([O, gridSize]) into {@code y[yOff..]} ([O, outH, outW]), adding bias[o] if given. */
    void compact(float[] grid, int o, float[] bias, float[] y, int yOff) {
        int oh = g.outH(), ow = g.outW(), gw = gridWidth(), gs = gridSize();
        for (int k = 0; k < o; k++) {
            for (int r = 0; r < oh; r++) {
                int s = k * gs + r * gw, d = yOff + (k * oh + r) * ow;
                if (bias == null) {
                    System.arraycopy(grid, s, y, d, ow);
                } else {
                    float b = bias[k];
                    for (int q = 0; q < ow; q++) y[d + q] = grid[s + q] + b;
                }
            }
        }
    }
}
