package org.autoinit.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The timing scheme of the PyTorch peer ({@code torch_peer.py}'s {@code timed_loop}), so that both sides
 * measure the same thing: warm-up steps until at least {@code warmup} steps and {@code warmupSeconds} (the
 * peer: 1 s; {@link TrainingBench} gives the JIT 5 s) have run, but no more than 500 steps once
 * {@code warmup} is reached; then {@code clamp(ceil(target / estimated step), min,
 * max)} timed steps. Each step returns its phase durations in seconds, total first.
 */
public final class TimedLoop {
    static final int WARMUP_CAP = 500;

    /**
     * Timed samples (one {@code double[]} of phase seconds per step) and how the loop went: warm-up and timed
     * step counts, wall time of the timed window, process CPU time per wall second, and the fraction of that
     * window this process's threads spent runnable but waiting for a core (others competing; peer's
     * {@code runq_wait_frac}, NaN where /proc is unavailable), and over the timed window the process CPU seconds
     * (all threads, GC and JIT included: unlike wall time, robust to other processes competing for the cores) and
     * the garbage collections with their accumulated time as the JVM's collector beans report it.
     */
    public record Result(List<double[]> samples, int warmupSteps, int timedSteps, double timedWallS, double cpuPerWall,
                         double runqWaitFrac, double cpuSeconds, long gcCount, double gcSeconds) {
        /** Median of phase {@code i} (0 = total) over the timed steps. */
        public double median(int i) {
            double[] v = phase(i);
            Arrays.sort(v);
            int n = v.length;
            return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        }

        /** Minimum of phase {@code i} over the timed steps. */
        public double min(int i) {
            return Arrays.stream(phase(i)).min().orElse(Double.NaN);
        }

        private double[] phase(int i) {
            double[] v = new double[samples.size()];
            for (int s = 0; s < v.length; s++) v[s] = samples.get(s)[i];
            return v;
        }
    }

    private TimedLoop() {}

    /** Runs the warm-up and the timed steps; {@code targetSeconds} > 0, {@code 1 <= minSteps <= maxSteps}. */
    public static Result run(Supplier<double[]> step, double targetSeconds, int warmup, double warmupSeconds, int minSteps, int maxSteps) {
        if (!(targetSeconds > 0) || minSteps < 1 || maxSteps < minSteps || warmup < 0) {
            throw new IllegalArgumentException("TimedLoop: need target > 0 and 1 <= minSteps <= maxSteps, got target " + targetSeconds
                    + ", warmup " + warmup + ", steps " + minSteps + ".." + maxSteps);
        }
        long start = System.nanoTime();
        int n = 0;
        while (n < warmup || seconds(start) < warmupSeconds) {
            step.get();
            n++;
            if (n >= warmup && n >= WARMUP_CAP) {
                break;
            }
        }
        double estimate = n == 0 ? targetSeconds : seconds(start) / n;
        int steps = (int) Math.min(maxSteps, Math.max(minSteps, Math.ceil(targetSeconds / Math.max(estimate, 1e-9))));
        List<double[]> samples = new ArrayList<>(steps);
        long q0 = ProcessStats.runqWaitNanos();
        long c0 = ProcessStats.cpuNanos();
        long[] g0 = ProcessStats.gcCountAndMillis();
        long w0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            samples.add(step.get());
        }
        double wall = seconds(w0);
        double cpu = (ProcessStats.cpuNanos() - c0) / 1e9;
        long[] g1 = ProcessStats.gcCountAndMillis();
        long q1 = ProcessStats.runqWaitNanos();
        double runq = q0 < 0 || q1 < 0 ? Double.NaN : (q1 - q0) / 1e9 / wall;
        return new Result(samples, n, steps, wall, cpu / wall, runq, cpu, g1[0] - g0[0], (g1[1] - g0[1]) / 1e3);
    }

    static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
