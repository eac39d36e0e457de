package org.autoinit.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The output transform of Winograd's F(2x2, 3x3) ({@link WinogradTransforms#output}) plus a bias, written as the two
 * output rows of consecutive tiles: {@code row0[2t], row0[2t + 1]} = tile t's upper outputs (columns 0 and 1),
 * {@code row1} its lower ones, so a run of tiles in one tile row is a contiguous run of an output image row (the caller
 * copies the runs into place). Same sums in the same order as {@link WinogradTransforms#output} then {@code + bias}: the
 * same bits. Call only when {@link Simd#enabled()}.
 */
public final class WinogradOutputRows {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Interleave two vectors: lane i of the lower (upper) half takes lane i / 2 (L/2 + i / 2) of the even or odd input. */
    private static final VectorShuffle<Float> ZIP_LO, ZIP_HI;
    private static final VectorMask<Float> ODD_LANES;

    static {
        int[] lo = new int[L], hi = new int[L];
        boolean[] odd = new boolean[L];
        for (int i = 0; i < L; i++) {
            lo[i] = i / 2;
            hi[i] = L / 2 + i / 2;
            odd[i] = i % 2 == 1;
        }
        ZIP_LO = VectorShuffle.fromArray(S, lo, 0);
        ZIP_HI = VectorShuffle.fromArray(S, hi, 0);
        ODD_LANES = VectorMask.fromArray(S, odd, 0);
    }

    private WinogradOutputRows() {}

    /**
     * Tiles {@code [0, count)} (a multiple of {@link WinogradTransforms#lanes()}): M element (i, j) of tile t at
     * {@code mat[mOff + (4i + j) * stride + t]}; {@code row0} and {@code row1} receive {@code 2 * count} floats.
     */
    public static void rows(float[] mat, int mOff, int stride, int count, float bias, float[] row0, float[] row1) {
        row0(mat, mOff, stride, count, bias, row0);
        row1(mat, mOff, stride, count, bias, row1);
    }

    /** s0j = m0j + m1j + m2j; y00 = s00 + s01 + s02, y01 = s01 - s02 - s03. */
    private static void row0(float[] mat, int mOff, int stride, int count, float bias, float[] out) {
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
            FloatVector e = s0.add(s1).add(s2).add(bias), o = s1.sub(s2).sub(s3).add(bias);
            e.rearrange(ZIP_LO).blend(o.rearrange(ZIP_LO), ODD_LANES).intoArray(out, 2 * t);
            e.rearrange(ZIP_HI).blend(o.rearrange(ZIP_HI), ODD_LANES).intoArray(out, 2 * t + L);
        }
    }

    /** s1j = m1j - m2j - m3j; y10 = s10 + s11 + s12, y11 = s11 - s12 - s13. */
    private static void row1(float[] mat, int mOff, int stride, int count, float bias, float[] out) {
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
            FloatVector e = s0.add(s1).add(s2).add(bias), o = s1.sub(s2).sub(s3).add(bias);
            e.rearrange(ZIP_LO).blend(o.rearrange(ZIP_LO), ODD_LANES).intoArray(out, 2 * t);
            e.rearrange(ZIP_HI).blend(o.rearrange(ZIP_HI), ODD_LANES).intoArray(out, 2 * t + L);
        }
    }
}
