package org.autoinit.tensor.ops;

import java.util.Arrays;

import org.autoinit.tensor.blas.PackedGemm;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.Simd;
import org.autoinit.tensor.simd.WinogradTransforms;

/**
 * 3x3 stride-1 float32 convolution by Winograd's F(2x2, 3x3) (Lavin &amp; Gray 2016): each 2x2 output tile is
 * {@code A^T [sum_c (G g_c G^T) * (B^T d_c B)] A} over its 4x4 input tile d, so per tile 16 multiplies replace
 * 36, and the channel sums become 16 GEMMs {@code M[xi] (O x T) = U[xi] (O x C) V[xi] (C x T)} over the T tiles
 * of a sample (xi = the 16 positions of the transformed tile). 2.25x fewer multiply-adds than the direct
 * convolution; the transforms are a few additions per element ({@link WinogradTransforms}). Used for the
 * forward pass and for dX of a stride-1 convolution (itself a 3x3 stride-1 convolution of the padded dY).
 * Float32 rounding differs from the direct sum (the transforms add and subtract inputs first), within
 * a few float32 ulps of the values' scale.
 */
final class Winograd {
    /** Per-thread transformed tiles beyond this many floats: the direct path instead (no chunking of huge images). */
    private static final long MAX_BUFFER = 1L << 23;

    private Winograd() {}

    /** True for 3x3, stride 1, dilation 1 with enough channels on both sides to pay for the transforms. */
    static boolean applies(ConvGeometry g, int outChannels) {
        if (g.kh() != 3 || g.kw() != 3 || g.strideH() != 1 || g.strideW() != 1 || g.dilH() != 1 || g.dilW() != 1) return false;
        if (g.c() < 8 || outChannels < 8 || g.outH() < 2 || g.outW() < 2 || !Simd.enabled()) return false;
        long tiles = (long) ((g.outH() + 1) / 2) * ((g.outW() + 1) / 2);
        return 16L * tiles * Math.max(g.c(), outChannels) <= MAX_BUFFER;
    }

    /** {@code y[s] = conv(x[s]) + bias} for the n samples; weights {@code [O, C, 3, 3]} row-major. */
    static void convolve(float[] x, int n, float[] w, int o, float[] bias, ConvGeometry g, float[] y) {
        int c = g.c(), oh = g.outH(), ow = g.outW(), th = (oh + 1) / 2, tw = (ow + 1) / 2, t = th * tw;
        int ld = tw + 1, rows = 2 * th + 2, plane = rows * ld, xs = c * g.inPlane(), ys = o * oh * ow;
        float[] u = weights(w, o, c);
        float[][] packedU = new float[16][];
        for (int xi = 0; xi < 16; xi++) packedU[xi] = PackedGemm.prepackA(o, c, PackedGemm.stridedA(u, xi * o * c, c, 1));
        Parallel.forRange(n, 1, (lo, hi) -> {
            float[] even = new float[c * plane], odd = new float[c * plane];
            float[] v = new float[16 * c * t], m = new float[16 * o * t];
            float[] y0e = new float[tw], y0o = new float[tw], y1e = new float[tw], y1o = new float[tw];
            for (int s = lo; s < hi; s++) {
                split(x, s * xs, g, even, odd, rows, ld);
                for (int ch = 0; ch < c; ch++) {
                    for (int ty = 0; ty < th; ty++) {
                        WinogradTransforms.input(even, odd, ch * plane + 2 * ty * ld, ld, tw, v, ch * t + ty * tw, c * t);
                    }
                }
                for (int xi = 0; xi < 16; xi++) {
                    PackedGemm.gemm(o, t, c, packedU[xi], PackedGemm.stridedB(v, xi * c * t, t, 1), 0f, m, xi * o * t, t);
                }
                for (int oc = 0; oc < o; oc++) {
                    float b = bias == null ? 0f : bias[oc];
                    int yc = s * ys + oc * oh * ow;
                    for (int ty = 0; ty < th; ty++) {
                        WinogradTransforms.output(m, oc * t + ty * tw, o * t, tw, y0e, y0o, y1e, y1o);
                        interleave(y0e, y0o, b, y, yc + 2 * ty * ow, ow);
                        if (2 * ty + 1 < oh) interleave(y1e, y1o, b, y, yc + (2 * ty + 1) * ow, ow);
                    }
                }
            }
        });
    }

    /** {@code y[2k] = e[k] + b, y[2k+1] = o[k] + b} for the first {@code w} columns. */
    private static void interleave(float[] e, float[] od, float b, float[] y, int at, int w) {
        for (int k = 0; 2 * k < w; k++) {
            y[at + 2 * k] = e[k] + b;
            if (2 * k + 1 < w) y[at + 2 * k + 1] = od[k] + b;
        }
    }

    /**
     * The zero-padded sample ([C, rows, 2*ld] after padding) split into even and odd columns: channel c's padded row r,
     * column 2k (2k + 1) at {@code even (odd)[c*rows*ld + r*ld + k]}.
     */
    private static void split(float[] x, int xOff, ConvGeometry g, float[] even, float[] odd, int rows, int ld) {
        int c = g.c(), h = g.h(), w = g.w(), plane = rows * ld;
        Arrays.fill(even, 0, c * plane, 0f);
        Arrays.fill(odd, 0, c * plane, 0f);
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < h; r++) {
                int pr = r + g.padTop();
                if (pr >= rows) break;
                int src = xOff + (ch * h + r) * w, dst = ch * plane + pr * ld;
                for (int s = 0; s < w; s++) {
                    int pc = s + g.padLeft();
                    if (pc >= 2 * ld) break;
                    if ((pc & 1) == 0) even[dst + (pc >> 1)] = x[src + s];
                    else odd[dst + (pc >> 1)] = x[src + s];
                }
            }
        }
    }

    /** {@code U[xi][o][c] = (G g G^T)[xi]} for every 3x3 filter g = w[o][c], G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]. */
    static float[] weights(float[] w, int o, int c) {
        float[] u = new float[16 * o * c];
        double[] t = new double[12];
        for (int oc = 0; oc < o; oc++) {
            for (int ic = 0; ic < c; ic++) {
                int f = (oc * c + ic) * 9;
                for (int j = 0; j < 3; j++) {
                    double g0 = w[f + j], g1 = w[f + 3 + j], g2 = w[f + 6 + j];
                    t[j] = g0;
                    t[3 + j] = 0.5 * (g0 + g1 + g2);
                    t[6 + j] = 0.5 * (g0 - g1 + g2);
                    t[9 + j] = g2;
                }
                for (int i = 0; i < 4; i++) {
                    double a = t[3 * i], b = t[3 * i + 1], cc = t[3 * i + 2];
                    double[] row = {a, 0.5 * (a + b + cc), 0.5 * (a - b + cc), cc};
                    for (int j = 0; j < 4; j++) u[((4 * i + j) * o + oc) * c + ic] = (float) row[j];
                }
            }
        }
        return u;
    }
}
