package org.autoinit.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The data transforms of Winograd's F(2x2, 3x3) convolution (Lavin &amp; Gray 2016), vectorized over the tiles of
 * one tile row: {@code V = B^T d B} of each 4x4 input tile d and {@code Y = A^T M A} of each 4x4 product tile M,
 * <pre>
 *   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]      A^T = [1 1 1 0; 0 1 -1 -1]
 * </pre>
 * Tile tx of a tile row reads input columns 2tx .. 2tx+3, so the input comes as its even and odd columns
 * ({@code even[k] = x[2k]}, {@code odd[k] = x[2k+1]}): the four columns are then contiguous vectors at k = tx
 * and k = tx + 1. Transformed values go to 16 planes (index 4i + j), {@code stride} floats apart.
 * Call only when {@link Simd#enabled()}.
 */
public final class WinogradTransforms {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private WinogradTransforms() {}

    /**
     * Input transform of the {@code tiles} tiles of one tile row: input row r (r = 0..3 of the tile) has its even
     * and odd columns at {@code even[e + r*ld ..]} and {@code odd[e + r*ld ..]} (at least tiles + 1 of each);
     * V element (i, j) of tile tx goes to {@code v[vOff + (4i + j) * stride + tx]}.
     */
    public static void input(float[] even, float[] odd, int e, int ld, int tiles, float[] v, int vOff, int stride) {
        for (int tx = 0; tx < tiles; tx += L) {
            VectorMask<Float> m = S.indexInRange(tx, tiles);
            // rows of B^T d for each input column: column j of B^T d is (d0j - d2j, d1j + d2j, d2j - d1j, d1j - d3j)
            FloatVector r0e0 = FloatVector.fromArray(S, even, e + tx, m), r0o0 = FloatVector.fromArray(S, odd, e + tx, m);
            FloatVector r0e1 = FloatVector.fromArray(S, even, e + tx + 1, m), r0o1 = FloatVector.fromArray(S, odd, e + tx + 1, m);
            int e1 = e + ld, e2 = e1 + ld, e3 = e2 + ld;
            FloatVector r1e0 = FloatVector.fromArray(S, even, e1 + tx, m), r1o0 = FloatVector.fromArray(S, odd, e1 + tx, m);
            FloatVector r1e1 = FloatVector.fromArray(S, even, e1 + tx + 1, m), r1o1 = FloatVector.fromArray(S, odd, e1 + tx + 1, m);
            FloatVector r2e0 = FloatVector.fromArray(S, even, e2 + tx, m), r2o0 = FloatVector.fromArray(S, odd, e2 + tx, m);
            FloatVector r2e1 = FloatVector.fromArray(S, even, e2 + tx + 1, m), r2o1 = FloatVector.fromArray(S, odd, e2 + tx + 1, m);
            FloatVector r3e0 = FloatVector.fromArray(S, even, e3 + tx, m), r3o0 = FloatVector.fromArray(S, odd, e3 + tx, m);
            FloatVector r3e1 = FloatVector.fromArray(S, even, e3 + tx + 1, m), r3o1 = FloatVector.fromArray(S, odd, e3 + tx + 1, m);
            // t = B^T d (4 rows x 4 columns; columns 0..3 are e0, o0, e1, o1)
            FloatVector t00 = r0e0.sub(r2e0), t01 = r0o0.sub(r2o0), t02 = r0e1.sub(r2e1), t03 = r0o1.sub(r2o1);
            FloatVector t10 = r1e0.add(r2e0), t11 = r1o0.add(r2o0), t12 = r1e1.add(r2e1), t13 = r1o1.add(r2o1);
            FloatVector t20 = r2e0.sub(r1e0), t21 = r2o0.sub(r1o0), t22 = r2e1.sub(r1e1), t23 = r2o1.sub(r1o1);
            FloatVector t30 = r1e0.sub(r3e0), t31 = r1o0.sub(r3o0), t32 = r1e1.sub(r3e1), t33 = r1o1.sub(r3o1);
            // V = t B: row i of V is (ti0 - ti2, ti1 + ti2, ti2 - ti1, ti1 - ti3)
            int at = vOff + tx;
            t00.sub(t02).intoArray(v, at, m);
            t01.add(t02).intoArray(v, at + stride, m);
            t02.sub(t01).intoArray(v, at + 2 * stride, m);
            t01.sub(t03).intoArray(v, at + 3 * stride, m);
            t10.sub(t12).intoArray(v, at + 4 * stride, m);
            t11.add(t12).intoArray(v, at + 5 * stride, m);
            t12.sub(t11).intoArray(v, at + 6 * stride, m);
            t11.sub(t13).intoArray(v, at + 7 * stride, m);
            t20.sub(t22).intoArray(v, at + 8 * stride, m);
            t21.add(t22).intoArray(v, at + 9 * stride, m);
            t22.sub(t21).intoArray(v, at + 10 * stride, m);
            t21.sub(t23).intoArray(v, at + 11 * stride, m);
            t30.sub(t32).intoArray(v, at + 12 * stride, m);
            t31.add(t32).intoArray(v, at + 13 * stride, m);
            t32.sub(t31).intoArray(v, at + 14 * stride, m);
            t31.sub(t33).intoArray(v, at + 15 * stride, m);
        }
    }

    /**
     * Output transform of the {@code tiles} tiles of one tile row: M element (i, j) of tile tx at
     * {@code mat[mOff + (4i + j) * stride + tx]}; the 2x2 result goes to the even and odd columns of the two
     * output rows: {@code y0e[tx], y0o[tx]} (row 0, columns 2tx and 2tx+1) and {@code y1e[tx], y1o[tx]} (row 1).
     */
    public static void output(float[] mat, int mOff, int stride, int tiles, float[] y0e, float[] y0o, float[] y1e, float[] y1o) {
        for (int tx = 0; tx < tiles; tx += L) {
            VectorMask<Float> m = S.indexInRange(tx, tiles);
            int at = mOff + tx;
            FloatVector m00 = FloatVector.fromArray(S, mat, at, m), m01 = FloatVector.fromArray(S, mat, at + stride, m);
            FloatVector m02 = FloatVector.fromArray(S, mat, at + 2 * stride, m), m03 = FloatVector.fromArray(S, mat, at + 3 * stride, m);
            FloatVector m10 = FloatVector.fromArray(S, mat, at + 4 * stride, m), m11 = FloatVector.fromArray(S, mat, at + 5 * stride, m);
            FloatVector m12 = FloatVector.fromArray(S, mat, at + 6 * stride, m), m13 = FloatVector.fromArray(S, mat, at + 7 * stride, m);
            FloatVector m20 = FloatVector.fromArray(S, mat, at + 8 * stride, m), m21 = FloatVector.fromArray(S, mat, at + 9 * stride, m);
            FloatVector m22 = FloatVector.fromArray(S, mat, at + 10 * stride, m), m23 = FloatVector.fromArray(S, mat, at + 11 * stride, m);
            FloatVector m30 = FloatVector.fromArray(S, mat, at + 12 * stride, m), m31 = FloatVector.fromArray(S, mat, at + 13 * stride, m);
            FloatVector m32 = FloatVector.fromArray(S, mat, at + 14 * stride, m), m33 = FloatVector.fromArray(S, mat, at + 15 * stride, m);
            // s = A^T M (2 rows x 4 columns): s0j = m0j + m1j + m2j, s1j = m1j - m2j - m3j
            FloatVector s00 = m00.add(m10).add(m20), s01 = m01.add(m11).add(m21), s02 = m02.add(m12).add(m22), s03 = m03.add(m13).add(m23);
            FloatVector s10 = m10.sub(m20).sub(m30), s11 = m11.sub(m21).sub(m31), s12 = m12.sub(m22).sub(m32), s13 = m13.sub(m23).sub(m33);
            // Y = s A: yi0 = si0 + si1 + si2, yi1 = si1 - si2 - si3
            s00.add(s01).add(s02).intoArray(y0e, tx, m);
            s01.sub(s02).sub(s03).intoArray(y0o, tx, m);
            s10.add(s11).add(s12).intoArray(y1e, tx, m);
            s11.sub(s12).sub(s13).intoArray(y1o, tx, m);
        }
    }
}
