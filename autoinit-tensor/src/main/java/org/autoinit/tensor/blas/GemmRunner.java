package org.autoinit.tensor.blas;

import java.lang.reflect.Array;

import org.autoinit.tensor.parallel.Parallel;

/**
 * How {@link Gemm} runs one validated product on a backend: directly on the calling thread when small,
 * else split over {@link Parallel#threads()} threads along m or n (the larger; each thread keeps the other
 * operand whole).
 *
 * <p>The pure-Java backend writes each thread's block of C in place. Other backends (jblas) copy every Java
 * array they are given in full, and copy C back in full: so each thread computes into its own output
 * block (two threads writing disjoint blocks of one array would overwrite each other's results), operands
 * that are small slices of large arrays are first copied into exact-size per-thread scratch arrays, and each
 * thread gets only its slice of the split operand.
 */
final class GemmRunner {
    /** m*n*k from which a native product is split (below, thread hand-off and copies cost more than they save). */
    static final long NATIVE_SPLIT_WORK = 1L << 22;
    /** m*n*k from which a pure-Java product is split (its kernel is slower, so splitting pays off earlier). */
    static final long JAVA_SPLIT_WORK = 1L << 19;
    /** m*n*k from which a Vector API product is split (about 20 microseconds of work on one core). */
    static final long VECTOR_SPLIT_WORK = 1L << 21;
    /** Smallest block of rows or columns given to one thread. */
    static final int MIN_BLOCK = 64;
    /** Block boundaries are multiples of this, to keep kernels on their full-width paths. */
    private static final int ALIGN = 16;

    private GemmRunner() {}

    static void run(Prec p, Blas blas, boolean ta, boolean tb, int m, int n, int k, Object a, int aOff, Object b, int bOff,
                    double beta, Object c, int cOff) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            p.scale(c, cOff, cOff + m * n, beta);
            return;
        }
        if (blas instanceof VectorBlas v) {
            if (p == Prec.F32) {
                runInPlace(p, true, chunks(VECTOR_SPLIT_WORK, m, n, k), ta, tb, m, n, k, a, aOff, b, bOff, beta, c, cOff);
                return;
            }
            blas = v.doubles();
        }
        boolean java = blas instanceof JavaBlas;
        int chunks = Math.min(blas.maxConcurrentCalls(), chunks(java ? JAVA_SPLIT_WORK : NATIVE_SPLIT_WORK, m, n, k));
        if (java) {
            runInPlace(p, false, chunks, ta, tb, m, n, k, a, aOff, b, bOff, beta, c, cOff);
            return;
        }
        Scratch s = Scratch.get();
        int mark = s.mark();
        try {
            if (chunks == 1) {
                direct(p, blas, s, ta, tb, m, n, k, a, aOff, b, bOff, beta, c, cOff);
            } else if (m >= n) {
                splitRows(p, blas, chunks, ta, tb, m, n, k, a, aOff, b, bOff, beta, c, cOff);
            } else {
                splitColumns(p, blas, chunks, ta, tb, m, n, k, a, aOff, b, bOff, beta, c, cOff);
            }
        } finally {
            s.release(mark);
        }
    }

    /** Number of threads for a product: 1 below the work threshold or inside a worker (no nested splitting). */
    static int chunks(long threshold, int m, int n, int k) {
        if ((long) m * n * k < threshold || Parallel.inWorker()) {
            return 1;
        }
        return Math.max(1, Math.min(Parallel.threads(), Math.max(m, n) / MIN_BLOCK));
    }

    /** Start of block {@code c} of {@code chunks} over {@code [0, d)}, aligned; block {@code chunks} starts at d. */
    static int bound(int c, int chunks, int d) {
        if (c >= chunks) {
            return d;
        }
        long raw = (long) d * c / chunks;
        return (int) Math.min(d, (raw + ALIGN / 2) / ALIGN * ALIGN);
    }

    private static void runInPlace(Prec p, boolean vector, int chunks, boolean ta, boolean tb, int m, int n, int k,
                                   Object a, int aOff, Object b, int bOff, double beta, Object c, int cOff) {
        int ars = ta ? 1 : k, acs = ta ? m : 1, brs = tb ? 1 : n, bcs = tb ? k : 1;
        if (chunks == 1) {
            inPlace(p, vector, m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, beta, c, cOff, n);
        } else if (m >= n) {
            Parallel.forChunks(chunks, ch -> {
                int i0 = bound(ch, chunks, m), i1 = bound(ch + 1, chunks, m);
                inPlace(p, vector, i1 - i0, n, k, a, aOff + i0 * ars, ars, acs, b, bOff, brs, bcs, beta, c, cOff + i0 * n, n);
            });
        } else {
            Parallel.forChunks(chunks, ch -> {
                int j0 = bound(ch, chunks, n), j1 = bound(ch + 1, chunks, n);
                inPlace(p, vector, m, j1 - j0, k, a, aOff, ars, acs, b, bOff + j0 * bcs, brs, bcs, beta, c, cOff + j0, n);
            });
        }
    }

    /** One in-place product on the calling thread: the Vector API kernel (float32) or the pure-Java one. */
    private static void inPlace(Prec p, boolean vector, int m, int n, int k, Object a, int aOff, int ars, int acs,
                                Object b, int bOff, int brs, int bcs, double beta, Object c, int cOff, int crs) {
        if (vector) {
            VectorSgemm.gemm(m, n, k, (float[]) a, aOff, ars, acs, (float[]) b, bOff, brs, bcs, (float) beta, (float[]) c, cOff, crs);
        } else {
            p.java(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, beta, c, cOff, crs);
        }
    }

    /** True when handing {@code arr} to a copying backend would copy much more than the {@code need} elements used. */
    private static boolean wasteful(Object arr, int need) {
        return Array.getLength(arr) - need > need / 4;
    }

    private static void direct(Prec p, Blas blas, Scratch s, boolean ta, boolean tb, int m, int n, int k,
                               Object a, int aOff, Object b, int bOff, double beta, Object c, int cOff) {
        if (wasteful(a, m * k)) {
            a = s.copy(p, a, aOff, m * k);
            aOff = 0;
        }
        if (wasteful(b, k * n)) {
            b = s.copy(p, b, bOff, k * n);
            bOff = 0;
        }
        int mn = m * n;
        if (cOff == 0 && Array.getLength(c) == mn) {
            p.call(blas, ta, tb, m, n, k, a, aOff, b, bOff, beta, c, 0);
            return;
        }
        // Any other part of C could be written concurrently by another thread; the backend's full copy-back
        // would undo that, so it only ever sees an array holding exactly this block.
        Object cc = beta == 0 ? s.take(p, mn) : s.copy(p, c, cOff, mn);
        p.call(blas, ta, tb, m, n, k, a, aOff, b, bOff, beta, cc, 0);
        System.arraycopy(cc, 0, c, cOff, mn);
    }

    /** Threads take blocks of rows of C: their rows of op(A), all of op(B), a private C block. */
    private static void splitRows(Prec p, Blas blas, int chunks, boolean ta, boolean tb, int m, int n, int k,
                                  Object a, int aOff, Object b, int bOff, double beta, Object c, int cOff) {
        Object bs = wasteful(b, k * n) ? Scratch.get().copy(p, b, bOff, k * n) : b;
        int bo = bs == b ? bOff : 0;
        Parallel.forChunks(chunks, ch -> {
            Scratch s = Scratch.get();
            int mark = s.mark();
            try {
                int i0 = bound(ch, chunks, m), rows = bound(ch + 1, chunks, m) - i0;
                Object as;
                if (!ta) {
                    as = s.copy(p, a, aOff + i0 * k, rows * k);
                } else { // stored k x m: gather columns i0.. of every row, keeping the transposed layout
                    as = s.take(p, k * rows);
                    for (int q = 0; q < k; q++) System.arraycopy(a, aOff + q * m + i0, as, q * rows, rows);
                }
                int at = cOff + i0 * n;
                Object cc = beta == 0 ? s.take(p, rows * n) : s.copy(p, c, at, rows * n);
                p.call(blas, ta, tb, rows, n, k, as, 0, bs, bo, beta, cc, 0);
                System.arraycopy(cc, 0, c, at, rows * n);
            } finally {
                s.release(mark);
            }
        });
    }

    /** Threads take blocks of columns of C: all of op(A), their columns of op(B), a private C block. */
    private static void splitColumns(Prec p, Blas blas, int chunks, boolean ta, boolean tb, int m, int n, int k,
                                     Object a, int aOff, Object b, int bOff, double beta, Object c, int cOff) {
        Object as = wasteful(a, m * k) ? Scratch.get().copy(p, a, aOff, m * k) : a;
        int ao = as == a ? aOff : 0;
        Parallel.forChunks(chunks, ch -> {
            Scratch s = Scratch.get();
            int mark = s.mark();
            try {
                int j0 = bound(ch, chunks, n), cols = bound(ch + 1, chunks, n) - j0;
                Object bs;
                if (tb) { // stored n x k: rows j0.. are contiguous
                    bs = s.copy(p, b, bOff + j0 * k, cols * k);
                } else {
                    bs = s.take(p, k * cols);
                    for (int q = 0; q < k; q++) System.arraycopy(b, bOff + q * n + j0, bs, q * cols, cols);
                }
                Object cc = s.take(p, m * cols);
                if (beta != 0) {
                    for (int i = 0; i < m; i++) System.arraycopy(c, cOff + i * n + j0, cc, i * cols, cols);
                }
                p.call(blas, ta, tb, m, cols, k, as, ao, bs, 0, beta, cc, 0);
                for (int i = 0; i < m; i++) System.arraycopy(cc, i * cols, c, cOff + i * n + j0, cols);
            } finally {
                s.release(mark);
            }
        });
    }
}
