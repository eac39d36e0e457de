package org.autoinit.tensor.blas;

import java.util.Arrays;

/**
 * The few precision-specific steps of {@link GemmRunner} (allocate, call a backend, scale), so its copying
 * and splitting logic, which only moves blocks with {@link System#arraycopy}, exists once for both dtypes.
 */
enum Prec {
    F32(4) {
        @Override
        Object alloc(int n) {
            return new float[n];
        }

        @Override
        boolean holds(Object array) {
            return array instanceof float[];
        }

        @Override
        void call(Blas blas, boolean ta, boolean tb, int m, int n, int k, Object a, int aOff, Object b, int bOff,
                  double beta, Object c, int cOff) {
            blas.sgemm(ta, tb, m, n, k, (float[]) a, aOff, (float[]) b, bOff, (float) beta, (float[]) c, cOff);
        }

        @Override
        void java(int m, int n, int k, Object a, int aOff, int ars, int acs, Object b, int bOff, int brs, int bcs,
                  double beta, Object c, int cOff, int crs) {
            JavaSgemm.gemm(m, n, k, (float[]) a, aOff, ars, acs, (float[]) b, bOff, brs, bcs, (float) beta, (float[]) c, cOff, crs, 1);
        }

        @Override
        void scale(Object array, int from, int to, double beta) {
            float[] c = (float[]) array;
            float s = (float) beta;
            if (s == 0f) {
                Arrays.fill(c, from, to, 0f);
            } else {
                for (int i = from; i < to; i++) c[i] *= s;
            }
        }
    },
    F64(8) {
        @Override
        Object alloc(int n) {
            return new double[n];
        }

        @Override
        boolean holds(Object array) {
            return array instanceof double[];
        }

        @Override
        void call(Blas blas, boolean ta, boolean tb, int m, int n, int k, Object a, int aOff, Object b, int bOff,
                  double beta, Object c, int cOff) {
            blas.dgemm(ta, tb, m, n, k, (double[]) a, aOff, (double[]) b, bOff, beta, (double[]) c, cOff);
        }

        @Override
        void java(int m, int n, int k, Object a, int aOff, int ars, int acs, Object b, int bOff, int brs, int bcs,
                  double beta, Object c, int cOff, int crs) {
            JavaDgemm.gemm(m, n, k, (double[]) a, aOff, ars, acs, (double[]) b, bOff, brs, bcs, beta, (double[]) c, cOff, crs, 1);
        }

        @Override
        void scale(Object array, int from, int to, double beta) {
            double[] c = (double[]) array;
            if (beta == 0) {
                Arrays.fill(c, from, to, 0.0);
            } else {
                for (int i = from; i < to; i++) c[i] *= beta;
            }
        }
    };

    final int bytes;

    Prec(int bytes) {
        this.bytes = bytes;
    }

    abstract Object alloc(int n);

    abstract boolean holds(Object array);

    /** {@code blas.sgemm/dgemm} with this precision's array types (beta is exact for float32: it came from a float). */
    abstract void call(Blas blas, boolean ta, boolean tb, int m, int n, int k, Object a, int aOff, Object b, int bOff,
                       double beta, Object c, int cOff);

    /** The pure-Java strided kernel, C with row stride {@code crs} and unit column stride. */
    abstract void java(int m, int n, int k, Object a, int aOff, int ars, int acs, Object b, int bOff, int brs, int bcs,
                       double beta, Object c, int cOff, int crs);

    /** {@code c[from, to) *= beta}, writing zeros when beta is 0 (BLAS: C is not read then). */
    abstract void scale(Object c, int from, int to, double beta);
}
