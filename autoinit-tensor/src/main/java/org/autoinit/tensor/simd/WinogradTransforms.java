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
        float[] e0 = e[0], e1 = e[1], e2 = e[2], e3 = e[3], o0 = o[0], o1 = o[1], o2 = o[2], o3 = o[3];
        for (int t = 0; t < count; t += L) {
            int a = off + t, b = a + 1;
            FloatVector r0e0 = FloatVector.fromArray(S, e0, a), r0o0 = FloatVector.fromArray(S, o0, a);
            FloatVector r0e1 = FloatVector.fromArray(S, e0, b), r0o1 = FloatVector.fromArray(S, o0, b);
            FloatVector r1e0 = FloatVector.fromArray(S, e1, a), r1o0 = FloatVector.fromArray(S, o1, a);
            FloatVector r1e1 = FloatVector.fromArray(S, e1, b), r1o1 = FloatVector.fromArray(S, o1, b);
            FloatVector r2e0 = FloatVector.fromArray(S, e2, a), r2o0 = FloatVector.fromArray(S, o2, a);
            FloatVector r2e1 = FloatVector.fromArray(S, e2, b), r2o1 = FloatVector.fromArray(S, o2, b);
            FloatVector r3e0 = FloatVector.fromArray(S, e3, a), r3o0 = FloatVector.fromArray(S, o3, a);
            FloatVector r3e1 = FloatVector.fromArray(S, e3, b), r3o1 = FloatVector.fromArray(S, o3, b);
            // t = B^T d (columns 0..3 of the tile are e0, o0, e1, o1): rows d0 - d2, d1 + d2, d2 - d1, d1 - d3
            FloatVector t00 = r0e0.sub(r2e0), t01 = r0o0.sub(r2o0), t02 = r0e1.sub(r2e1), t03 = r0o1.sub(r2o1);
            FloatVector t10 = r1e0.add(r2e0), t11 = r1o0.add(r2o0), t12 = r1e1.add(r2e1), t13 = r1o1.add(r2o1);
            FloatVector t20 = r2e0.sub(r1e0), t21 = r2o0.sub(r1o0), t22 = r2e1.sub(r1e1), t23 = r2o1.sub(r1o1);
            FloatVector t30 = r1e0.sub(r3e0), t31 = r1o0.sub(r3o0), t32 = r1e1.sub(r3e1), t33 = r1o1.sub(r3o1);
            // V = t B: row i is (ti0 - ti2, ti1 + ti2, ti2 - ti1, ti1 - ti3)
            int at = vOff + t / panel * panelStride + t % panel;
            t00.sub(t02).intoArray(v, at);
            t01.add(t02).intoArray(v, at + stride);
            t02.sub(t01).intoArray(v, at + 2 * stride);
            t01.sub(t03).intoArray(v, at + 3 * stride);
            t10.sub(t12).intoArray(v, at + 4 * stride);
            t11.add(t12).intoArray(v, at + 5 * stride);
            t12.sub(t11).intoArray(v, at + 6 * stride);
            t11.sub(t13).intoArray(v, at + 7 * stride);
            t20.sub(t22).intoArray(v, at + 8 * stride);
            t21.add(t22).intoArray(v, at + 9 * stride);
            t22.sub(t21).intoArray(v, at + 10 * stride);
            t21.sub(t23).intoArray(v, at + 11 * stride);
            t30.sub(t32).intoArray(v, at + 12 * stride);
            t31.add(t32).intoArray(v, at + 13 * stride);
            t32.sub(t31).intoArray(v, at + 14 * stride);
            t31.sub(t33).intoArray(v, at + 15 * stride);
        }
    }

    /**
     * Output transform of tiles {@code [0, count)}: M element (i, j) of tile t at {@code mat[mOff + (4i + j) * stride + t]};
     * the 2x2 result to {@code y0e[t], y0o[t]} (output row 0, columns 0 and 1) and {@code y1e[t], y1o[t]} (row 1).
     */
    public static void output(float[] mat, int mOff, int stride, int count, float[] y0e, float[] y0o, float[] y1e, float[] y1o) {
        for (int t = 0; t < count; t += L) {
            int at = mOff + t;
            FloatVector m00 = FloatVector.fromArray(S, mat, at), m01 = FloatVector.fromArray(S, mat, at + stride);
            FloatVector m02 = FloatVector.fromArray(S, mat, at + 2 * stride), m03 = FloatVector.fromArray(S, mat, at + 3 * stride);
            FloatVector m10 = FloatVector.fromArray(S, mat, at + 4 * stride), m11 = FloatVector.fromArray(S, mat, at + 5 * stride);
            FloatVector m12 = FloatVector.fromArray(S, mat, at + 6 * stride), m13 = FloatVector.fromArray(S, mat, at + 7 * stride);
            FloatVector m20 = FloatVector.fromArray(S, mat, at + 8 * stride), m21 = FloatVector.fromArray(S, mat, at + 9 * stride);
            FloatVector m22 = FloatVector.fromArray(S, mat, at + 10 * stride), m23 = FloatVector.fromArray(S, mat, at + 11 * stride);
            FloatVector m30 = FloatVector.fromArray(S, mat, at + 12 * stride), m31 = FloatVector.fromArray(S, mat, at + 13 * stride);
            FloatVector m32 = FloatVector.fromArray(S, mat, at + 14 * stride), m33 = FloatVector.fromArray(S, mat, at + 15 * stride);
            // s = A^T M: s0j = m0j + m1j + m2j, s1j = m1j - m2j - m3j
            FloatVector s00 = m00.add(m10).add(m20), s01 = m01.add(m11).add(m21), s02 = m02.add(m12).add(m22), s03 = m03.add(m13).add(m23);
            FloatVector s10 = m10.sub(m20).sub(m30), s11 = m11.sub(m21).sub(m31), s12 = m12.sub(m22).sub(m32), s13 = m13.sub(m23).sub(m33);
            // Y = s A: yi0 = si0 + si1 + si2, yi1 = si1 - si2 - si3
            s00.add(s01).add(s02).intoArray(y0e, t);
            s01.sub(s02).sub(s03).intoArray(y0o, t);
            s10.add(s11).add(s12).intoArray(y1e, t);
            s11.sub(s12).sub(s13).intoArray(y1o, t);
        }
    }
}
