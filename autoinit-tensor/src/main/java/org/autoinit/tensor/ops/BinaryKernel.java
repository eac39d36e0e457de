package org.autoinit.tensor.ops;

/**
 * Inner loop of an elementwise binary op over one run of {@code n} outputs, with input strides 0
 * (broadcast) or 1. One virtual call per run, not per element, so the loops stay JIT-friendly; the float32
 * add, subtract and multiply have unit-stride branches C2 can vectorize (variable strides defeat it).
 */
public abstract class BinaryKernel {
    public abstract void f(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n);

    public abstract void d(double[] a, int ai, int as, double[] b, int bi, int bs, double[] o, int oi, int n);

    public static final BinaryKernel ADD = new BinaryKernel() {
        public void f(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
            if (as == 1 && bs == 1) {
                for (int i = 0; i < n; i++) o[oi + i] = a[ai + i] + b[bi + i];
            } else if (as == 1 && bs == 0) {
                float c = b[bi];
                for (int i = 0; i < n; i++) o[oi + i] = a[ai + i] + c;
            } else {
                for (int i = 0; i < n; i++) o[oi + i] = a[ai + i * as] + b[bi + i * bs];
            }
        }
        public void d(double[] a, int ai, int as, double[] b, int bi, int bs, double[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = a[ai + i * as] + b[bi + i * bs];
        }
    };

    public static final BinaryKernel SUB = new BinaryKernel() {
        public void f(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
            if (as == 1 && bs == 1) {
                for (int i = 0; i < n; i++) o[oi + i] = a[ai + i] - b[bi + i];
            } else if (as == 1 && bs == 0) {
                float c = b[bi];
                for (int i = 0; i < n; i++) o[oi + i] = a[ai + i] - c;
            } else {
                for (int i = 0; i < n; i++) o[oi + i] = a[ai + i * as] - b[bi + i * bs];
            }
        }
        public void d(double[] a, int ai, int as, double[] b, int bi, int bs, double[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = a[ai + i * as] - b[bi + i * bs];
        }
    };

    public static final BinaryKernel MUL = new BinaryKernel() {
        public void f(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
            if (as == 1 && bs == 1) {
                for (int i = 0; i < n; i++) o[oi + i] = a[ai + i] * b[bi + i];
            } else if (as == 1 && bs == 0) {
                float c = b[bi];
                for (int i = 0; i < n; i++) o[oi + i] = a[ai + i] * c;
            } else {
                for (int i = 0; i < n; i++) o[oi + i] = a[ai + i * as] * b[bi + i * bs];
            }
        }
        public void d(double[] a, int ai, int as, double[] b, int bi, int bs, double[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = a[ai + i * as] * b[bi + i * bs];
        }
    };

    public static final BinaryKernel DIV = new BinaryKernel() {
        public void f(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = a[ai + i * as] / b[bi + i * bs];
        }
        public void d(double[] a, int ai, int as, double[] b, int bi, int bs, double[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = a[ai + i * as] / b[bi + i * bs];
        }
    };

    public static final BinaryKernel POW = new BinaryKernel() {
        public void f(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = (float) Math.pow(a[ai + i * as], b[bi + i * bs]);
        }
        public void d(double[] a, int ai, int as, double[] b, int bi, int bs, double[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = Math.pow(a[ai + i * as], b[bi + i * bs]);
        }
    };

    public static final BinaryKernel MAX = new BinaryKernel() {
        public void f(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = Math.max(a[ai + i * as], b[bi + i * bs]);
        }
        public void d(double[] a, int ai, int as, double[] b, int bi, int bs, double[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = Math.max(a[ai + i * as], b[bi + i * bs]);
        }
    };

    public static final BinaryKernel MIN = new BinaryKernel() {
        public void f(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = Math.min(a[ai + i * as], b[bi + i * bs]);
        }
        public void d(double[] a, int ai, int as, double[] b, int bi, int bs, double[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = Math.min(a[ai + i * as], b[bi + i * bs]);
        }
    };

    /** 1 where a > b, 0 elsewhere (a mask; not differentiable). */
    public static final BinaryKernel GT = new BinaryKernel() {
        public void f(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = a[ai + i * as] > b[bi + i * bs] ? 1f : 0f;
        }
        public void d(double[] a, int ai, int as, double[] b, int bi, int bs, double[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = a[ai + i * as] > b[bi + i * bs] ? 1 : 0;
        }
    };

    /** 1 where a == b, 0 elsewhere (a mask; not differentiable). */
    public static final BinaryKernel EQ = new BinaryKernel() {
        public void f(float[] a, int ai, int as, float[] b, int bi, int bs, float[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = a[ai + i * as] == b[bi + i * bs] ? 1f : 0f;
        }
        public void d(double[] a, int ai, int as, double[] b, int bi, int bs, double[] o, int oi, int n) {
            for (int i = 0; i < n; i++) o[oi + i] = a[ai + i * as] == b[bi + i * bs] ? 1 : 0;
        }
    };
}
