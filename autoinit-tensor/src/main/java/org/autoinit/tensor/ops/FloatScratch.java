package org.autoinit.tensor.ops;

/**
 * Per-thread float buffers reused across calls by the convolution kernels, so a training step does not allocate
 * (and the JVM zero) megabytes of temporary arrays per layer. A buffer belongs to its (thread, slot) and is
 * valid until that slot is requested again on that thread; its contents are unspecified. Each call site uses
 * its own slot, so kernels that call each other never share one.
 */
final class FloatScratch {
    static final int CONV_PLANES = 0, CONV_GRID = 1, CONV_COLUMNS = 2, CONV_CHANNEL_LAST = 3, CONV_DW_PLANES = 4, CONV_DW_DY = 5;
    static final int WINO_EVEN = 6, WINO_ODD = 10, WINO_V = 14, WINO_M = 15;
    /** Weights packed for one call (the direct product's A, dX's flipped weights, Winograd's U and its 16 packed panels). */
    static final int CONV_PACKED_W = 16, CONV_FLIPPED_W = 17, CONV_DW_T = 18, WINO_U = 19, WINO_PACKED_U = 20;
    private static final int SLOTS = WINO_PACKED_U + 16;
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[SLOTS][]);

    private FloatScratch() {}

    /** A buffer of at least {@code n} floats for {@code slot} on the calling thread (contents unspecified). */
    static float[] get(int slot, int n) {
        float[][] b = BUFFERS.get();
        float[] a = b[slot];
        if (a == null || a.length < n) {
            a = new float[n];
            b[slot] = a;
        }
        return a;
    }
}
