package org.autoinit.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One unit's weighted sums over its float32 weights (AutoInit's statistics of a drawn weight): for x_k =
 * {@code w[off + k]}, k in {@code [0, n)}, {@code a[t] = sum_{k = t mod taps} x_k cm_k} and
 * {@code B = sum_k x_k^2 cv_k} (returned), taps 1 or 9. Products and short partial sums on float vectors, widened
 * into float64 every few hundred weights: vector j of the run goes to accumulator {@code j mod P} (P = 2 for one tap,
 * 9 for nine: 9 vectors of 16 cover whole channels; B's products go to 2 or 3 accumulators). After every 8 rounds,
 * each accumulator of B (and of A for one tap) is summed across its lanes in float (in lane order) and added to a
 * float64 sum; for nine taps each lane of A's accumulators is added in float64 to its slot of a float64 array, which at
 * the end goes to the taps in a fixed order. Then a float64 scalar tail. Each term thus passes through at most 8 + L
 * float roundings before widening (8 for nine taps' A): relative error at most about {@code (8 + L + 2) 2^-24} (L = 16
 * lanes: 1.5e-6) or {@code 10 2^-24} (nine taps' A) of the sum of the terms' magnitudes, far less in practice (the roundings are independent). (The Vector API's
 * float-to-double conversion of half a vector, and a second float vector size, did not compile to vector code on JDK 17: measured 2-7x slower). The order is fixed
 * by n alone: the same bits for any thread count. A float product that overflows (or a non-finite weight) sends the
 * run to a float64 loop. One method body per case, no vectors passed to helpers.
 */
public final class WeightSumsSimd {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();

    private WeightSumsSimd() {}

    /** True when {@link #sums} handles {@code taps} taps on this CPU's vectors. */
    public static boolean supports(int taps) {
        return L >= 8 && (taps == 1 || taps == 9);
    }

    /** Writes {@code a[0, taps)} and returns B (see the class comment); cm and cv at least n long. Call only when {@link #supports}{@code (taps)}. */
    public static double sums(float[] w, int off, int n, int taps, float[] cm, float[] cv, double[] a) {
        return sums(w, off, n, taps, cm, cv, a, false);
    }

    /**
     * As {@link #sums(float[], int, int, int, float[], float[], double[])}; {@code periodic} promises that {@code cm[k]}
     * is the same for every k and {@code cv[k]} depends on {@code k mod taps} only (every input channel has the same law): the vector loops then
     * keep the coefficient vectors in registers instead of loading them per round ({@link WeightSumsPeriodic}). The
     * same products and additions in the same order, so the same bits either way.
     */
    public static double sums(float[] w, int off, int n, int taps, float[] cm, float[] cv, double[] a, boolean periodic) {
        if (n < 0 || n > cm.length || n > cv.length || off < 0 || off + n > w.length || a.length < taps) {
            throw new IndexOutOfBoundsException("WeightSumsSimd: run of " + n + " at " + off + " of " + w.length + " weights, " + cm.length
                    + " and " + cv.length + " coefficients, " + a.length + " tap sums");
        }
        java.util.Arrays.fill(a, 0, taps, 0.0);
        double[] b = new double[1];
        int done = periodic ? (taps == 1 ? WeightSumsPeriodic.one(w, off, n, cm[0], cv[0], a, b) : WeightSumsPeriodic.nine(w, off, n, cm, cv, a, b))
                : taps == 1 ? one(w, off, n, cm, cv, a, b) : nine(w, off, n, cm, cv, a, b);
        double sb = tail(w, off, n, taps, cm, cv, a, b[0], done);
        boolean finite = Double.isFinite(sb);
        for (int t = 0; t < taps; t++) {
            finite &= Double.isFinite(a[t]);
        }
        if (!finite) {
            // A float product overflowed (or a weight is not finite): the whole run in float64, as a scalar loop has it.
            java.util.Arrays.fill(a, 0, taps, 0.0);
            sb = tail(w, off, n, taps, cm, cv, a, 0, 0);
        }
        return sb;
    }

    /**
     * One input row of a Dense weight ({@code [in, out]}: row i holds every unit's weight from input i) into per-unit
     * float partial sums: {@code pa[j] += x_j m}, {@code pb[j] += (x_j x_j) v} for {@code x_j = w[off + j]}, j in
     * {@code [0, n)}, each a float product added in float (vector lanes and the scalar tail round alike, so unit j gets
     * the same bits wherever it falls). The caller widens pa and pb into float64 every few rows.
     */
    public static void accumulateRow(float[] w, int off, int n, float m, float v, float[] pa, float[] pb) {
        if (n < 0 || off < 0 || off + n > w.length || n > pa.length || n > pb.length) {
            throw new IndexOutOfBoundsException("WeightSumsSimd: row of " + n + " at " + off + " of " + w.length + " weights, "
                    + pa.length + " and " + pb.length + " partial sums");
        }
        FloatVector mv = FloatVector.broadcast(F, m), vv = FloatVector.broadcast(F, v);
        int j = 0;
        for (int end = F.loopBound(n); j < end; j += L) {
            FloatVector x = FloatVector.fromArray(F, w, off + j);
            FloatVector.fromArray(F, pa, j).add(x.mul(mv)).intoArray(pa, j);
            FloatVector.fromArray(F, pb, j).add(x.mul(x).mul(vv)).intoArray(pb, j);
        }
        for (; j < n; j++) {
            float x = w[off + j];
            pa[j] += x * m;
            pb[j] += x * x * v;
        }
    }

    /** Entries {@code [from, n)} in float64, added to a and to {@code sb}, which is returned. */
    private static double tail(float[] w, int off, int n, int taps, float[] cm, float[] cv, double[] a, double sb, int from) {
        for (int k = from, t = from % taps; k < n; k++, t = t + 1 == taps ? 0 : t + 1) {
            double x = w[off + k];
            a[t] += x * cm[k];
            sb += x * x * cv[k];
        }
        return sb;
    }

    /** Adds lane l of float accumulator p ({@code part[p L + l]}) to {@code wide[p L + l]}. */
    static void flush(float[] part, double[] wide) {
        for (int i = 0; i < part.length; i++) {
            wide[i] += part[i];
        }
    }

    /**
     * {@code wide[i]} (entry i of a block of {@code wide.length} weights) into tap {@code i mod taps}, in order. Each
     * tap's sum is kept in a local (nine independent chains for nine taps) rather than re-read from {@code out} per
     * entry; every tap still adds its entries in increasing i, so the same bits.
     */
    static void reduce(double[] wide, int taps, double[] out) {
        if (taps == 1) {
            double s = out[0];
            for (double x : wide) {
                s += x;
            }
            out[0] = s;
            return;
        }
        // taps == 9; wide.length is 9 L
        double s0 = out[0], s1 = out[1], s2 = out[2], s3 = out[3], s4 = out[4], s5 = out[5], s6 = out[6], s7 = out[7], s8 = out[8];
        for (int i = 0; i + 9 <= wide.length; i += 9) {
            s0 += wide[i];
            s1 += wide[i + 1];
            s2 += wide[i + 2];
            s3 += wide[i + 3];
            s4 += wide[i + 4];
            s5 += wide[i + 5];
            s6 += wide[i + 6];
            s7 += wide[i + 7];
            s8 += wide[i + 8];
        }
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
        out[3] = s3;
        out[4] = s4;
        out[5] = s5;
        out[6] = s6;
        out[7] = s7;
        out[8] = s8;
    }

    /**
     * One tap: vectors alternate between two accumulators; after every 8 rounds each accumulator is reduced across its
     * lanes (in float, in lane order) and added in float64 (no scratch arrays: a 1x1 conv's runs are 64-2048 weights, and
     * spilling lanes to arrays cost more than the products). Returns the entries done.
     */
    private static int one(float[] w, int off, int n, float[] cm, float[] cv, double[] a, double[] b) {
        int block = 2 * L, rounds = n / block;
        if (rounds == 0) {
            return 0;
        }
        double sa = 0, sb = 0;
        int k = 0;
        for (int r0 = 0; r0 < rounds; r0 += 8) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), b0 = FloatVector.zero(F), b1 = FloatVector.zero(F);
            for (int r = r0, end = Math.min(rounds, r0 + 8); r < end; r++, k += block) {
                FloatVector x0 = FloatVector.fromArray(F, w, off + k);
                a0 = a0.add(x0.mul(FloatVector.fromArray(F, cm, k)));
                b0 = b0.add(x0.mul(x0).mul(FloatVector.fromArray(F, cv, k)));
                FloatVector x1 = FloatVector.fromArray(F, w, off + k + L);
                a1 = a1.add(x1.mul(FloatVector.fromArray(F, cm, k + L)));
                b1 = b1.add(x1.mul(x1).mul(FloatVector.fromArray(F, cv, k + L)));
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
     * Nine taps: vector j of a round of 9 to A's accumulator j (its lanes cover fixed taps) and to B's accumulator
     * {@code j mod 3}; A's lanes spilled to an array every 8 rounds, B's reduced across lanes. Returns the entries done.
     */
    private static int nine(float[] w, int off, int n, float[] cm, float[] cv, double[] a, double[] b) {
        int block = 9 * L, rounds = n / block;
        if (rounds == 0) {
            return 0;
        }
        float[] pa = new float[block];
        double[] wa = new double[block];
        double sb = 0;
        int k = 0;
        for (int r0 = 0; r0 < rounds; r0 += 8) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F), a4 = FloatVector.zero(F), a5 = FloatVector.zero(F), a6 = FloatVector.zero(F), a7 = FloatVector.zero(F), a8 = FloatVector.zero(F), b0 = FloatVector.zero(F), b1 = FloatVector.zero(F), b2 = FloatVector.zero(F);
            for (int r = r0, end = Math.min(rounds, r0 + 8); r < end; r++, k += block) {
                FloatVector x0 = FloatVector.fromArray(F, w, off + k);
                a0 = a0.add(x0.mul(FloatVector.fromArray(F, cm, k)));
                b0 = b0.add(x0.mul(x0).mul(FloatVector.fromArray(F, cv, k)));
                FloatVector x1 = FloatVector.fromArray(F, w, off + k + L);
                a1 = a1.add(x1.mul(FloatVector.fromArray(F, cm, k + L)));
                b1 = b1.add(x1.mul(x1).mul(FloatVector.fromArray(F, cv, k + L)));
                FloatVector x2 = FloatVector.fromArray(F, w, off + k + 2 * L);
                a2 = a2.add(x2.mul(FloatVector.fromArray(F, cm, k + 2 * L)));
                b2 = b2.add(x2.mul(x2).mul(FloatVector.fromArray(F, cv, k + 2 * L)));
                FloatVector x3 = FloatVector.fromArray(F, w, off + k + 3 * L);
                a3 = a3.add(x3.mul(FloatVector.fromArray(F, cm, k + 3 * L)));
                b0 = b0.add(x3.mul(x3).mul(FloatVector.fromArray(F, cv, k + 3 * L)));
                FloatVector x4 = FloatVector.fromArray(F, w, off + k + 4 * L);
                a4 = a4.add(x4.mul(FloatVector.fromArray(F, cm, k + 4 * L)));
                b1 = b1.add(x4.mul(x4).mul(FloatVector.fromArray(F, cv, k + 4 * L)));
                FloatVector x5 = FloatVector.fromArray(F, w, off + k + 5 * L);
                a5 = a5.add(x5.mul(FloatVector.fromArray(F, cm, k + 5 * L)));
                b2 = b2.add(x5.mul(x5).mul(FloatVector.fromArray(F, cv, k + 5 * L)));
                FloatVector x6 = FloatVector.fromArray(F, w, off + k + 6 * L);
                a6 = a6.add(x6.mul(FloatVector.fromArray(F, cm, k + 6 * L)));
                b0 = b0.add(x6.mul(x6).mul(FloatVector.fromArray(F, cv, k + 6 * L)));
                FloatVector x7 = FloatVector.fromArray(F, w, off + k + 7 * L);
                a7 = a7.add(x7.mul(FloatVector.fromArray(F, cm, k + 7 * L)));
                b1 = b1.add(x7.mul(x7).mul(FloatVector.fromArray(F, cv, k + 7 * L)));
                FloatVector x8 = FloatVector.fromArray(F, w, off + k + 8 * L);
                a8 = a8.add(x8.mul(FloatVector.fromArray(F, cm, k + 8 * L)));
                b2 = b2.add(x8.mul(x8).mul(FloatVector.fromArray(F, cv, k + 8 * L)));
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
            flush(pa, wa);
            sb += b0.reduceLanes(VectorOperators.ADD);
            sb += b1.reduceLanes(VectorOperators.ADD);
            sb += b2.reduceLanes(VectorOperators.ADD);
        }
        reduce(wa, 9, a);
        b[0] = sb;
        return k;
    }
}
