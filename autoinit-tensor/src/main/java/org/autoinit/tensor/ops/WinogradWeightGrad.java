package org.autoinit.tensor.ops;

import java.util.Arrays;

import org.autoinit.tensor.blas.PackedGemm;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.FloatPairs;
import org.autoinit.tensor.simd.WinogradGradTransforms;

/**
 * dW of a 3x3 stride-1 float32 convolution by Winograd's F(3x3, 2x2): each 2x2 tile g of dY meets the 4x4 input
 * tile d under it, and its contribution to the 3x3 gradient is {@code G^T [(A g A^T) * (B^T d B)] G}, so
 * <pre>
 *   dW[o, c] = G^T M[o, c] G,   M[xi] (O x C) = sum over tiles Z[xi] (O x T) V[xi]^T (T x C),  xi = 0..15
 * </pre>
 * ({@link WinogradGradTransforms}; G the forward's 4x3 filter transform). 16 products of depth T replace the direct
 * product's 9 of depth 4T: 2.25x fewer multiply-adds. Tiles follow {@link Winograd}'s flat axis (sample, tile row, tile
 * column, one zero tile per row) and are taken in blocks of {@link #TB}, each block's product added to M in order; the
 * 16 positions xi are split over the threads by rows of four, so every M entry is summed in the same order whatever
 * the thread count. Float32 rounding differs from the direct sum (transforms add and subtract first), within a few
 * ulps of the values' scale.
 */
final class WinogradWeightGrad {
    /** Tiles per block: the depth of each product (one packed k slice), small enough that Z and V stay in L2. */
    private static final int TB = 128;
    /** {@code -Dautoinit.winogradDw=false} turns this path off (to compare against the direct product). */
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("autoinit.winogradDw", "").trim());

    private WinogradWeightGrad() {}

    /**
     * True where the forward pass takes Winograd, the channels fill whole vectors, and the images are wide or the
     * channels many: on small images with few channels the transforms, the channel-last copy and the zero tile (1 in 5
     * at 8 wide) cost more than the multiply-adds saved. Forward + dW CPU per call, 1 thread (ThreadMXBean, under load):
     * ResNet-20's 64 -> 64 at 8x8, batch 32: 3.4 direct vs 3.7-4.3 ms here (so not taken); All-CNN-C's 192 -> 192 valid
     * at 8x8: 17.2 vs 16.5 ms; cnn's 32 -> 64 at 28x28: 40.7 vs 36.5 ms.
     */
    static boolean applies(ConvGeometry g, int outChannels) {
        return ENABLED && Winograd.applies(g, outChannels) && g.c() % WinogradGradTransforms.lanes() == 0
                && (g.outW() >= 12 || (long) g.c() * outChannels >= 16384);
    }

    /** dW {@code [O, C, 3, 3]} (flat) for {@code x [N, C, H, W]} and {@code dy [N, O, H', W']}. */
    static float[] compute(float[] x, int n, float[] dy, int o, ConvGeometry g) {
        int c = g.c(), oh = g.outH(), ow = g.outW(), th = (oh + 1) / 2, tw = (ow + 1) / 2, ld = tw + 1;
        int hp = 2 * th + 2, wp = 2 * ld + 2, xs = hp * wp * c, tiles = n * th * ld;
        int blocks = (tiles + TB - 1) / TB, tp = blocks * TB;
        // Channel-last zero-padded input (4x4 windows of every tile, the zero tile's included) and dY's rows split into
        // even and odd columns at each tile's index (planes g00, g01, g10, g11 of O x tp each).
        float[] xt = FloatScratch.get(FloatScratch.CONV_CHANNEL_LAST, n * xs);
        float[] pairs = FloatScratch.get(FloatScratch.CONV_DW_DY, 4 * o * tp);
        Parallel.forRange(n, 1, (lo, hi) -> {
            int lanes = FloatPairs.lanes(), span = (ld + lanes - 1) / lanes * lanes;
            float[] row = new float[2 * span], ev = new float[span], od = new float[span];
            for (int s = lo; s < hi; s++) {
                channelLast(x, s, g, xt, s * xs, wp);
                for (int oc = 0; oc < o; oc++) {
                    for (int ty = 0; ty < th; ty++) {
                        int at = oc * tp + (s * th + ty) * ld;
                        for (int r = 0; r < 2; r++) {
                            int yr = 2 * ty + r, from = ((s * o + oc) * oh + yr) * ow;
                            int even = (2 * r * o) * tp + at, odd = ((2 * r + 1) * o) * tp + at;
                            if (yr < oh && ow % 2 == 0 && ty * ld + span <= th * ld && from + 2 * span <= dy.length) {
                                // Split in place: the zero tile's pair reads the next row of the same plane (times V = 0,
                                // so it adds nothing), and the whole-vector tail lands in later tile rows of this
                                // sample, written after it (never in another thread's sample).
                                FloatPairs.split(dy, from, ld, pairs, even, pairs, odd);
                                continue;
                            }
                            if (yr < oh) {
                                System.arraycopy(dy, from, row, 0, ow);
                            } else {
                                Arrays.fill(row, 0, ow, 0f);
                            }
                            // Past ow the row stays zero: dY of the zero tile (and of column ow when ow is odd) is 0.
                            FloatPairs.split(row, 0, ld, ev, 0, od, 0);
                            System.arraycopy(ev, 0, pairs, even, ld);
                            System.arraycopy(od, 0, pairs, odd, ld);
                        }
                    }
                }
            }
        });
        float[] m = new float[16 * o * c];
        int chunks = Math.max(1, Math.min(Parallel.threads(), 4));
        Parallel.forChunks(chunks, ch -> {
            int i0 = ch * 4 / chunks, i1 = (ch + 1) * 4 / chunks;
            float[] z = FloatScratch.get(FloatScratch.WINO_M, 4 * o * TB), v = FloatScratch.get(FloatScratch.WINO_V, 4 * TB * c);
            for (int b = 0; b < blocks; b++) {
                int t0 = b * TB, k = Math.min(TB, tiles - t0);
                for (int i = i0; i < i1; i++) {
                    for (int oc = 0; oc < o; oc++) {
                        int at = oc * tp + t0;
                        WinogradGradTransforms.gradRow(i, pairs, at, o * tp + at, 2 * o * tp + at, 3 * o * tp + at, TB, z, oc * TB, o * TB);
                    }
                    for (int tl = 0; tl < k; tl++) {
                        int t = t0 + tl, tx = t % ld, ty = t / ld % th, s = t / (ld * th);
                        if (tx == tw) {
                            for (int j = 0; j < 4; j++) Arrays.fill(v, (j * TB + tl) * c, (j * TB + tl + 1) * c, 0f);
                        } else {
                            WinogradGradTransforms.inputRow(i, xt, s * xs + (2 * ty * wp + 2 * tx) * c, wp * c, c, v, tl * c, TB * c);
                        }
                    }
                    for (int j = 0; j < 4; j++) {
                        PackedGemm.gemm(o, c, k, z, j * o * TB, TB, 1, v, j * TB * c, c, 1, b == 0 ? 0f : 1f, m, (4 * i + j) * o * c, c);
                    }
                }
            }
        });
        return filters(m, o, c);
    }

    /** {@code dW[o, c] = G^T M[o, c] G} (in double), {@code G^T = [1 .5 .5 0; 0 .5 -.5 0; 0 .5 .5 1]}. */
    private static float[] filters(float[] m, int o, int c) {
        float[] dw = new float[o * c * 9];
        int plane = o * c;
        Parallel.forRange(o, Math.max(1, 2048 / Math.max(1, c)), (lo, hi) -> {
            double[] u = new double[12];
            for (int oc = lo; oc < hi; oc++) {
                for (int ic = 0; ic < c; ic++) {
                    int at = oc * c + ic;
                    for (int j = 0; j < 4; j++) {
                        double m0 = m[j * plane + at], m1 = m[(4 + j) * plane + at], m2 = m[(8 + j) * plane + at], m3 = m[(12 + j) * plane + at];
                        u[j] = m0 + 0.5 * (m1 + m2);
                        u[4 + j] = 0.5 * (m1 - m2);
                        u[8 + j] = 0.5 * (m1 + m2) + m3;
                    }
                    int f = at * 9;
                    for (int a = 0; a < 3; a++) {
                        double u0 = u[4 * a], u1 = u[4 * a + 1], u2 = u[4 * a + 2], u3 = u[4 * a + 3];
                        dw[f + 3 * a] = (float) (u0 + 0.5 * (u1 + u2));
                        dw[f + 3 * a + 1] = (float) (0.5 * (u1 - u2));
                        dw[f + 3 * a + 2] = (float) (0.5 * (u1 + u2) + u3);
                    }
                }
            }
        });
        return dw;
    }

    /** Sample s of x ([C, H, W]) into {@code xt[off..]} as [hp][wp][C], the image at (padTop, padLeft), zeros elsewhere. */
    private static void channelLast(float[] x, int s, ConvGeometry g, float[] xt, int off, int wp) {
        int c = g.c(), h = g.h(), w = g.w(), hp = (g.outH() + 1) / 2 * 2 + 2;
        Arrays.fill(xt, off, off + hp * wp * c, 0f);
        int src = s * c * h * w;
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < h; r++) {
                int dst = off + ((r + g.padTop()) * wp + g.padLeft()) * c + ch, row = src + (ch * h + r) * w;
                for (int q = 0; q < w; q++) xt[dst + q * c] = x[row + q];
            }
        }
    }
}
