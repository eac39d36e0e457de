package org.autoinit.tensor.blas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.SplittableRandom;

import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Eight threads run different products through Gemm at the same time, sharing input arrays and writing
 * disjoint blocks of one shared output array (what breaks a naive jblas split), and must get exactly the
 * bits of the same products run one at a time.
 */
class GemmConcurrencyTest {
    private static final int THREADS = 8;
    /** Per thread: m, n, k, transA, transB; sizes on both sides of the split thresholds. */
    private static final int[][] PROBLEMS = {
        {320, 150, 100, 0, 0}, {100, 330, 130, 1, 0}, {37, 53, 29, 0, 1}, {700, 90, 80, 1, 1},
        {1, 300, 17, 0, 0}, {129, 70, 513, 0, 1}, {64, 640, 128, 1, 1}, {300, 1, 17, 1, 0},
    };

    @ParameterizedTest
    @ValueSource(strings = {"java", "jblas", "vector"})
    void concurrentProductsMatchSequentialOnesBitForBit(String name) throws Exception {
        Blas blas = GemmTest.backend(name);
        int maxK = 0, blockC = 0;
        for (int[] p : PROBLEMS) {
            maxK = Math.max(maxK, p[2]);
            blockC = Math.max(blockC, p[0] * p[1]);
        }
        // One shared A and B pool (read by everyone), one shared C array (a block per thread).
        SplittableRandom r = new SplittableRandom(99);
        float[] af = new float[1000 * maxK], bf = new float[1000 * maxK];
        double[] ad = new double[af.length], bd = new double[bf.length];
        for (int i = 0; i < af.length; i++) {
            af[i] = (float) r.nextGaussian();
            bf[i] = (float) r.nextGaussian();
            ad[i] = r.nextGaussian();
            bd[i] = r.nextGaussian();
        }
        int block = blockC;
        float[] cfInit = new float[THREADS * block];
        double[] cdInit = new double[THREADS * block];
        for (int i = 0; i < cfInit.length; i++) {
            cfInit[i] = (float) r.nextGaussian();
            cdInit[i] = r.nextGaussian();
        }

        List<float[]> wantF = new ArrayList<>();
        List<double[]> wantD = new ArrayList<>();
        GemmTest.with(blas, () -> {
            for (int t = 0; t < THREADS; t++) {
                float[] cf = cfInit.clone();
                double[] cd = cdInit.clone();
                run(t, af, bf, cf, ad, bd, cd, block);
                wantF.add(slice(cf, t * block, block));
                wantD.add(slice(cd, t * block, block));
            }
            return null;
        });

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < 3; round++) {
                float[] cf = cfInit.clone();
                double[] cd = cdInit.clone();
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<?>> futures = new ArrayList<>();
                GemmTest.with(blas, () -> {
                    for (int t = 0; t < THREADS; t++) {
                        int tt = t;
                        futures.add(pool.submit(() -> {
                            start.await();
                            run(tt, af, bf, cf, ad, bd, cd, block);
                            return null;
                        }));
                    }
                    for (Future<?> f : futures) f.get();
                    return null;
                });
                for (int t = 0; t < THREADS; t++) {
                    String what = name + " round " + round + " thread " + t + " problem " + java.util.Arrays.toString(PROBLEMS[t]);
                    assertArrayEquals(wantF.get(t), slice(cf, t * block, block), "sgemm " + what);
                    assertArrayEquals(wantD.get(t), slice(cd, t * block, block), "dgemm " + what);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A native call made while another thread holds every loaded copy must run on a further copy of the
     * library (see JblasInstance), never share one. Deterministic: the holder keeps its copy until the call is done.
     */
    @org.junit.jupiter.api.Test
    void busyLibraryCopyMakesAnotherThreadLoadItsOwn() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Parallel.threads() >= 2, "needs >= 2 threads");
        try {
            new JblasBlas();
        } catch (LinkageError | IllegalStateException e) {
            org.junit.jupiter.api.Assumptions.abort("jblas native library not loadable here: " + e);
        }
        ExecutorService holder = Executors.newSingleThreadExecutor();
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try {
            Future<?> h = holder.submit(() -> {
                JblasInstance in = JblasBlas.acquire();
                try {
                    held.countDown();
                    done.await();
                } finally {
                    in.lock.unlock();
                }
                return null;
            });
            held.await();
            // The held copy is locked by the other thread: this call must use (or load) a different copy.
            float[] c = new float[1];
            new JblasBlas().sgemm(false, false, 1, 1, 1, new float[] {2}, 0, new float[] {3}, 0, 0f, c, 0);
            assertArrayEquals(new float[] {6}, c);
            assertTrue(JblasBlas.copies() >= 2, "jblas library copies while one is held: " + JblasBlas.copies());
            done.countDown();
            h.get();
        } finally {
            done.countDown();
            holder.shutdownNow();
        }
    }

    /** Thread t's products: operands at t-dependent offsets in the shared pools, output in block t of C. */
    private static void run(int t, float[] af, float[] bf, float[] cf, double[] ad, double[] bd, double[] cd, int block) {
        int[] p = PROBLEMS[t];
        int m = p[0], n = p[1], k = p[2];
        boolean ta = p[3] == 1, tb = p[4] == 1;
        int aOff = 17 * t, bOff = 31 * t + 5;
        float beta = t % 2 == 0 ? 0f : 0.75f;
        Gemm.sgemm(ta, tb, m, n, k, af, aOff, bf, bOff, beta, cf, t * block);
        Gemm.dgemm(ta, tb, m, n, k, ad, aOff, bd, bOff, beta, cd, t * block);
    }

    private static float[] slice(float[] x, int from, int len) {
        return java.util.Arrays.copyOfRange(x, from, from + len);
    }

    private static double[] slice(double[] x, int from, int len) {
        return java.util.Arrays.copyOfRange(x, from, from + len);
    }
}
