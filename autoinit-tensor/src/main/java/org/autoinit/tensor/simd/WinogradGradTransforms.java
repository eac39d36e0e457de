package org.autoinit.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The data transforms of Winograd's F(3x3, 2x2) for a 3x3 convolution's weight gradient (Lavin &amp; Gray 2016, the
 * dual of F(2x2, 3x3): same input transform B, the 2x2 output-gradient tile g transformed by the forward's A):
 * <pre>
 *   V = B^T d B   (d: 4x4 input tile)      B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
 *   Z = A g A^T   (g: 2x2 dY tile)         A   = [1 0; 1 1; 1 -1; 0 -1]
 * </pre>
 * V is vectorized over channels (channel-last input), Z over tiles (dY rows split into even and odd columns). Each
 * transform is computed one row i of the 4x4 result at a time (planes 4i..4i+3), the loop bodies kept small so that
 * C2 inlines every Vector API call. Pure additions and subtractions. Call only when {@link Simd#enabled()}.
 */
public final class WinogradGradTransforms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private WinogradGradTransforms() {}

    /** Floats per vector: channel counts of {@link #inputRow} and tile counts of {@link #gradRow} are multiples of this. */
    public static int lanes() {
        return L;
    }

    /**
     * Row i of V for one tile whose channel-last 4x4 window starts at {@code x[base]} (row r, column s, channel ch at
     * {@code base + r*rowStride + s*c + ch}): {@code t = d_a +- d_b} (rows (0, 2, -), (1, 2, +), (2, 1, -), (1, 3, -) for
     * i = 0..3), then {@code V[i] = (t0 - t2, t1 + t2, t2 - t1, t1 - t3)}; V[i][j] channel ch to {@code v[out + j*plane + ch]}.
     */
    public static void inputRow(int i, float[] x, int base, int rowStride, int c, float[] v, int out, int plane) {
        int a = i == 0 ? 0 : i == 2 ? 2 : 1, b = i == 0 || i == 1 ? 2 : i == 2 ? 1 : 3;
        int pa = base + a * rowStride, pb = base + b * rowStride;
        if (i == 1) {
            for (int ch = 0; ch < c; ch += L) {
                FloatVector t0 = FloatVector.fromArray(S, x, pa + ch).add(FloatVector.fromArray(S, x, pb + ch));
                FloatVector t1 = FloatVector.fromArray(S, x, pa + c + ch).add(FloatVector.fromArray(S, x, pb + c + ch));
                FloatVector t2 = FloatVector.fromArray(S, x, pa + 2 * c + ch).add(FloatVector.fromArray(S, x, pb + 2 * c + ch));
                FloatVector t3 = FloatVector.fromArray(S, x, pa + 3 * c + ch).add(FloatVector.fromArray(S, x, pb + 3 * c + ch));
                int q = out + ch;
                t0.sub(t2).intoArray(v, q);
                t1.add(t2).intoArray(v, q + plane);
                t2.sub(t1).intoArray(v, q + 2 * plane);
                t1.sub(t3).intoArray(v, q + 3 * plane);
            }
        } else {
            for (int ch = 0; ch < c; ch += L) {
                FloatVector t0 = FloatVector.fromArray(S, x, pa + ch).sub(FloatVector.fromArray(S, x, pb + ch));
                FloatVector t1 = FloatVector.fromArray(S, x, pa + c + ch).sub(FloatVector.fromArray(S, x, pb + c + ch));
                FloatVector t2 = FloatVector.fromArray(S, x, pa + 2 * c + ch).sub(FloatVector.fromArray(S, x, pb + 2 * c + ch));
                FloatVector t3 = FloatVector.fromArray(S, x, pa + 3 * c + ch).sub(FloatVector.fromArray(S, x, pb + 3 * c + ch));
                int q = out + ch;
                t0.sub(t2).intoArray(v, q);
                t1.add(t2).intoArray(v, q + plane);
                t2.sub(t1).intoArray(v, q + 2 * plane);
                t1.sub(t3).intoArray(v, q + 3 * plane);
            }
        }
    }

    /**
     * Row i of Z for tiles {@code [0, count)} (a multiple of {@link #lanes()}): the tile's dY values g00, g01, g10, g11 at
     * {@code e0[off + t], o0[off + t], e1[off + t], o1[off + t]} (offsets of the four planes given by {@code e0 .. o1}
     * into {@code src}); row i of A g is (p, q) = (g00, g01), (g00 + g10, g01 + g11), (g00 - g10, g01 - g11),
     * (-g10, -g11), and Z[i] = (p, p + q, p - q, -q), Z[i][j] of tile t to {@code z[out + j*plane + t]}.
     */
    public static void gradRow(int i, float[] src, int e0, int o0, int e1, int o1, int count, float[] z, int out, int plane) {
        if (i == 0) {
            for (int t = 0; t < count; t += L) {
                FloatVector p = FloatVector.fromArray(S, src, e0 + t), q = FloatVector.fromArray(S, src, o0 + t);
                int at = out + t;
                p.intoArray(z, at);
                p.add(q).intoArray(z, at + plane);
                p.sub(q).intoArray(z, at + 2 * plane);
                q.neg().intoArray(z, at + 3 * plane);
            }
        } else if (i == 1) {
            for (int t = 0; t < count; t += L) {
                FloatVector p = FloatVector.fromArray(S, src, e0 + t).add(FloatVector.fromArray(S, src, e1 + t));
                FloatVector q = FloatVector.fromArray(S, src, o0 + t).add(FloatVector.fromArray(S, src, o1 + t));
                int at = out + t;
                p.intoArray(z, at);
                p.add(q).intoArray(z, at + plane);
                p.sub(q).intoArray(z, at + 2 * plane);
                q.neg().intoArray(z, at + 3 * plane);
            }
        } else if (i == 2) {
            for (int t = 0; t < count; t += L) {
                FloatVector p = FloatVector.fromArray(S, src, e0 + t).sub(FloatVector.fromArray(S, src, e1 + t));
                FloatVector q = FloatVector.fromArray(S, src, o0 + t).sub(FloatVector.fromArray(S, src, o1 + t));
                int at = out + t;
                p.intoArray(z, at);
                p.add(q).intoArray(z, at + plane);
                p.sub(q).intoArray(z, at + 2 * plane);
                q.neg().intoArray(z, at + 3 * plane);
            }
        } else {
            for (int t = 0; t < count; t += L) {
                FloatVector p = FloatVector.fromArray(S, src, e1 + t).neg(), q = FloatVector.fromArray(S, src, o1 + t).neg();
                int at = out + t;
                p.intoArray(z, at);
                p.add(q).intoArray(z, at + plane);
                p.sub(q).intoArray(z, at + 2 * plane);
                q.neg().intoArray(z, at + 3 * plane);
            }
        }
    }
}
