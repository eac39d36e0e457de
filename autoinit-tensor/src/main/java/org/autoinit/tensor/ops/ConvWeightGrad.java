package org.autoinit.tensor.ops;

import java.util.Arrays;

import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.RowRunKernel;

/**
 * float32 weight gradient of a groups-1 convolution without a patch matrix:
 * {@code dW[o, t] = sum_n sum_grid dY_n[o, grid] * planes_n[tapOffset[t] + grid]} (t = tap (c, i, j), the
 * weight's own order; planes and grid as in {@link ConvPlanes}, dY zero at the grid's discarded columns). It is
 * computed as {@code dW^T = patches^T dY^T}: each row of patches^T is one tap's contiguous run of the planes, read
 * in place by {@link RowRunKernel} (12 taps times one vector of output channels), and dY^T is packed once into
 * one-vector panels of output channels. So the only copies are the planes (the input, once) and dY (once), never
 * the 9x larger patches; {@link VectorConv} uses it for at most one vector of output channels, where that wins.
 *
 * <p>Threads split the taps; every dW element is a sum over samples in order, each sample's grid in chunks in
 * order (an FMA chain per chunk), so the bits do not depend on the thread count.
 */
final class ConvWeightGrad {
    /** Grid positions per kernel call: the B chunk (KC x lanes floats) stays in L1 across the tap panels. */
    private static final int KC = 256;

    private ConvWeightGrad() {}

    /** dW ([O, C*kh*kw] row-major) of {@code x [N, C, H, W]} and {@code gy [N, O, H', W']}. */
    static float[] compute(float[] x, int n, float[] gy, int o, ConvGeometry g) {
        ConvPlanes planes = new ConvPlanes(g);
        int width = RowRunKernel.lanes(), rows = RowRunKernel.ROWS;
        int k = g.c() * g.kh() * g.kw(), xs = g.c() * g.inPlane(), grid = planes.gridSize();
        int ps = planes.direct() ? xs : planes.size(), oPanels = (o + width - 1) / width, oPad = oPanels * width;
        float[] src = x;
        if (!planes.direct()) {
            float[] buf = FloatScratch.get(FloatScratch.CONV_DW_PLANES, n * ps);
            Parallel.forRange(n, 1, (lo, hi) -> {
                for (int s = lo; s < hi; s++) planes.fill(x, s * xs, buf, s * ps);
            });
            src = buf;
        }
        float[] b = FloatScratch.get(FloatScratch.CONV_DW_DY, n * oPanels * grid * width);
        Parallel.forRange(n, 1, (lo, hi) -> {
            for (int s = lo; s < hi; s++) packDy(gy, s, o, width, oPanels, g, planes.gridWidth(), grid, b);
        });
        int mPanels = (k + rows - 1) / rows;
        float[] dwt = new float[mPanels * rows * oPad], a = src;
        int[] taps = planes.tapOffsets();
        Parallel.forRange(mPanels, 1, (lo, hi) -> {
            int[] starts = new int[rows];
            for (int s = 0; s < n; s++) {
                for (int g0 = 0; g0 < grid; g0 += KC) {
                    int kc = Math.min(KC, grid - g0);
                    for (int mp = lo; mp < hi; mp++) {
                        // Rows past the last tap repeat it; their results are dropped.
                        for (int r = 0; r < rows; r++) starts[r] = s * ps + taps[Math.min(k - 1, mp * rows + r)] + g0;
                        for (int op = 0; op < oPanels; op++) {
                            int bo = ((s * oPanels + op) * grid + g0) * width, co = mp * rows * oPad + op * width;
                            RowRunKernel.accumulate(kc, a, starts, b, bo, dwt, co, oPad);
                        }
                    }
                }
            }
        });
        float[] dw = new float[o * k];
        for (int oc = 0; oc < o; oc++) {
            for (int t = 0; t < k; t++) dw[oc * k + t] = dwt[t * oPad + oc];
        }
        return dw;
    }

    /**
     * Sample s of dY into its panels: panel op of sample s at {@code ((s*oPanels + op)*grid)*width}, element
     * (grid position q, channel op*width + j) at {@code + q*width + j}; zero at discarded grid columns and past o.
     */
    private static void packDy(float[] gy, int s, int o, int width, int oPanels, ConvGeometry g, int gw, int grid, float[] b) {
        int oh = g.outH(), ow = g.outW(), p = g.outPlane();
        int base = s * oPanels * grid * width;
        if (gw != ow || o % width != 0) Arrays.fill(b, base, base + oPanels * grid * width, 0f);
        for (int oc = 0; oc < o; oc++) {
            int dst = base + (oc / width * grid) * width + oc % width, src = (s * o + oc) * p;
            for (int r = 0; r < oh; r++) {
                int d = dst + r * gw * width, q = src + r * ow;
                for (int c = 0; c < ow; c++) b[d + c * width] = gy[q + c];
            }
        }
    }
}
