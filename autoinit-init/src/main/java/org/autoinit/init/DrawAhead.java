package org.autoinit.init;

import java.util.List;
import java.util.SplittableRandom;

import org.autoinit.nn.Parameter;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Draws AutoInit's standard normals ahead of the propagation, on a background thread. A pass draws the weights
 * of its n-th fill from the n-th split of {@code SplittableRandom(seed)}; the draw itself is one sequential
 * stream (most of AutoInit's time on a large model) but does not depend on the variance, which the propagation
 * only knows once the layer's input is predicted. So a thread walks the plan (the weights a dry pass would
 * draw, in order) with its own copy of the splits and keeps the next {@link #AHEAD} layers' draws ready while
 * the caller predicts; the fill is then a scaling pass. Every value is {@code (float) (z * k)} from the same z as
 * {@link WeightDistribution#fill}, so the weights are the same bits with or without this. When a fill does not
 * match the plan, the caller draws it itself (and this stops).
 */
final class DrawAhead implements AutoCloseable {
    /** Layers drawn ahead of the caller at most (memory: a few of the largest layers, as doubles). */
    private static final int AHEAD = 2;
    /** Below this many planned weights a background thread is not worth starting. */
    static final long MIN_WEIGHTS = 1 << 20;

    /** Fills served from draws made ahead, over the process (tests check that the path is taken). */
    static final java.util.concurrent.atomic.AtomicLong SERVED = new java.util.concurrent.atomic.AtomicLong();

    private final List<Parameter> plan;
    private final WeightDistribution dist;
    private final double[][] ready;
    /** Buffers of {@link #longest} doubles the caller is done with (no 200 MB of fresh zeroed arrays per pass). */
    private final java.util.ArrayDeque<double[]> free = new java.util.ArrayDeque<>();
    private final int longest;
    private int produced, consumed;
    private boolean cancelled;
    private RuntimeException failure;
    private final Thread thread;

    DrawAhead(long seed, List<Parameter> plan, WeightDistribution dist) {
        this.plan = List.copyOf(plan);
        this.dist = dist;
        this.ready = new double[plan.size()][];
        int max = 0;
        for (Parameter p : plan) {
            max = Math.max(max, p.value().numel());
        }
        this.longest = max;
        this.thread = new Thread(() -> produce(seed), "autoinit-draw-ahead");
        thread.setDaemon(true);
        thread.start();
    }

    /** True for the distributions whose draws are a standard stream times a scale (truncated normal and normal). */
    static boolean supports(WeightDistribution d) {
        return d == WeightDistribution.TRUNCATED_NORMAL || d == WeightDistribution.NORMAL;
    }

    /** Total entries of the planned weights. */
    static long weights(List<Parameter> plan) {
        long n = 0;
        for (Parameter p : plan) {
            n += p.value().numel();
        }
        return n;
    }

    private void produce(long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        try {
            for (int n = 0; n < plan.size(); n++) {
                SplittableRandom rng = root.split();
                double[] z;
                synchronized (this) {
                    while (!cancelled && n - consumed >= AHEAD) {
                        wait();
                    }
                    if (cancelled) {
                        return;
                    }
                    z = free.poll();
                }
                standard(rng, z != null ? z : (z = new double[longest]), plan.get(n).value().numel());
                synchronized (this) {
                    ready[n] = z;
                    produced = n + 1;
                    notifyAll();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                notifyAll();
            }
        }
    }

    /** {@code z[0, n)} = the standard draws {@link WeightDistribution#fill} makes for {@code n} entries from {@code rng}, in order. */
    private void standard(SplittableRandom rng, double[] z, int n) {
        boolean truncated = dist == WeightDistribution.TRUNCATED_NORMAL;
        for (int i = 0; i < n; i++) {
            double x = rng.nextGaussian();
            while (truncated && Math.abs(x) > 2.0) {
                x = rng.nextGaussian();
            }
            z[i] = x;
        }
    }

    /**
     * Fills {@code p} as the {@code index}-th draw with variance {@code variance} when the plan agrees; false (and
     * no more drawing ahead) otherwise, so the caller fills it from its own split.
     */
    boolean fill(int index, Parameter p, double variance) {
        double[] z;
        synchronized (this) {
            if (cancelled || index >= plan.size() || plan.get(index) != p || index < consumed || !(variance > 0) || !Double.isFinite(variance)) {
                cancelIfRunning();
                return false;
            }
            while (produced <= index && failure == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancelIfRunning();
                    return false;
                }
            }
            if (failure != null) {
                throw failure;
            }
            z = ready[index];
            ready[index] = null;
            consumed = index + 1;
            notifyAll();
        }
        SERVED.incrementAndGet();
        Tensor t = p.value();
        // The same products as WeightDistribution: truncated z * (sqrt(v) / TRUNC2_STD), normal sqrt(v) * z.
        double k = dist == WeightDistribution.TRUNCATED_NORMAL ? Math.sqrt(variance) / WeightDistribution.TRUNC2_STD : Math.sqrt(variance);
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.floatData();
            Parallel.forRange(a.length, 1 << 16, (from, to) -> {
                for (int i = from; i < to; i++) {
                    a[i] = (float) (z[i] * k);
                }
            });
        } else {
            double[] a = t.doubleData();
            Parallel.forRange(a.length, 1 << 16, (from, to) -> {
                for (int i = from; i < to; i++) {
                    a[i] = z[i] * k;
                }
            });
        }
        synchronized (this) {
            free.push(z);
        }
        return true;
    }

    private void cancelIfRunning() {
        cancelled = true;
        notifyAll();
    }

    @Override
    public void close() {
        synchronized (this) {
            cancelIfRunning();
        }
    }
}
