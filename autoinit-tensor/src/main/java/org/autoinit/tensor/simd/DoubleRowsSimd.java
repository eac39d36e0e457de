package org.autoinit.tensor.simd;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rows of a float64 matrix times a short-and-wide one, {@code c[j][x] = sum_t a[j][t] b[t][x]} ({@code a} rows of q,
 * {@code b} q rows of n, {@code c} rows of n, all row-major), on double vectors: AutoInit's per-position conv statistics
 * (weights times the gathered input map, n = a few dozen position classes). Every output entry is one chain of fused
 * multiply-adds over t in increasing order, starting from 0, whether it sits in a vector lane or in the scalar tail
 * ({@link Math#fma}): the bits depend on neither the blocking nor the rows a caller's thread is given. Blocks of
 * 4 rows by 2 vectors keep 8 accumulators in registers (each b vector loaded once per 4 rows). One method body per
 * block shape, no vectors passed to helpers (C2 compiles them to vector code only then).
 */
public final class DoubleRowsSimd {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int L = D.length();

    private DoubleRowsSimd() {}

    /** Doubles per vector: a row length {@code n} that is a multiple of it has no scalar tail. */
    public static int lanes() {
        return L;
    }

    /** Rows {@code [from, to)} of {@code c = a b}: a at {@code aOff} ({@code [*, q]}), b at {@code bOff} ({@code [q, n]}), c at {@code cOff} ({@code [*, n]}). */
    public static void product(double[] a, int aOff, int q, double[] b, int bOff, int n, double[] c, int cOff, int from, int to) {
        if (q < 0 || n < 0 || from < 0 || to < from || aOff < 0 || bOff < 0 || cOff < 0 || (long) aOff + (long) to * q > a.length
                || (long) bOff + (long) q * n > b.length || (long) cOff + (long) to * n > c.length) {
            throw new IndexOutOfBoundsException("DoubleRowsSimd: rows [" + from + ", " + to + ") of [*, " + q + "] x [" + q + ", " + n + "] with "
                    + a.length + ", " + b.length + ", " + c.length + " entries");
        }
        int j = from;
        for (; j + 4 <= to; j += 4) {
            int x = 0;
            for (; x + 2 * L <= n; x += 2 * L) {
                four2(a, aOff + j * q, q, b, bOff + x, n, c, cOff + j * n + x);
            }
            for (; x + L <= n; x += L) {
                four1(a, aOff + j * q, q, b, bOff + x, n, c, cOff + j * n + x);
            }
            for (int r = 0; r < 4; r++) {
                tail(a, aOff + (j + r) * q, q, b, bOff, n, c, cOff + (j + r) * n, x);
            }
        }
        for (; j < to; j++) {
            int x = 0;
            for (; x + L <= n; x += L) {
                one1(a, aOff + j * q, q, b, bOff + x, n, c, cOff + j * n + x);
            }
            tail(a, aOff + j * q, q, b, bOff, n, c, cOff + j * n, x);
        }
    }

    /** Four rows (a at ai, stride q) by two vectors of columns (b at bi, stride n), into c at ci (stride n). */
    private static void four2(double[] a, int ai, int q, double[] b, int bi, int n, double[] c, int ci) {
        DoubleVector c00 = DoubleVector.zero(D), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int t = 0, bt = bi; t < q; t++, bt += n) {
            DoubleVector b0 = DoubleVector.fromArray(D, b, bt), b1 = DoubleVector.fromArray(D, b, bt + L);
            DoubleVector x0 = DoubleVector.broadcast(D, a[ai + t]), x1 = DoubleVector.broadcast(D, a[ai + q + t]);
            DoubleVector x2 = DoubleVector.broadcast(D, a[ai + 2 * q + t]), x3 = DoubleVector.broadcast(D, a[ai + 3 * q + t]);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + n);
        c11.intoArray(c, ci + n + L);
        c20.intoArray(c, ci + 2 * n);
        c21.intoArray(c, ci + 2 * n + L);
        c30.intoArray(c, ci + 3 * n);
        c31.intoArray(c, ci + 3 * n + L);
    }

    /** Four rows by one vector of columns. */
    private static void four1(double[] a, int ai, int q, double[] b, int bi, int n, double[] c, int ci) {
        DoubleVector c0 = DoubleVector.zero(D), c1 = c0, c2 = c0, c3 = c0;
        for (int t = 0, bt = bi; t < q; t++, bt += n) {
            DoubleVector b0 = DoubleVector.fromArray(D, b, bt);
            c0 = DoubleVector.broadcast(D, a[ai + t]).fma(b0, c0);
            c1 = DoubleVector.broadcast(D, a[ai + q + t]).fma(b0, c1);
            c2 = DoubleVector.broadcast(D, a[ai + 2 * q + t]).fma(b0, c2);
            c3 = DoubleVector.broadcast(D, a[ai + 3 * q + t]).fma(b0, c3);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + n);
        c2.intoArray(c, ci + 2 * n);
        c3.intoArray(c, ci + 3 * n);
    }

    /** One row by one vector of columns. */
    private static void one1(double[] a, int ai, int q, double[] b, int bi, int n, double[] c, int ci) {
        DoubleVector c0 = DoubleVector.zero(D);
        for (int t = 0, bt = bi; t < q; t++, bt += n) {
            c0 = DoubleVector.broadcast(D, a[ai + t]).fma(DoubleVector.fromArray(D, b, bt), c0);
        }
        c0.intoArray(c, ci);
    }

    /** Columns {@code [from, n)} of one row, scalar, in the same fused order as the vector lanes. */
    private static void tail(double[] a, int ai, int q, double[] b, int bOff, int n, double[] c, int ci, int from) {
        for (int x = from; x < n; x++) {
            double s = 0;
            for (int t = 0, bt = bOff + x; t < q; t++, bt += n) {
                s = Math.fma(a[ai + t], b[bt], s);
            }
            c[ci + x] = s;
        }
    }
    /**
     * As {@link #product(double[], int, int, double[], int, int, double[], int, int, int)} with {@code a[j][t]} read
     * from float entries widened to double, squared in double when {@code square} (exact: 24-bit mantissas): the same
     * bits as widening (and squaring) into a double array first, without that array (AutoInit's float32 weights).
     */
    public static void product(float[] a, boolean square, int aOff, int q, double[] b, int bOff, int n, double[] c, int cOff, int from, int to) {
        if (q < 0 || n < 0 || from < 0 || to < from || aOff < 0 || bOff < 0 || cOff < 0 || (long) aOff + (long) to * q > a.length
                || (long) bOff + (long) q * n > b.length || (long) cOff + (long) to * n > c.length) {
            throw new IndexOutOfBoundsException("DoubleRowsSimd: rows [" + from + ", " + to + ") of [*, " + q + "] x [" + q + ", " + n + "] with "
                    + a.length + ", " + b.length + ", " + c.length + " entries");
        }
        int j = from;
        for (; j + 4 <= to; j += 4) {
            int x = 0;
            for (; x + 2 * L <= n; x += 2 * L) {
                four2(a, square, aOff + j * q, q, b, bOff + x, n, c, cOff + j * n + x);
            }
            for (; x + L <= n; x += L) {
                four1(a, square, aOff + j * q, q, b, bOff + x, n, c, cOff + j * n + x);
            }
            for (; x < n; x++) {
                for (int r = 0; r < 4; r++) {
                    c[cOff + (j + r) * n + x] = entry(a, square, aOff + (j + r) * q, q, b, bOff + x, n);
                }
            }
        }
        for (; j < to; j++) {
            for (int x = 0; x < n; x++) {
                c[cOff + j * n + x] = entry(a, square, aOff + j * q, q, b, bOff + x, n);
            }
        }
    }

    /** {@link #four2} on widened (squared) float entries. */
    private static void four2(float[] a, boolean square, int ai, int q, double[] b, int bi, int n, double[] c, int ci) {
        DoubleVector c00 = DoubleVector.zero(D), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int t = 0, bt = bi; t < q; t++, bt += n) {
            double a0 = a[ai + t], a1 = a[ai + q + t], a2 = a[ai + 2 * q + t], a3 = a[ai + 3 * q + t];
            if (square) {
                a0 *= a0;
                a1 *= a1;
                a2 *= a2;
                a3 *= a3;
            }
            DoubleVector b0 = DoubleVector.fromArray(D, b, bt), b1 = DoubleVector.fromArray(D, b, bt + L);
            DoubleVector x0 = DoubleVector.broadcast(D, a0), x1 = DoubleVector.broadcast(D, a1);
            DoubleVector x2 = DoubleVector.broadcast(D, a2), x3 = DoubleVector.broadcast(D, a3);
            c00 = x0.fma(b0, c00);
            c01 = x0.fma(b1, c01);
            c10 = x1.fma(b0, c10);
            c11 = x1.fma(b1, c11);
            c20 = x2.fma(b0, c20);
            c21 = x2.fma(b1, c21);
            c30 = x3.fma(b0, c30);
            c31 = x3.fma(b1, c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + L);
        c10.intoArray(c, ci + n);
        c11.intoArray(c, ci + n + L);
        c20.intoArray(c, ci + 2 * n);
        c21.intoArray(c, ci + 2 * n + L);
        c30.intoArray(c, ci + 3 * n);
        c31.intoArray(c, ci + 3 * n + L);
    }

    /** {@link #four1} on widened (squared) float entries. */
    private static void four1(float[] a, boolean square, int ai, int q, double[] b, int bi, int n, double[] c, int ci) {
        DoubleVector c0 = DoubleVector.zero(D), c1 = c0, c2 = c0, c3 = c0;
        for (int t = 0, bt = bi; t < q; t++, bt += n) {
            double a0 = a[ai + t], a1 = a[ai + q + t], a2 = a[ai + 2 * q + t], a3 = a[ai + 3 * q + t];
            if (square) {
                a0 *= a0;
                a1 *= a1;
                a2 *= a2;
                a3 *= a3;
            }
            DoubleVector b0 = DoubleVector.fromArray(D, b, bt);
            c0 = DoubleVector.broadcast(D, a0).fma(b0, c0);
            c1 = DoubleVector.broadcast(D, a1).fma(b0, c1);
            c2 = DoubleVector.broadcast(D, a2).fma(b0, c2);
            c3 = DoubleVector.broadcast(D, a3).fma(b0, c3);
        }
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + n);
        c2.intoArray(c, ci + 2 * n);
        c3.intoArray(c, ci + 3 * n);
    }

    /** One entry, scalar: the same fused chain as a vector lane. */
    private static double entry(float[] a, boolean square, int ai, int q, double[] b, int bi, int n) {
        double s = 0;
        for (int t = 0, bt = bi; t < q; t++, bt += n) {
            double x = a[ai + t];
            s = Math.fma(square ? x * x : x, b[bt], s);
        }
        return s;
    }
}
