package org.autoinit.tensor.blas;

import java.lang.reflect.Array;
import java.util.ArrayList;

/**
 * Per-thread reusable arrays for GEMM operand slices and private output blocks. Arrays are matched by exact
 * length because jblas copies whole Java arrays in and out of native memory: a larger scratch array would
 * cost that extra copying on every call. Borrowing is stack-like ({@link #mark()} / {@link #release(int)}),
 * so nested users on one thread (a split GEMM's caller, then its own chunk) never get the same array.
 * A few recently released arrays (bounded in count and bytes) are kept for the next call of the same shape.
 */
final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);
    private static final int MAX_KEPT = 8;
    private static final long MAX_KEPT_BYTES = 64L << 20;

    private final ArrayList<Object> borrowed = new ArrayList<>();
    /** Released arrays, least recently used first. */
    private final ArrayList<Object> kept = new ArrayList<>();
    private long keptBytes;

    private Scratch() {}

    /** The calling thread's scratch. */
    static Scratch get() {
        return LOCAL.get();
    }

    /** Position to {@link #release(int)} back to. */
    int mark() {
        return borrowed.size();
    }

    /** An array of exactly {@code len} elements (contents unspecified), borrowed until the matching release. */
    Object take(Prec p, int len) {
        for (int i = kept.size() - 1; i >= 0; i--) {
            Object x = kept.get(i);
            if (p.holds(x) && Array.getLength(x) == len) {
                kept.remove(i);
                keptBytes -= (long) len * p.bytes;
                borrowed.add(x);
                return x;
            }
        }
        Object x = p.alloc(len);
        borrowed.add(x);
        return x;
    }

    /** A borrowed copy of {@code src[off, off + len)}. */
    Object copy(Prec p, Object src, int off, int len) {
        Object x = take(p, len);
        System.arraycopy(src, off, x, 0, len);
        return x;
    }

    /** Returns every array borrowed since {@code mark} to the pool. */
    void release(int mark) {
        while (borrowed.size() > mark) {
            Object x = borrowed.remove(borrowed.size() - 1);
            long bytes = (long) Array.getLength(x) * (x instanceof float[] ? 4 : 8);
            if (bytes > MAX_KEPT_BYTES / 2) {
                continue; // too big to hold on to between calls
            }
            kept.add(x);
            keptBytes += bytes;
        }
        while (kept.size() > MAX_KEPT || keptBytes > MAX_KEPT_BYTES) {
            Object x = kept.remove(0);
            keptBytes -= (long) Array.getLength(x) * (x instanceof float[] ? 4 : 8);
        }
    }
}
