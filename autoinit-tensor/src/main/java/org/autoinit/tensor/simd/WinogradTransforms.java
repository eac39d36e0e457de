package org.autoinit.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The data transforms of Winograd's F(2x2, 3x3) convolution (Lavin &amp; Gray 2016), vectorized over tiles:
 * {@code V = B^T d B} of each 4x4 input tile d and {@code Y = A^T M A} of each 4x4 product tile M,
 * <pre>
 *   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]      A^T = [1 1 1 0; 0 1 -1 -1]
 * </pre>
 * Tiles are numbered along a flat axis, and row r (0..3) of every tile is supplied as its even and odd columns
 * at the tile's index: tile t reads {@code even_r[t], odd_r[t], even_r[t + 1], odd_r[t + 1]} (input columns
 * 0..3 of the tile). Transformed values of tile t go to 16 planes (index 4i + j), {@code stride} floats apart.
 * Counts must be multiples of {@link #lanes()} (callers pad the tile axis; no masked operations, which the JDK 17
 * Vector API does not compile into vector code). Call only when {@link Simd#enabled()}.
 */
public final class WinogradTransforms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private WinogradTransforms() {}

    /** Floats per vector: tile counts must be multiples of this. */
    public static int lanes() {
        return L;
    }

    /**
     * Input transform of tiles {@code [0, count)}: rows r = 0..3 in {@code e[r], o[r]} from offset {@code off} (each
     * readable up to {@code off + count}); V element (i, j) of tile t to {@code v[vOff + (4i + j) * stride + pos(t)]},
     * {@code pos(t) = (t / panel) * panelStride + t % panel}: with {@code panel} = the GEMM's B panel width (a multiple
     * of the vector length) the values land directly in packed GEMM panels; {@code panelStride = panel} gives a plain row.
     */
    public static void input(float[][] e, float[][] o, int off, int count, float[] v, int vOff, int stride, int panel, int panelStride) {
        // t = B^T d, rows d0 - d2, d1 + d2, d2 - d1, d1 - d3; one pass per row keeps each loop body small: C2 stops
        // inlining the Vector API calls of a body with ~50 vector ops, and every call it does not inline boxes.
        row(e[0], o[0], e[2], o[2], false, off, count, v, vOff, stride, panel, panelStride);
        row(e[1], o[1], e[2], o[2], true, off, count, v, vOff + 4 * stride, stride, panel, panelStride);
        row(e[2], o[2], e[1], o[1], false, off, count, v, vOff + 8 * stride, stride, panel, panelStride);
        row(e[1], o[1], e[3], o[3], false, off, count, v, vOff + 12 * stride, stride, panel, panelStride);
    }

    /**
     * One row i of V: {@code t = d_a + d_b} (add) or {@code d_a - d_b}, columns 0..3 of the tile being (e, o) at t and
     * t + 1; then {@code V[i] = (t0 - t2, t1 + t2, t2 - t1, t1 - t3)} to planes 4i..4i+3 (vOff already at plane 4i).
     */
    private static void row(float[] ea, float[] oa, float[] eb, float[] ob, boolean add, int off, int count, float[] v, int vOff,
                            int stride, int panel, int panelStride) {
        for (int t = 0; t < count; t += L) {
            int a = off + t, b = a + 1;
            FloatVector ea0 = FloatVector.fromArray(S, ea, a), oa0 = FloatVector.fromArray(S, oa, a);
            FloatVector ea1 = FloatVector.fromArray(S, ea, b), oa1 = FloatVector.fromArray(S, oa, b);
            FloatVector eb0 = FloatVector.fromArray(S, eb, a), ob0 = FloatVector.fromArray(S, ob, a);
            FloatVector eb1 = FloatVector.fromArray(S, eb, b), ob1 = FloatVector.fromArray(S, ob, b);
            FloatVector t0, t1, t2, t3;
            if (add) {
                t0 = ea0.add(eb0);
                t1 = oa0.add(ob0);
                t2 = ea1.add(eb1);
                t3 = oa1.add(ob1);
            } else {
                t0 = ea0.sub(eb0);
                t1 = oa0.sub(ob0);
                t2 = ea1.sub(eb1);
                t3 = oa1.sub(ob1);
            }
            int at = vOff + t / panel * panelStride + t % panel;
            t0.sub(t2).intoArray(v, at);
            t1.add(t2).intoArray(v, at + stride);
            t2.sub(t1).intoArray(v, at + 2 * stride);
            t1.sub(t3).intoArray(v, at + 3 * stride);
        }
    }

    /**
     * Output transform of tiles {@code [0, count)}: M element (i, j) of tile t at {@code mat[mOff + (4i + j) * stride + t]};
     * the 2x2 result to {@code y0e[t], y0o[t]} (output row 0, columns 0 and 1) and {@code y1e[t], y1o[t]} (row 1).
     */
    public static void output(float[] mat, int mOff, int stride, int count, float[] y0e, float[] y0o, float[] y1e, float[] y1o) {
        // Two passes (output rows 0 and 1) for the same reason as input's four.
        outputRow0(mat, mOff, stride, count, y0e, y0o);
        outputRow1(mat, mOff, stride, count, y1e, y1o);
    }

    /** s0j = m0j + m1j + m2j; y00 = s00 + s01 + s02, y01 = s01 - s02 - s03. */
    private static void outputRow0(float[] mat, int mOff, int stride, int count, float[] ye, float[] yo) {
        for (int t = 0; t < count; t += L) {
            int at = mOff + t;
            FloatVector s0 = FloatVector.fromArray(S, mat, at).add(FloatVector.fromArray(S, mat, at + 4 * stride))
                    .add(FloatVector.fromArray(S, mat, at + 8 * stride));
            FloatVector s1 = FloatVector.fromArray(S, mat, at + stride).add(FloatVector.fromArray(S, mat, at + 5 * stride))
                    .add(FloatVector.fromArray(S, mat, at + 9 * stride));
            FloatVector s2 = FloatVector.fromArray(S, mat, at + 2 * stride).add(FloatVector.fromArray(S, mat, at + 6 * stride))
                    .add(FloatVector.fromArray(S, mat, at + 10 * stride));
            FloatVector s3 = FloatVector.fromArray(S, mat, at + 3 * stride).add(FloatVector.fromArray(S, mat, at + 7 * stride))
                    .add(FloatVector.fromArray(S, mat, at + 11 * stride));
            s0.add(s1).add(s2).intoArray(ye, t);
            s1.sub(s2).sub(s3).intoArray(yo, t);
        }
    }

    /** s1j = m1j - m2j - m3j; y10 = s10 + s11 + s12, y11 = s11 - s12 - s13. */
    private static void outputRow1(float[] mat, int mOff, int stride, int count, float[] ye, float[] yo) {
        for (int t = 0; t < count; t += L) {
            int at = mOff + t;
            FloatVector s0 = FloatVector.fromArray(S, mat, at + 4 * stride).sub(FloatVector.fromArray(S, mat, at + 8 * stride))
                    .sub(FloatVector.fromArray(S, mat, at + 12 * stride));
            FloatVector s1 = FloatVector.fromArray(S, mat, at + 5 * stride).sub(FloatVector.fromArray(S, mat, at + 9 * stride))
                    .sub(FloatVector.fromArray(S, mat, at + 13 * stride));
            FloatVector s2 = FloatVector.fromArray(S, mat, at + 6 * stride).sub(FloatVector.fromArray(S, mat, at + 10 * stride))
                    .sub(FloatVector.fromArray(S, mat, at + 14 * stride));
            FloatVector s3 = FloatVector.fromArray(S, mat, at + 7 * stride).sub(FloatVector.fromArray(S, mat, at + 11 * stride))
                    .sub(FloatVector.fromArray(S, mat, at + 15 * stride));
            s0.add(s1).add(s2).intoArray(ye, t);
            s1.sub(s2).sub(s3).intoArray(yo, t);
        }
    }
}
