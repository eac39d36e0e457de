package org.autoinit.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2x2 stride-2 unpadded float32 max pooling over planes {@code [lo, hi)} of {@code [N*C, H, W]}, one vector of outputs
 * at a time: each window's a, b (upper row) and c, d (lower row) come from the two input rows split into even and odd
 * columns by shuffles, and the winner is chosen by the scalar rule: start at a, move to the next value when it is
 * greater than the current winner or NaN. The backward pass chooses the same winner again from x (autodiff tensors are
 * immutable), so no argmax array is stored, and writes the gradient there and zeros in the rest of the window. Rows
 * are read in whole vectors (their ends run into the next rows, results discarded); output rows shorter than a vector
 * go through a small buffer. Call only when {@link Simd#enabled()}.
 */
public final class MaxPool2x2 {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Split (lane i takes element 2i, 2i + 1 of two vectors, upper half from the second) and zip (the inverse). */
    private static final VectorShuffle<Float> EVEN, ODD, ZIP_LO, ZIP_HI;
    private static final VectorMask<Float> UPPER, ODD_LANES;

    static {
        int[] e = new int[L], o = new int[L], lo = new int[L], hi = new int[L];
        boolean[] upper = new boolean[L], odd = new boolean[L];
        for (int i = 0; i < L; i++) {
            e[i] = 2 * i % L;
            o[i] = (2 * i + 1) % L;
            lo[i] = i / 2;
            hi[i] = L / 2 + i / 2;
            upper[i] = i >= L / 2;
            odd[i] = i % 2 == 1;
        }
        EVEN = VectorShuffle.fromArray(S, e, 0);
        ODD = VectorShuffle.fromArray(S, o, 0);
        ZIP_LO = VectorShuffle.fromArray(S, lo, 0);
        ZIP_HI = VectorShuffle.fromArray(S, hi, 0);
        UPPER = VectorMask.fromArray(S, upper, 0);
        ODD_LANES = VectorMask.fromArray(S, odd, 0);
    }

    private MaxPool2x2() {}

    /** {@code y[plane, oh, ow] = max of x[plane, 2oh..2oh+1, 2ow..2ow+1]} for outH = H / 2, outW = W / 2 (floor). */
    public static void forward(float[] x, float[] y, int h, int w, int lo, int hi) {
        int oh = h / 2, ow = w / 2;
        float[] tmp = new float[L];
        for (int plane = lo; plane < hi; plane++) {
            for (int r = 0; r < oh; r++) {
                int r0 = plane * h * w + 2 * r * w, r1 = r0 + w, yk = (plane * oh + r) * ow;
                for (int j0 = 0; j0 < ow; j0 += L) {
                    int cnt = Math.min(L, ow - j0), a0 = r0 + 2 * j0, b0 = r1 + 2 * j0;
                    if (b0 + 2 * L > x.length) {
                        forwardScalar(x, y, a0, b0, yk + j0, cnt);
                        continue;
                    }
                    FloatVector p = FloatVector.fromArray(S, x, a0), q = FloatVector.fromArray(S, x, a0 + L);
                    FloatVector a = p.rearrange(EVEN).blend(q.rearrange(EVEN), UPPER), b = p.rearrange(ODD).blend(q.rearrange(ODD), UPPER);
                    p = FloatVector.fromArray(S, x, b0);
                    q = FloatVector.fromArray(S, x, b0 + L);
                    FloatVector c = p.rearrange(EVEN).blend(q.rearrange(EVEN), UPPER), d = p.rearrange(ODD).blend(q.rearrange(ODD), UPPER);
                    FloatVector m = a.blend(b, b.compare(VectorOperators.GT, a).or(b.compare(VectorOperators.NE, b)));
                    m = m.blend(c, c.compare(VectorOperators.GT, m).or(c.compare(VectorOperators.NE, c)));
                    m = m.blend(d, d.compare(VectorOperators.GT, m).or(d.compare(VectorOperators.NE, d)));
                    if (cnt == L) {
                        m.intoArray(y, yk + j0);
                    } else {
                        m.intoArray(tmp, 0);
                        System.arraycopy(tmp, 0, y, yk + j0, cnt);
                    }
                }
            }
        }
    }

    /**
     * {@code gx} over the windows of planes {@code [lo, hi)}: gy at each window's winner, 0 at its other three entries
     * (+0, as the scalar {@code 0 + g} gives); entries outside every window (odd H or W) are left untouched.
     */
    public static void backward(float[] x, float[] gy, float[] gx, int h, int w, int lo, int hi) {
        int oh = h / 2, ow = w / 2;
        float[] t0 = new float[2 * L], t1 = new float[2 * L];
        FloatVector zero = FloatVector.zero(S);
        for (int plane = lo; plane < hi; plane++) {
            for (int r = 0; r < oh; r++) {
                int r0 = plane * h * w + 2 * r * w, r1 = r0 + w, yk = (plane * oh + r) * ow;
                for (int j0 = 0; j0 < ow; j0 += L) {
                    int cnt = Math.min(L, ow - j0), a0 = r0 + 2 * j0, b0 = r1 + 2 * j0;
                    if (b0 + 2 * L > x.length || yk + j0 + L > gy.length) {
                        backwardScalar(x, gy, gx, a0, b0, yk + j0, cnt);
                        continue;
                    }
                    FloatVector p = FloatVector.fromArray(S, x, a0), q = FloatVector.fromArray(S, x, a0 + L);
                    FloatVector a = p.rearrange(EVEN).blend(q.rearrange(EVEN), UPPER), b = p.rearrange(ODD).blend(q.rearrange(ODD), UPPER);
                    p = FloatVector.fromArray(S, x, b0);
                    q = FloatVector.fromArray(S, x, b0 + L);
                    FloatVector c = p.rearrange(EVEN).blend(q.rearrange(EVEN), UPPER), d = p.rearrange(ODD).blend(q.rearrange(ODD), UPPER);
                    VectorMask<Float> sb = b.compare(VectorOperators.GT, a).or(b.compare(VectorOperators.NE, b));
                    FloatVector m = a.blend(b, sb);
                    VectorMask<Float> sc = c.compare(VectorOperators.GT, m).or(c.compare(VectorOperators.NE, c));
                    m = m.blend(c, sc);
                    VectorMask<Float> sd = d.compare(VectorOperators.GT, m).or(d.compare(VectorOperators.NE, d));
                    // The winner: d if sd, else c if sc, else b if sb, else a.
                    VectorMask<Float> wc = sc.andNot(sd), wb = sb.andNot(sc).andNot(sd), wa = sb.or(sc).or(sd).not();
                    FloatVector g = FloatVector.fromArray(S, gy, yk + j0);
                    FloatVector ga = zero.blend(g, wa), gb = zero.blend(g, wb), gc = zero.blend(g, wc), gd = zero.blend(g, sd);
                    FloatVector u0 = ga.rearrange(ZIP_LO).blend(gb.rearrange(ZIP_LO), ODD_LANES).add(zero);
                    FloatVector u1 = ga.rearrange(ZIP_HI).blend(gb.rearrange(ZIP_HI), ODD_LANES).add(zero);
                    FloatVector v0 = gc.rearrange(ZIP_LO).blend(gd.rearrange(ZIP_LO), ODD_LANES).add(zero);
                    FloatVector v1 = gc.rearrange(ZIP_HI).blend(gd.rearrange(ZIP_HI), ODD_LANES).add(zero);
                    if (cnt == L) {
                        u0.intoArray(gx, a0);
                        u1.intoArray(gx, a0 + L);
                        v0.intoArray(gx, b0);
                        v1.intoArray(gx, b0 + L);
                    } else {
                        u0.intoArray(t0, 0);
                        u1.intoArray(t0, L);
                        v0.intoArray(t1, 0);
                        v1.intoArray(t1, L);
                        System.arraycopy(t0, 0, gx, a0, 2 * cnt);
                        System.arraycopy(t1, 0, gx, b0, 2 * cnt);
                    }
                }
            }
        }
    }

    /** The scalar rule for {@code cnt} windows (rows at a0 and b0). */
    private static void forwardScalar(float[] x, float[] y, int a0, int b0, int yk, int cnt) {
        for (int j = 0; j < cnt; j++) y[yk + j] = x[winner(x, a0 + 2 * j, b0 + 2 * j)];
    }

    private static void backwardScalar(float[] x, float[] gy, float[] gx, int a0, int b0, int yk, int cnt) {
        for (int j = 0; j < cnt; j++) {
            int a = a0 + 2 * j, c = b0 + 2 * j, win = winner(x, a, c);
            gx[a] = 0f;
            gx[a + 1] = 0f;
            gx[c] = 0f;
            gx[c + 1] = 0f;
            gx[win] = 0f + gy[yk + j];
        }
    }

    /** Index of the window's winner: a, then b, c, d each taking over when greater than the current winner or NaN. */
    private static int winner(float[] x, int a, int c) {
        int at = a;
        if (x[a + 1] > x[at] || Float.isNaN(x[a + 1])) at = a + 1;
        if (x[c] > x[at] || Float.isNaN(x[c])) at = c;
        if (x[c + 1] > x[at] || Float.isNaN(x[c + 1])) at = c + 1;
        return at;
    }
}
