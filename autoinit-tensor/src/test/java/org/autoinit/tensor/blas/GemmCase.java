package org.autoinit.tensor.blas;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One GEMM problem for tests: operands at an offset inside larger arrays (with sentinel padding), in both
 * precisions, plus an independent naive reference and its rounding-error bound.
 */
final class GemmCase {
    static final double SENTINEL = 12345.0;

    final boolean ta, tb;
    final int m, n, k, aOff, bOff, cOff;
    final double beta;
    /** Operand values as stored (op(A) is m x k, stored k x m when ta), exactly representable in float. */
    final double[] a, b, c0;

    /** pad: 0 = arrays exactly the operand, 1 = small offset and tail, 2 = a slice of an array 3x larger. */
    GemmCase(long seed, boolean ta, boolean tb, int m, int n, int k, double beta, int pad) {
        this.ta = ta;
        this.tb = tb;
        this.m = m;
        this.n = n;
        this.k = k;
        this.beta = beta;
        SplittableRandom r = new SplittableRandom(seed);
        aOff = offset(pad, m * k);
        bOff = offset(pad, k * n);
        cOff = offset(pad, m * n);
        a = filled(r, aOff, m * k, pad);
        b = filled(r, bOff, k * n, pad);
        c0 = filled(r, cOff, m * n, pad);
        if (beta == 0) {
            Arrays.fill(c0, cOff, cOff + m * n, Double.NaN); // BLAS: C is not read when beta is 0
        }
    }

    private static int offset(int pad, int need) {
        return pad == 0 ? 0 : pad == 1 ? 3 : need + 1;
    }

    private static double[] filled(SplittableRandom r, int off, int need, int pad) {
        int tail = pad == 0 ? 0 : pad == 1 ? 5 : need;
        double[] x = new double[off + need + tail];
        Arrays.fill(x, SENTINEL);
        for (int i = 0; i < need; i++) x[off + i] = (float) (r.nextDouble() * 2 - 1);
        return x;
    }

    double opA(int i, int p) {
        return ta ? a[aOff + p * m + i] : a[aOff + i * k + p];
    }

    double opB(int p, int j) {
        return tb ? b[bOff + j * k + p] : b[bOff + p * n + j];
    }

    /** Reference C element in double, summed naively. */
    double expected(int i, int j) {
        double s = 0;
        for (int p = 0; p < k; p++) s += opA(i, p) * opB(p, j);
        return beta == 0 ? s : s + beta * c0[cOff + i * n + j];
    }

    /**
     * Sum of |terms| of C element (i, j); a float (u = 2^-24) or double (u = 2^-53) result is within
     * (k + 2) u times this of the exact value.
     */
    double magnitude(int i, int j) {
        double s = 0;
        for (int p = 0; p < k; p++) s += Math.abs(opA(i, p) * opB(p, j));
        return beta == 0 ? s : s + Math.abs(beta * c0[cOff + i * n + j]);
    }

    float[] af() { return toFloat(a); }
    float[] bf() { return toFloat(b); }
    float[] cf() { return toFloat(c0); }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    float[] runFloat() {
        float[] c = cf();
        Gemm.sgemm(ta, tb, m, n, k, af(), aOff, bf(), bOff, (float) beta, c, cOff);
        return c;
    }

    double[] runDouble() {
        double[] c = c0.clone();
        Gemm.dgemm(ta, tb, m, n, k, a.clone(), aOff, b.clone(), bOff, beta, c, cOff);
        return c;
    }

    @Override
    public String toString() {
        return "m=" + m + " n=" + n + " k=" + k + " transA=" + ta + " transB=" + tb + " beta=" + beta
                + " offsets=" + aOff + "/" + bOff + "/" + cOff;
    }
}
