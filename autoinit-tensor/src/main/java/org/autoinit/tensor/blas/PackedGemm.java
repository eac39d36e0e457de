package org.autoinit.tensor.blas;

/**
 * float32 products whose operands are packed by the caller, on the Vector API kernel: for implicit matrices
 * that are never materialized (convolution patches read straight from the image), and for a left operand
 * packed once and reused over many products (a convolution's weights over the batch). Use only when
 * {@link #available()}; everything else should call {@link Gemm}.
 *
 * <p>Packed layouts ({@link #mr()} x k panels of A, k x {@link #nr()} panels of B, zero padded):
 * <ul>
 * <li>A rows {@code [i0, i0+mc)}, k range {@code [p0, p0+kc)}: panel q (rows {@code i0 + q*MR ..}) starts at
 * {@code off + q*MR*kc}; element (row i0 + q*MR + r, k index p0 + p) is at {@code + p*MR + r}.</li>
 * <li>B k range {@code [p0, p0+kc)}, columns {@code [j0, j0+nc)}: panel q (columns {@code j0 + q*NR ..})
 * starts at {@code q*NR*kc}; element (k index p0 + p, column j0 + q*NR + j) is at {@code + p*NR + j}.</li>
 * </ul>
 * Rows past {@code mc} and columns past {@code nc} in the last panel must be written as zeros.
 */
public final class PackedGemm {
    private PackedGemm() {}

    /** Fills a packed block of A (see the class comment). */
    @FunctionalInterface
    public interface APack {
        void pack(int i0, int mc, int p0, int kc, float[] ap, int off);
    }

    /** Fills a packed block of B (see the class comment). */
    @FunctionalInterface
    public interface BPack {
        void pack(int p0, int kc, int j0, int nc, float[] bp);
    }

    /** True when float32 products run on the Vector API kernel (the backend is {@link VectorBlas}). */
    public static boolean available() {
        return Gemm.backend() instanceof VectorBlas;
    }

    /** Rows per A panel. */
    public static int mr() {
        return VectorSgemm.MR;
    }

    /** Columns per B panel (two vectors). */
    public static int nr() {
        return VectorSgemm.NR;
    }

    /** Most k indices a packer is asked for at once. */
    public static int maxKc() {
        return VectorSgemm.KC;
    }

    /** Length of the k slices {@link #prepackA} packs (and every product uses) for a depth of k: slice s starts at s times this. */
    public static int kBlock(int k) {
        return VectorSgemm.kBlock(k);
    }

    /** Rows of A padded to whole {@link #mr()} panels: a prepacked slice starting at k index p0 is at {@code p0 * paddedRows(m)}. */
    public static int paddedRows(int m) {
        return VectorSgemm.paddedRows(m);
    }

    /** Most columns of B a packer is asked for at once. */
    public static int maxNc() {
        return VectorSgemm.NC;
    }

    /** {@code C = A B + beta C}, C row-major from {@code cOff} with row stride {@code crs}; on the calling thread. */
    public static void gemm(int m, int n, int k, APack a, BPack b, float beta, float[] c, int cOff, int crs) {
        VectorSgemm.gemm(m, n, k, a, b, beta, c, cOff, crs);
    }

    /** All of A (m x k, m up to a few hundred) packed once for {@link #gemm(int, int, int, float[], BPack, float, float[], int, int)}. */
    public static float[] prepackA(int m, int k, APack a) {
        return VectorSgemm.prepackA(m, k, a);
    }

    /**
     * {@link #prepackA(int, int, APack)} into {@code ap}, at least {@code paddedRows(m) * k} floats long (a buffer reused
     * from call to call: every entry the products read is written, padding rows as zeros). Returns {@code ap}.
     */
    public static float[] prepackA(int m, int k, APack a, float[] ap) {
        return VectorSgemm.prepackA(m, k, a, ap);
    }

    /** {@code C = A B + beta C} with A from {@link #prepackA} (same m and k); on the calling thread. */
    public static void gemm(int m, int n, int k, float[] packedA, BPack b, float beta, float[] c, int cOff, int crs) {
        VectorSgemm.gemmPrepacked(m, n, k, packedA, b, beta, c, cOff, crs);
    }

    /**
     * {@code C = A B + beta C} on strided operands (element (i, p) of A at {@code a[aOff + i*ars + p*acs]}, B likewise,
     * C row-major with row stride {@code crs}), on the calling thread; a row-major A ({@code acs == 1}) is read in place.
     */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int ars, int acs, float[] b, int bOff, int brs, int bcs,
                            float beta, float[] c, int cOff, int crs) {
        VectorSgemm.gemm(m, n, k, a, aOff, ars, acs, b, bOff, brs, bcs, beta, c, cOff, crs);
    }

    /**
     * {@code C = A B} with both operands already packed: A from {@link #prepackA} and B as the class comment's
     * panels for all n columns and all k (panel q at {@code packedB[bOff + q*NR*k]}); k must be at most {@link #maxKc()}.
     * For producers that write B straight into panels (Winograd transforms); on the calling thread.
     */
    public static void gemmPacked(int m, int n, int k, float[] packedA, float[] packedB, int bOff, float[] c, int cOff, int crs) {
        VectorSgemm.gemmPacked(m, n, k, packedA, packedB, bOff, c, cOff, crs);
    }

    /**
     * {@code C = A B} with A from {@link #prepackA} and B as {@link #shiftedRowsB}{@code (src, base, rowStart, n)}, but
     * read in place by the micro-kernel instead of packed (same sums, same order); on the calling thread.
     */
    public static void gemmShiftedRows(int m, int n, int k, float[] packedA, float[] src, int base, int[] rowStart,
                                       float[] c, int cOff, int crs) {
        VectorSgemm.gemmShiftedRows(m, n, k, packedA, src, base, rowStart, c, cOff, crs);
    }

    /** A packer for a strided A: element (i, p) at {@code a[off + i*rs + p*cs]}. */
    public static APack stridedA(float[] a, int off, int rs, int cs) {
        return (i0, mc, p0, kc, ap, apOff) -> VectorSgemm.packA(mc, kc, a, off + i0 * rs + p0 * cs, rs, cs, ap, apOff);
    }

    /** A packer for a strided B: element (p, j) at {@code b[off + p*rs + j*cs]}. */
    public static BPack stridedB(float[] b, int off, int rs, int cs) {
        return (p0, kc, j0, nc, bp) -> VectorSgemm.packB(kc, nc, b, off + p0 * rs + j0 * cs, rs, cs, bp);
    }

    /**
     * B whose row p is a run of {@code src}: element (p, j) = {@code src[base + rowStart[p] + j]} for
     * {@code j < cols}, 0 beyond (every run must lie inside src up to {@code cols}). Convolution patches on a
     * padded input: row p is one kernel tap, columns are output positions. Packed with vector copies.
     */
    public static BPack shiftedRowsB(float[] src, int base, int[] rowStart, int cols) {
        return (p0, kc, j0, nc, bp) -> VectorSgemm.packShiftedRows(src, base, rowStart, cols, p0, kc, j0, nc, bp);
    }

    /**
     * B gathered from {@code src}: element (p, j) = {@code src[rowBase[p] + colRel[j]]}. Columns whose
     * {@code colRel} values are consecutive are copied as runs (vector copies); convolution patches in
     * channel-last layout (row p an output position, columns the kernel taps, channel fastest).
     */
    public static BPack gatheredB(float[] src, int[] rowBase, int[] colRel) {
        int[] runEnd = VectorSgemm.runEnds(colRel);
        return (p0, kc, j0, nc, bp) -> VectorSgemm.packGathered(src, rowBase, colRel, runEnd, p0, kc, j0, nc, bp);
    }
}
