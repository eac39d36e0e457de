package org.autoinit.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.optim.Optimizer;
import org.autoinit.nn.optim.Sgd;
import org.autoinit.nn.train.Xoshiro256;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;
import org.autoinit.tensor.memory.StepStorage;
import org.autoinit.tensor.ops.Losses;
import org.autoinit.tensor.ops.Reduction;
import org.autoinit.tensor.parallel.Parallel;

/**
 * One training workload timed exactly as the PyTorch peer times it: the zoo model with PyTorch's default
 * initialization (seed 0), ONE fixed batch (uniform [0, 1) inputs, labels uniform in [0, 10), seed 0) reused
 * every step, mean cross-entropy, SGD lr 0.01 momentum 0.9. One step = zero_grad, forward, loss (the "fwd"
 * phase), backward ("bwd"), optimizer step ("opt"). Timing: {@link TimedLoop}.
 */
public final class TrainingBench {
    /**
     * Settings of a run; the defaults are the peer's (at least 3 warm-up steps, 5..200 timed steps, 6 s) except the
     * warm-up time: 5 s instead of the peer's 1 s, because the JIT compiles the Vector API kernels only after some
     * thousands of calls (with 1 s, the first timed steps of the transformer still ran interpreted fallbacks, seen
     * in a JFR profile); PyTorch's kernels need no such warm-up.
     */
    public record Settings(double targetSeconds, int warmup, double warmupSeconds, int minSteps, int maxSteps) {
        public static Settings defaults() {
            return new Settings(6.0, 3, 5.0, 5, 200);
        }

        public Settings withTarget(double seconds) {
            return new Settings(seconds, warmup, warmupSeconds, minSteps, maxSteps);
        }
    }

    /** A ready-to-step training setup (model, fixed batch, optimizer), also used by the JMH benchmarks. */
    public static final class Setup {
        final Workload workload;
        final Model model;
        final Tensor x;
        final int[] labels;
        final Optimizer optimizer;
        private final java.util.List<Tensor> parameters;
        private final boolean stepStorage;
        private final Xoshiro256 dropoutRng = new Xoshiro256(1);

        public Setup(Workload w) {
            workload = w;
            model = Zoo.build(w.zooName(), ZooOptions.defaults());
            SplittableRandom data = new SplittableRandom(0);
            x = Tensor.rand(data, DType.FLOAT32, w.inputShape()); // = w.fixedInputs(); the labels continue the stream
            labels = new int[w.batch()];
            for (int i = 0; i < labels.length; i++) labels[i] = data.nextInt(10);
            LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
            for (Parameter p : model.trainableParameters()) {
                params.put(p.qualifiedName(), p.value());
            }
            optimizer = Sgd.builder(params, 0.01).momentum(0.9).build();
            parameters = java.util.List.copyOf(params.values());
            stepStorage = Boolean.parseBoolean(System.getProperty("autoinit.stepStorage", "true"));
        }

        /**
         * One training step; returns {total, fwd, bwd, opt} seconds. The step's activations and gradients live in
         * {@link StepStorage} and are recycled by the next step (no tensor of the step is read after it; the parameters
         * and their gradients are kept); {@code -Dautoinit.stepStorage=false} allocates them anew instead.
         */
        public double[] step() {
            long t0 = System.nanoTime();
            long t1, t2;
            try (StepStorage.Scope scope = stepStorage ? StepStorage.open() : null) {
                optimizer.zeroGrad();
                Tensor logits = model.forward(ForwardContext.training(dropoutRng), x);
                Tensor loss = Losses.crossEntropy(logits, labels, Reduction.MEAN, 0);
                t1 = System.nanoTime();
                loss.backward();
                t2 = System.nanoTime();
                optimizer.step();
                if (scope != null) scope.keep(parameters);
            }
            long t3 = System.nanoTime();
            return new double[] {(t3 - t0) / 1e9, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9};
        }

        /** Cross-entropy of the current model on the fixed batch (training mode, no graph). */
        public double loss() {
            try (GradMode.Scope s = GradMode.noGrad()) {
                return Losses.crossEntropy(model.forward(ForwardContext.training(new Xoshiro256(2)), x), labels, Reduction.MEAN, 0).item();
            }
        }

        public Model model() {
            return model;
        }
    }

    private TrainingBench() {}

    /** Times {@code w} with {@code threads} threads; returns the JSON record (peer key names). */
    public static Map<String, Object> run(Workload w, int threads, Settings s) {
        Parallel.setThreads(threads);
        double load = ProcessStats.loadAverage();
        Setup setup = new Setup(w);
        TimedLoop.Result r = TimedLoop.run(setup::step, s.targetSeconds(), s.warmup(), s.warmupSeconds(), s.minSteps(), s.maxSteps());
        double median = r.median(0);
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("workload", w.id());
        rec.put("threads", threads);
        rec.put("batch", w.batch());
        rec.put("params", setup.model.parameterCount(false));
        rec.put("step_median_s", round(median, 6));
        rec.put("step_min_s", round(r.min(0), 6));
        rec.put("samples_per_s", round(w.batch() / median, 1));
        rec.put("fwd_median_s", round(r.median(1), 6));
        rec.put("bwd_median_s", round(r.median(2), 6));
        rec.put("opt_median_s", round(r.median(3), 6));
        rec.put("peak_rss_mib", round(ProcessStats.peakRssMib(), 1));
        rec.put("final_loss", round(setup.loss(), 4));
        rec.put("warmup_steps", r.warmupSteps());
        rec.put("timed_steps", r.timedSteps());
        rec.put("cpu_per_wall", round(r.cpuPerWall(), 3));
        rec.put("runq_wait_frac", round(r.runqWaitFrac(), 4));
        rec.put("cpu_per_step_s", round(r.cpuSeconds() / r.timedSteps(), 6));
        rec.put("gc_per_step", round((double) r.gcCount() / r.timedSteps(), 3));
        rec.put("gc_s_per_step", round(r.gcSeconds() / r.timedSteps(), 6));
        rec.put("loadavg_at_start", load);
        return rec;
    }

    static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
