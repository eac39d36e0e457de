package org.autoinit.tensor.ops;

import java.util.Arrays;

import org.autoinit.tensor.blas.PackedGemm;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.simd.FloatPairs;
import org.autoinit.tensor.simd.Simd;
import org.autoinit.tensor.simd.WinogradOutputRows;
import org.autoinit.tensor.simd.WinogradTransforms;

/**
 * 3x3 stride-1 float32 convolution by Winograd's F(2x2, 3x3) (Lavin &amp; Gray 2016): each 2x2 output tile is
 * {@code A^T [sum_c (G g_c G^T) * (B^T d_c B)] A} over its 4x4 input tile d, so per tile 16 multiplies replace
 * 36, and the channel sums become 16 GEMMs {@code M[xi] (O x T) = U[xi] (O x C) V[xi] (C x T)} over the T tiles
 * of a sample (xi = the 16 positions of the transformed tile). 2.25x fewer multiply-adds than the direct
 * convolution; the transforms are a few additions per element ({@link WinogradTransforms}). Used for the
 * forward pass and for dX of a stride-1 convolution (itself a 3x3 stride-1 convolution of the padded dY).
 * Float32 rounding differs from the direct sum (the transforms add and subtract inputs first), within
 * a few float32 ulps of the values' scale.
 */
final class Winograd {
    /** Per-thread transformed tiles beyond this many floats: the direct path instead (no chunking of huge images). */
    private static final long MAX_BUFFER = 1L << 23;
    /** Floats of V plus M per tile block: about half of a 1 MiB L2 cache. */
    private static final long L2_FLOATS = 1L << 17;
    /** Input floats per chunk of samples (its split rows, about 8x that in bytes, stay in L2). */
    private static final long CHUNK_FLOATS = 1L << 15;
    /** {@code -Dautoinit.winograd=false} turns this path off (to compare against the direct convolution). */
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("autoinit.winograd", "").trim());


    private Winograd() {}

    /**
     * True for 3x3, stride 1, dilation 1 with enough channels to pay for the transforms: at least 24 on both sides
     * and {@code 1/C + 1/O <= 3/64}. The transforms cost ~(C + O) per tile, the multiplies they save ~C*O.
     */
    static boolean applies(ConvGeometry g, int outChannels) {
        if (g.kh() != 3 || g.kw() != 3 || g.strideH() != 1 || g.strideW() != 1 || g.dilH() != 1 || g.dilW() != 1) return false;
        // Below ~24 channels the transforms cost as much as the multiplies they save (measured: ResNet-20's 16-channel layers);
        // 32 -> 32 (ResNet-20's stage 2, 16x16, batch 32) the direct product was 13% faster at 1 thread, forward and dX
        // (1.95 vs 2.22 ms, 1.97 vs 2.27 ms CPU), while 32 -> 64 at 28x28 (the cnn workload) and 64 -> 64 stay faster here.
        if (!ENABLED || g.c() < 24 || outChannels < 24 || g.outH() < 2 || g.outW() < 2 || !Simd.enabled()) return false;
        if (64L * (g.c() + outChannels) > 3L * g.c() * outChannels) return false;
        long tiles = (long) ((g.outH() + 1) / 2) * ((g.outW() + 1) / 2);
        return 16L * tiles * Math.max(g.c(), outChannels) <= MAX_BUFFER;
    }

    /**
     * {@code y[s] = conv(x[s]) + bias} for the n samples; weights {@code [O, C, 3, 3]} row-major. Samples go in chunks
     * (a thread's unit of work) whose tiles form one flat axis: tile (sample, ty, tx) at
     * {@code (sample*th + ty)*ld + tx}, ld = tw + 1 (one discarded tile per tile row keeps the axis linear). The axis is
     * processed in blocks small enough that a block's transformed input V and product M stay in cache between the
     * input transform, the 16 GEMMs and the output transform.
     */
    static void convolve(float[] x, int n, float[] w, int o, float[] bias, ConvGeometry g, float[] y) {
        int c = g.c(), oh = g.outH(), ow = g.outW(), th = (oh + 1) / 2, tw = (ow + 1) / 2, ld = tw + 1, nr = PackedGemm.nr();
        // V is written straight into the GEMM's packed B panels when C fits one k slice; else packed by the GEMM.
        boolean packed = c <= PackedGemm.maxKc();
        int tb = (int) Math.max(nr, Math.min(256, L2_FLOATS / (16L * (c + o)) / nr * nr));
        long perSample = (long) c * th * ld;
        int threads = Parallel.threads();
        int ns0 = (int) Math.max(1, Math.min(CHUNK_FLOATS / perSample, (n + threads - 1) / threads));
        // As many chunks as fit the cache, rounded up to a multiple of the threads, then evened out: 32 samples in
        // chunks of 14 gave one thread 14 samples and the other 18 (ResNet-20's 32-channel layers).
        int chunks0 = (n + ns0 - 1) / ns0, even = threads > 1 ? (chunks0 + threads - 1) / threads * threads : chunks0;
        int ns = (n + even - 1) / even, chunks = (n + ns - 1) / ns;
        // U and its 16 packed panels go into the calling thread's buffers, reused from call to call (every entry the
        // products read is written): fresh ones were ~0.5 MB per call on ResNet-20's 64-channel stage.
        float[] u = weights(w, o, c, FloatScratch.get(FloatScratch.WINO_U, 16 * o * c));
        float[][] packedU = new float[16][];
        for (int xi = 0; xi < 16; xi++) packedU[xi] = FloatScratch.get(FloatScratch.WINO_PACKED_U + xi, PackedGemm.paddedRows(o) * c);
        Parallel.forRange(16, 1, (lo, hi) -> {
            for (int xi = lo; xi < hi; xi++) PackedGemm.prepackA(o, c, PackedGemm.stridedA(u, xi * o * c, c, 1), packedU[xi]);
        });
        Parallel.forRange(chunks, 1, (lo, hi) -> {
            int cs = (ns * th * ld + tb - 1) / tb * tb + nr;
            float[][] ev = new float[4][], od = new float[4][];
            for (int r = 0; r < 4; r++) {
                ev[r] = FloatScratch.get(FloatScratch.WINO_EVEN + r, c * cs);
                od[r] = FloatScratch.get(FloatScratch.WINO_ODD + r, c * cs);
            }
            float[] v = FloatScratch.get(FloatScratch.WINO_V, 16 * c * tb), m = FloatScratch.get(FloatScratch.WINO_M, 16 * o * tb);
            float[] row0 = new float[2 * tb], row1 = new float[2 * tb];
            // Runs of one tile row within a block: first tile (in the block), length in y, where in y (sample's channel 0).
            int[] runTile = new int[tb], runLen = new int[tb], runAt = new int[tb];
            boolean[] runLower = new boolean[tb];
            for (int chunk = lo; chunk < hi; chunk++) {
                int s0 = chunk * ns, s1 = Math.min(n, s0 + ns), tiles = (s1 - s0) * th * ld;
                split(x, s0, s1, g, th, ld, ev, od, cs);
                for (int t0 = 0; t0 < tiles; t0 += tb) {
                    for (int ch = 0; ch < c; ch++) {
                        if (packed) {
                            WinogradTransforms.input(ev, od, ch * cs + t0, tb, v, ch * nr, c * tb, nr, nr * c);
                        } else {
                            WinogradTransforms.input(ev, od, ch * cs + t0, tb, v, ch * tb, c * tb, tb, tb);
                        }
                    }
                    for (int xi = 0; xi < 16; xi++) {
                        if (packed) {
                            PackedGemm.gemmPacked(o, tb, c, packedU[xi], v, xi * c * tb, m, xi * o * tb, tb);
                        } else {
                            PackedGemm.gemm(o, tb, c, packedU[xi], PackedGemm.stridedB(v, xi * c * tb, tb, 1), 0f, m, xi * o * tb, tb);
                        }
                    }
                    // The block's runs of real tiles per tile row (the zero tile at tx == tw and tiles past the chunk skipped).
                    int runs = 0;
                    for (int i = 0; i < tb && t0 + i < tiles; ) {
                        int t = t0 + i, tx = t % ld, ty = t / ld % th, sl = t / (ld * th);
                        if (tx == tw) {
                            i++;
                            continue;
                        }
                        int cnt = Math.min(tw - tx, tb - i);
                        runTile[runs] = i;
                        runLen[runs] = Math.min(2 * cnt, ow - 2 * tx); // ow odd: the last tile's right column is outside
                        runLower[runs] = 2 * ty + 1 < oh;
                        runAt[runs++] = (s0 + sl) * o * oh * ow + 2 * ty * ow + 2 * tx;
                        i += cnt;
                    }
                    for (int oc = 0; oc < o; oc++) {
                        WinogradOutputRows.rows(m, oc * tb, o * tb, tb, bias == null ? 0f : bias[oc], row0, row1);
                        int plane = oc * oh * ow;
                        for (int q = 0; q < runs; q++) {
                            int len = runLen[q], src = 2 * runTile[q], dst = plane + runAt[q];
                            System.arraycopy(row0, src, y, dst, len);
                            if (runLower[q]) System.arraycopy(row1, src, y, dst + ow, len);
                        }
                    }
                }
            }
        });
    }

    /**
     * For samples {@code [s0, s1)} of x: row r (0..3) of every tile, split into even and odd padded columns, at the
     * tile's flat index: {@code ev[r][ch*cs + t + k]} = padded input (channel ch, row 2ty + r, column 2(tx + k))
     * for k = 0, 1 (odd columns likewise in {@code od}); zero outside the image. Every padded row (the zero ones
     * included) is copied into a zero-bordered row and split by vector shuffles ({@link FloatPairs}) straight into its
     * one or two tile rows. A split writes whole vectors: the tail spills zeros into tile rows of later padded rows, which
     * are written after it, or into the chunk's tail, zeroed last; so no pass zeroes the buffers first. A pure copy, the
     * same bits as the element-by-element loop with a full zero fill it replaces (cnn step ~5% less CPU).
     */
    private static void split(float[] x, int s0, int s1, ConvGeometry g, int th, int ld, float[][] ev, float[][] od, int cs) {
        int c = g.c(), h = g.h(), w = g.w(), xs = c * h * w, pl = g.padLeft(), pt = g.padTop(), rows = 2 * th + 2;
        int lanes = FloatPairs.lanes(), span = 2 * ((ld + lanes - 1) / lanes * lanes), tiles = (s1 - s0) * th * ld;
        // span >= 2 * ld = 2 * tw + 2 >= outW + 2 = w + padLeft + padRight: the row and its padding fit.
        float[] row = new float[span], zero = new float[span];
        for (int sl = 0; sl < s1 - s0; sl++) {
            for (int ch = 0; ch < c; ch++) {
                for (int pr = 0; pr < rows; pr++) {
                    int xr = pr - pt;
                    float[] src = zero;
                    if (xr >= 0 && xr < h) {
                        System.arraycopy(x, (s0 + sl) * xs + (ch * h + xr) * w, row, pl, w);
                        src = row;
                    }
                    // this padded row is row r of tile row (pr - r) / 2
                    for (int r = pr & 1; r < 4; r += 2) {
                        int ty = (pr - r) / 2;
                        if (ty < 0 || ty >= th) continue;
                        int base = ch * cs + (sl * th + ty) * ld;
                        FloatPairs.split(src, 0, ld, ev[r], base, od[r], base);
                    }
                }
            }
        }
        for (int r = 0; r < 4; r++) {
            for (int ch = 0; ch < c; ch++) {
                Arrays.fill(ev[r], ch * cs + tiles, (ch + 1) * cs, 0f);
                Arrays.fill(od[r], ch * cs + tiles, (ch + 1) * cs, 0f);
            }
        }
    }

    /** {@code U[xi][o][c] = (G g G^T)[xi]} for every 3x3 filter g = w[o][c], G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]. */
    static float[] weights(float[] w, int o, int c) {
        return weights(w, o, c, new float[16 * o * c]);
    }

    /** Filters per block of {@link #weights(float[], int, int, float[])}: one cache line of each of the 16 planes. */
    private static final int FILTER_BLOCK = 16;

    /**
     * {@link #weights(float[], int, int)} into {@code u} (at least {@code 16 * o * c} long; every entry written). The 16
     * planes are {@code o*c} floats apart (16 KB for 64 x 64: the same L1 set), and storing each filter's 16 values
     * straight into them took ~110 cycles per filter (130 us per 64 x 64 call, ~1.9% of a 1-thread ResNet-20 step, JFR).
     * A block of 16 filters goes through a small buffer first, then one 64-byte run per plane. Same arithmetic, same floats.
     */
    static float[] weights(float[] w, int o, int c, float[] u) {
        Parallel.forRange(o, Math.max(1, 2048 / Math.max(1, c)), (lo, hi) -> {
            int plane = o * c;
            float[] blk = new float[16 * FILTER_BLOCK];
            for (int oc = lo; oc < hi; oc++) {
                for (int ic0 = 0; ic0 < c; ic0 += FILTER_BLOCK) {
                    int len = Math.min(FILTER_BLOCK, c - ic0);
                    for (int k = 0; k < len; k++) {
                        int f = (oc * c + ic0 + k) * 9;
                        double r00 = w[f], r01 = w[f + 1], r02 = w[f + 2];
                        double r10 = w[f + 3], r11 = w[f + 4], r12 = w[f + 5];
                        double r20 = w[f + 6], r21 = w[f + 7], r22 = w[f + 8];
                        // Rows of t = G g: g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2; each then times G^T.
                        row(r00, r01, r02, blk, k);
                        row(0.5 * (r00 + r10 + r20), 0.5 * (r01 + r11 + r21), 0.5 * (r02 + r12 + r22), blk, 4 * FILTER_BLOCK + k);
                        row(0.5 * (r00 - r10 + r20), 0.5 * (r01 - r11 + r21), 0.5 * (r02 - r12 + r22), blk, 8 * FILTER_BLOCK + k);
                        row(r20, r21, r22, blk, 12 * FILTER_BLOCK + k);
                    }
                    for (int xi = 0; xi < 16; xi++) System.arraycopy(blk, xi * FILTER_BLOCK, u, xi * plane + oc * c + ic0, len);
                }
            }
        });
        return u;
    }

    /** Row (a, b, cc) of {@code G g} times G^T: (a, (a + b + cc) / 2, (a - b + cc) / 2, cc) at {@code blk[q + j*FILTER_BLOCK]}. */
    private static void row(double a, double b, double cc, float[] blk, int q) {
        blk[q] = (float) a;
        blk[q + FILTER_BLOCK] = (float) (0.5 * (a + b + cc));
        blk[q + 2 * FILTER_BLOCK] = (float) (0.5 * (a - b + cc));
        blk[q + 3 * FILTER_BLOCK] = (float) cc;
    }
}
