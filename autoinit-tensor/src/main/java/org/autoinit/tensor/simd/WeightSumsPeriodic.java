package org.autoinit.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WeightSumsSimd}'s vector loops for coefficients that do not depend on the input channel (every channel has the same
 * mean and variance, as after a batch norm whose channels share their law): one {@code cm} for all entries, {@code cv}
 * a function of the tap (one value for one tap; for nine taps the first round's vectors repeat as 9 vectors of L lanes
 * cover L whole channels), so those are broadcast or loaded once and kept in registers. Everything else is {@link WeightSumsSimd}'s {@code one} and
 * {@code nine} operation for operation (same accumulators, same order), so the same bits.
 */
final class WeightSumsPeriodic {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private WeightSumsPeriodic() {}

    /** WeightSumsSimd.one with {@code cm[k] = m} and {@code cv[k] = v} for every k. Returns the entries done. */
    static int one(float[] w, int off, int n, float m, float v, double[] a, double[] b) {
        int block = 2 * L, rounds = n / block;
        if (rounds == 0) {
            return 0;
        }
        FloatVector cm = FloatVector.broadcast(F, m), cv = FloatVector.broadcast(F, v);
        double sa = 0, sb = 0;
        int k = 0;
        for (int r0 = 0; r0 < rounds; r0 += 8) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), b0 = FloatVector.zero(F), b1 = FloatVector.zero(F);
            for (int r = r0, end = Math.min(rounds, r0 + 8); r < end; r++, k += block) {
                FloatVector x0 = FloatVector.fromArray(F, w, off + k);
                a0 = a0.add(x0.mul(cm));
                b0 = b0.add(x0.mul(x0).mul(cv));
                FloatVector x1 = FloatVector.fromArray(F, w, off + k + L);
                a1 = a1.add(x1.mul(cm));
                b1 = b1.add(x1.mul(x1).mul(cv));
            }
            sa += a0.reduceLanes(VectorOperators.ADD);
            sa += a1.reduceLanes(VectorOperators.ADD);
            sb += b0.reduceLanes(VectorOperators.ADD);
            sb += b1.reduceLanes(VectorOperators.ADD);
        }
        a[0] = sa;
        b[0] = sb;
        return k;
    }

    /**
     * WeightSumsSimd.nine with {@code cm[k] = cm[0]} and {@code cv[k] = cv[k mod 9]}: a round is 9 vectors (a multiple
     * of 9 entries), so round r's coefficient vectors are round 0's. Returns the entries done.
     */
    static int nine(float[] w, int off, int n, float[] cmArr, float[] cvArr, double[] a, double[] b) {
        int block = 9 * L, rounds = n / block;
        if (rounds == 0) {
            return 0;
        }
        FloatVector cm = FloatVector.broadcast(F, cmArr[0]);
        FloatVector v0 = FloatVector.fromArray(F, cvArr, 0), v1 = FloatVector.fromArray(F, cvArr, L), v2 = FloatVector.fromArray(F, cvArr, 2 * L),
                v3 = FloatVector.fromArray(F, cvArr, 3 * L), v4 = FloatVector.fromArray(F, cvArr, 4 * L), v5 = FloatVector.fromArray(F, cvArr, 5 * L),
                v6 = FloatVector.fromArray(F, cvArr, 6 * L), v7 = FloatVector.fromArray(F, cvArr, 7 * L), v8 = FloatVector.fromArray(F, cvArr, 8 * L);
        float[] pa = new float[block];
        double[] wa = new double[block];
        double sb = 0;
        int k = 0;
        for (int r0 = 0; r0 < rounds; r0 += 8) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F), a4 = FloatVector.zero(F), a5 = FloatVector.zero(F), a6 = FloatVector.zero(F), a7 = FloatVector.zero(F), a8 = FloatVector.zero(F), b0 = FloatVector.zero(F), b1 = FloatVector.zero(F), b2 = FloatVector.zero(F);
            for (int r = r0, end = Math.min(rounds, r0 + 8); r < end; r++, k += block) {
                FloatVector x0 = FloatVector.fromArray(F, w, off + k);
                a0 = a0.add(x0.mul(cm));
                b0 = b0.add(x0.mul(x0).mul(v0));
                FloatVector x1 = FloatVector.fromArray(F, w, off + k + L);
                a1 = a1.add(x1.mul(cm));
                b1 = b1.add(x1.mul(x1).mul(v1));
                FloatVector x2 = FloatVector.fromArray(F, w, off + k + 2 * L);
                a2 = a2.add(x2.mul(cm));
                b2 = b2.add(x2.mul(x2).mul(v2));
                FloatVector x3 = FloatVector.fromArray(F, w, off + k + 3 * L);
                a3 = a3.add(x3.mul(cm));
                b0 = b0.add(x3.mul(x3).mul(v3));
                FloatVector x4 = FloatVector.fromArray(F, w, off + k + 4 * L);
                a4 = a4.add(x4.mul(cm));
                b1 = b1.add(x4.mul(x4).mul(v4));
                FloatVector x5 = FloatVector.fromArray(F, w, off + k + 5 * L);
                a5 = a5.add(x5.mul(cm));
                b2 = b2.add(x5.mul(x5).mul(v5));
                FloatVector x6 = FloatVector.fromArray(F, w, off + k + 6 * L);
                a6 = a6.add(x6.mul(cm));
                b0 = b0.add(x6.mul(x6).mul(v6));
                FloatVector x7 = FloatVector.fromArray(F, w, off + k + 7 * L);
                a7 = a7.add(x7.mul(cm));
                b1 = b1.add(x7.mul(x7).mul(v7));
                FloatVector x8 = FloatVector.fromArray(F, w, off + k + 8 * L);
                a8 = a8.add(x8.mul(cm));
                b2 = b2.add(x8.mul(x8).mul(v8));
            }
            a0.intoArray(pa, 0);
            a1.intoArray(pa, L);
            a2.intoArray(pa, 2 * L);
            a3.intoArray(pa, 3 * L);
            a4.intoArray(pa, 4 * L);
            a5.intoArray(pa, 5 * L);
            a6.intoArray(pa, 6 * L);
            a7.intoArray(pa, 7 * L);
            a8.intoArray(pa, 8 * L);
            WeightSumsSimd.flush(pa, wa);
            sb += b0.reduceLanes(VectorOperators.ADD);
            sb += b1.reduceLanes(VectorOperators.ADD);
            sb += b2.reduceLanes(VectorOperators.ADD);
        }
        WeightSumsSimd.reduce(wa, 9, a);
        b[0] = sb;
        return k;
    }
}
