package org.autoinit.init;

import java.util.List;
import java.util.SplittableRandom;

import org.autoinit.nn.Parameter;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Draws AutoInit's standard normals ahead of the propagation, on background threads and the caller. A pass draws the weights
 * of its n-th fill from the n-th split of {@code SplittableRandom(seed)}; each draw is one sequential stream (most
 * of AutoInit's time on a large model) but does not depend on the variance, which the propagation only knows once
 * the layer's input is predicted, nor on the other layers' draws. So threads walk the plan (the weights a dry pass
 * would draw, in order) with their own copies of the splits, each taking the next undrawn layer, and keep up to
 * {@code ahead} layers' draws ready while the caller predicts; the fill is then a scaling pass. A caller that
 * finds its layer not ready draws the next untaken one itself instead of waiting, so on 2 cores one thread and
 * the caller share the drawing (more threads would only compete with the caller's parallel loops). Every value is
 * {@code (float) (z * k)} from the same z as {@link WeightDistribution#fill}, so the weights are the same bits with
 * or without this, whatever the number of threads. When a fill does not match the plan, the caller draws it
 * itself (and this stops).
 */
final class DrawAhead implements AutoCloseable {
    /**
     * Below this many planned weights a background thread is not worth starting (measured at 2^18: vit, mlp and
     * resnet20 then spent 10-20% more CPU, the dry pass and the hand-over, for at most their ~1-3 ms of draws).
     */
    static final long MIN_WEIGHTS = 1 << 20;

    /** Fills served from draws made ahead, over the process (tests check that the path is taken). */
    static final java.util.concurrent.atomic.AtomicLong SERVED = new java.util.concurrent.atomic.AtomicLong();

    private final List<Parameter> plan;
    private final WeightDistribution dist;
    /** The n-th split of the root stream, for the n-th planned fill (the caller's own n-th split is the same stream). */
    private final SplittableRandom[] streams;
    private final double[][] ready;
    /** Buffers of {@link #longest} doubles the caller is done with (no 200 MB of fresh zeroed arrays per pass). */
    private final java.util.ArrayDeque<double[]> free = new java.util.ArrayDeque<>();
    private final int longest;
    /** Layers claimed by a drawing thread beyond the caller's position at most (memory: that many of the largest layers, as doubles). */
    private final int ahead;
    private int claimed, consumed;
    private boolean cancelled;
    private RuntimeException failure;
    private final Thread[] threads;

    DrawAhead(long seed, List<Parameter> plan, WeightDistribution dist) {
        this(seed, plan, dist, Math.max(1, Math.min(3, Parallel.threads() - 1)));
    }

    /** With {@code workers} drawing threads besides the caller, each taking the next layer of the plan not yet taken. */
    DrawAhead(long seed, List<Parameter> plan, WeightDistribution dist, int workers) {
        if (!supports(dist)) {
            throw new IllegalArgumentException("DrawAhead: draws " + WeightDistribution.NORMAL + " weights only, not " + dist);
        }
        this.plan = List.copyOf(plan);
        this.dist = dist;
        this.ready = new double[plan.size()][];
        this.streams = new SplittableRandom[plan.size()];
        SplittableRandom root = new SplittableRandom(seed);
        for (int n = 0; n < streams.length; n++) {
            streams[n] = root.split();
        }
        int max = 0;
        for (Parameter p : plan) {
            max = Math.max(max, p.value().numel());
        }
        this.longest = max;
        this.ahead = workers + 2;
        this.threads = new Thread[workers];
        for (int t = 0; t < workers; t++) {
            threads[t] = new Thread(this::produce, "autoinit-draw-ahead-" + t);
            threads[t].setDaemon(true);
            threads[t].start();
        }
    }

    /**
     * True for the normal distribution: its draws are a sequential stream times a scale. (The truncated normal is
     * computed per entry, split over the cores and written inside the prediction's pass: nothing to draw ahead.)
     */
    static boolean supports(WeightDistribution d) {
        return d == WeightDistribution.NORMAL;
    }

    /** Total entries of the planned weights. */
    static long weights(List<Parameter> plan) {
        long n = 0;
        for (Parameter p : plan) {
            n += p.value().numel();
        }
        return n;
    }

    private void produce() {
        try {
            while (true) {
                int n;
                double[] z;
                synchronized (this) {
                    while (!cancelled && claimed < plan.size() && claimed - consumed >= ahead) {
                        wait();
                    }
                    if (cancelled || claimed >= plan.size()) {
                        return;
                    }
                    n = claimed++;
                    z = free.poll();
                }
                standard(streams[n], z != null ? z : (z = new double[longest]), plan.get(n).value().numel());
                synchronized (this) {
                    ready[n] = z;
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
        for (int i = 0; i < n; i++) {
            z[i] = rng.nextGaussian();
        }
    }

    /**
     * The {@code index}-th draw for {@code p} with variance {@code variance}, not yet written, when the plan agrees;
     * null (and no more drawing ahead) otherwise, so the caller fills it from its own split.
     */
    Draw take(int index, Parameter p, double variance) {
        double[] z;
        while (true) {
            int mine;
            double[] buffer;
            synchronized (this) {
                if (cancelled || index >= plan.size() || plan.get(index) != p || index < consumed || !(variance > 0)
                        || !Double.isFinite(variance)) {
                    cancelIfRunning();
                    return null;
                }
                if (failure != null) {
                    throw failure;
                }
                if (ready[index] != null) {
                    z = ready[index];
                    ready[index] = null;
                    consumed = index + 1;
                    notifyAll();
                    break;
                }
                // Not ready: rather than idle, the caller draws too (this layer if no thread took it yet, else the
                // next one in the window), so the threads and the caller share the drawing.
                if (claimed < plan.size() && (claimed == index || claimed - consumed < ahead)) {
                    mine = claimed++;
                    buffer = free.poll();
                } else {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        cancelIfRunning();
                        return null;
                    }
                    continue;
                }
            }
            if (buffer == null) {
                buffer = new double[longest];
            }
            standard(streams[mine], buffer, plan.get(mine).value().numel());
            synchronized (this) {
                ready[mine] = buffer;
                notifyAll();
            }
        }
        SERVED.incrementAndGet();
        return new Draw(p.value(), z, Math.sqrt(variance));
    }

    /**
     * Fills {@code p} as the {@code index}-th draw with variance {@code variance} when the plan agrees; false (and
     * no more drawing ahead) otherwise, so the caller fills it from its own split.
     */
    boolean fill(int index, Parameter p, double variance) {
        Draw d = take(index, p, variance);
        if (d == null) {
            return false;
        }
        int n = p.value().numel();
        Parallel.forRange(n, 1 << 16, d::fill);
        d.release();
        return true;
    }

    /**
     * One layer's standard draws and their scale, not yet written: {@link #fill(int, int)} writes a range (so the
     * caller can fuse the writing with its own pass over the weights), {@link #release()} hands the buffer back.
     * The same products as WeightDistribution's normal: {@code sqrt(v) * z}.
     */
    final class Draw implements org.autoinit.init.rules.WeightedStats.PendingFill {
        private final Tensor t;
        private final double[] z;
        private final double k;

        private Draw(Tensor t, double[] z, double k) {
            this.t = t;
            this.z = z;
            this.k = k;
        }

        @Override
        public void fill(int from, int to) {
            if (t.dtype() == DType.FLOAT32) {
                float[] a = t.floatData();
                for (int i = from; i < to; i++) {
                    a[i] = (float) (z[i] * k);
                }
            } else {
                double[] a = t.doubleData();
                for (int i = from; i < to; i++) {
                    a[i] = z[i] * k;
                }
            }
        }

        void release() {
            synchronized (DrawAhead.this) {
                free.push(z);
            }
        }
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
