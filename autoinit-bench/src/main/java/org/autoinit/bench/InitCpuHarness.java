package org.autoinit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.autoinit.init.baselines.InitMethod;
import org.autoinit.init.baselines.InitSchemes;
import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Init cost on a machine others are using (not a test; wall-clock times mean nothing there): alternates the given
 * schemes on one model in one process, many rounds, and prints per scheme the median CPU time per call of the calling
 * thread and of all threads (ThreadMXBean, so GC and JIT threads count too; the pool threads run the parallel loops),
 * and each scheme's ratio to the first. With {@code --hash} it prints a hash of every parameter's bits after one call
 * per scheme with a fixed seed, to check that a change keeps the weights bit for bit.
 * Usage: {@code InitCpuHarness [--model resnet50] [--threads 1] [--reps 40] [--warmup 10] [--hash] scheme...}
 * (default schemes: he-normal autoinit).
 */
public final class InitCpuHarness {
    private InitCpuHarness() {}

    public static void main(String[] args) {
        String model = "resnet50";
        int threads = 1, reps = 40, warmup = 10;
        boolean hash = false;
        List<String> schemes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model" -> model = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--hash" -> hash = true;
                default -> schemes.add(args[i]);
            }
        }
        if (schemes.isEmpty()) {
            schemes = List.of("he-normal", "autoinit");
        }
        Parallel.setThreads(threads);
        Model net = Zoo.build(model, ZooOptions.defaults());
        int k = schemes.size();
        InitMethod[] methods = new InitMethod[k];
        for (int s = 0; s < k; s++) {
            methods[s] = InitSchemes.byName(schemes.get(s));
        }
        if (hash) {
            for (int s = 0; s < k; s++) {
                methods[s].initialize(net, 7);
                System.out.printf(Locale.ROOT, "%-20s hash %016x%n", schemes.get(s), hash(net));
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[][] self = new double[k][reps], all = new double[k][reps];
        long seed = 1000;
        for (int r = -warmup; r < reps; r++) {
            for (int s = 0; s < k; s++) {
                long a0 = allThreads(mx), t0 = mx.getCurrentThreadCpuTime();
                methods[s].initialize(net, seed++);
                long t1 = mx.getCurrentThreadCpuTime(), a1 = allThreads(mx);
                if (r >= 0) {
                    self[s][r] = (t1 - t0) / 1e6;
                    all[s][r] = (a1 - a0) / 1e6;
                }
            }
        }
        System.out.printf(Locale.ROOT, "model %s, %d thread(s), %d rounds after %d warm-up, CPU ms per call (median; quartiles)%n", model, threads,
                reps, warmup);
        double self0 = median(self[0]), all0 = median(all[0]);
        for (int s = 0; s < k; s++) {
            System.out.printf(Locale.ROOT, "%-20s caller %7.2f (%6.2f-%6.2f) x%.3f   all threads %7.2f (%6.2f-%6.2f) x%.3f%n", schemes.get(s),
                    median(self[s]), quantile(self[s], 0.25), quantile(self[s], 0.75), median(self[s]) / self0, median(all[s]),
                    quantile(all[s], 0.25), quantile(all[s], 0.75), median(all[s]) / all0);
        }
    }

    /** CPU nanoseconds of every live thread (threads that died since are lost; the pool threads live). */
    private static long allThreads(ThreadMXBean mx) {
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    private static double median(double[] x) {
        return quantile(x, 0.5);
    }

    private static double quantile(double[] x, double q) {
        double[] s = x.clone();
        Arrays.sort(s);
        double p = q * (s.length - 1);
        int lo = (int) Math.floor(p);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (p - lo) * (s[hi] - s[lo]);
    }

    /** FNV-style hash over every parameter's raw bits, in model order. */
    private static long hash(Model net) {
        long h = 0xcbf29ce484222325L;
        for (Parameter p : net.trainableParameters()) {
            Tensor t = p.value();
            if (t.dtype() == DType.FLOAT32) {
                for (float x : t.floatData()) {
                    h = (h ^ Float.floatToRawIntBits(x)) * 0x100000001b3L;
                }
            } else {
                for (double x : t.doubleData()) {
                    h = (h ^ Double.doubleToRawLongBits(x)) * 0x100000001b3L;
                }
            }
        }
        return h;
    }
}
