package org.autoinit.init.tools;

import java.util.Locale;

import org.autoinit.init.AutoInit;
import org.autoinit.init.InitReport;
import org.autoinit.init.trace.Trace;
import org.autoinit.nn.Model;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;

/**
 * Measurement harness for issue 4 (not a test): for a zoo model without normalization and AutoInit seeds given on the command
 * line, prints every node's predicted and measured variance on N(0, 1) inputs (input seed 3, as NetworkTest) and a
 * summary line with NetworkTest's criteria. Usage: {@code ConvCovarianceHarness MODEL SAMPLES SEED...} (MODEL
 * resnet20 or resnet56; append "-norm" for the normalized model).
 */
public final class ConvCovarianceHarness {
    private ConvCovarianceHarness() {}

    /**
     * For every conv: its measured output variance on the real input, and on the input with positions shuffled (one
     * permutation per sample shared by all channels: the lag-0 channel covariance and the per-sample statistics stay,
     * correlation between positions goes; border positions move, so padding is seen at random positions).
     */
    static void shuffleCheck(Model m, int samples) {
        java.util.Map<String, org.autoinit.tensor.Tensor> outs = new java.util.HashMap<>();
        org.autoinit.tensor.Tensor[] in = Trace.gaussianInputs(m, samples, 3);
        org.autoinit.nn.ForwardContext ctx = org.autoinit.nn.ForwardContext.training(new java.util.SplittableRandom(3))
                .observe((node, out) -> outs.putIfAbsent(node.name(), out.detach()));
        try (org.autoinit.tensor.autograd.GradMode.Scope g = org.autoinit.tensor.autograd.GradMode.noGrad()) {
            m.forward(ctx, in);
            outs.put("input", in[0]);
            java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
            for (org.autoinit.nn.Node n : m.nodes()) {
                if (n.isInput() || !n.layer().type().equals("Conv2d")) {
                    continue;
                }
                org.autoinit.tensor.Tensor x = outs.get(n.inbound().get(0).name());
                int nn = x.dim(0), c = x.dim(1), hw = x.dim(2) * x.dim(3);
                org.autoinit.tensor.Tensor xs = x.copy();
                for (int s = 0; s < nn; s++) {
                    int[] perm = new int[hw];
                    for (int i = 0; i < hw; i++) {
                        perm[i] = i;
                    }
                    for (int i = hw - 1; i > 0; i--) {
                        int j = rng.nextInt(i + 1), t = perm[i];
                        perm[i] = perm[j];
                        perm[j] = t;
                    }
                    for (int ch = 0; ch < c; ch++) {
                        int base = (s * c + ch) * hw;
                        for (int i = 0; i < hw; i++) {
                            xs.setFlat(base + i, x.getFlat(base + perm[i]));
                        }
                    }
                }
                double real = Trace.meanAndVariance(n.layer().forward(ctx, x))[1];
                double shuf = Trace.meanAndVariance(n.layer().forward(ctx, xs))[1];
                System.out.printf(Locale.ROOT, "  shuffle %-28s real %.4f shuffled %.4f real/shuffled %.3f%n", n.name(), real, shuf, real / shuf);
            }
        }
    }

    public static void main(String[] args) {
        String model = args[0];
        int samples = Integer.parseInt(args[1]);
        boolean norm = model.endsWith("-norm");
        String zoo = norm ? model.substring(0, model.length() - 5) : model;
        for (int a = 2; a < args.length; a++) {
            long seed = Long.parseLong(args[a]);
            Model m = Zoo.build(zoo, ZooOptions.builder().normalization(norm).build());
            long t0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            InitReport r = AutoInit.builder().seed(seed).build().initialize(m);
            long t1 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            Trace t = Trace.measure(model, m, r, samples, 3);
            int fails = 0;
            double lo = 1e9, hi = 0, worst = 1, sumLog = 0, sumLogW = 0;
            int nAll = 0, nW = 0;
            StringBuilder sb = new StringBuilder();
            for (Trace.Row row : t.rows()) {
                if (!row.hasPrediction() || row.type().equals("Input")) {
                    continue;
                }
                double pv = row.predictedVariance(), mv = row.measuredVariance(), ratio = pv / mv;
                boolean pool = row.type().contains("Pool");
                boolean bad = Math.abs(pv - mv) > (pool ? 0.25 : 0.10) * mv;
                if (row.weighted()) {
                    lo = Math.min(lo, mv);
                    hi = Math.max(hi, mv);
                    bad |= !(mv >= 0.8 && mv <= 1.25);
                }
                if (!pool && Math.abs(Math.log(ratio)) > Math.abs(Math.log(worst))) {
                    worst = ratio;
                }
                fails += bad ? 1 : 0;
                if (!pool) {
                    sumLog += Math.abs(Math.log(ratio));
                    nAll++;
                    if (row.weighted()) {
                        sumLogW += Math.abs(Math.log(ratio));
                        nW++;
                    }
                }
                sb.append(String.format(Locale.ROOT, "  %-28s %-14s %s pred %8.4f meas %8.4f ratio %6.3f%s%n", row.node(), row.type(),
                        row.weighted() ? "W" : " ", pv, mv, ratio, bad ? "  FAIL" : ""));
            }
            if (System.getenv("HARNESS_LOCAL") != null) {
                org.autoinit.init.rules.ConvLocalCheck.report(m, samples);
            }
            if (System.getenv("HARNESS_SHUFFLE") != null) {
                shuffleCheck(m, samples);
            }
            if (System.getenv("HARNESS_NODES") != null) {
                System.out.print(sb);
            }
            System.out.printf(Locale.ROOT, "%s seed %d samples %d: failing nodes %d, weighted measured [%.3f, %.3f], worst pred/meas %.3f, "
                    + "mean |log ratio| all %.4f weighted %.4f, AutoInit main-thread CPU %.1f ms%n", model, seed, samples, fails, lo, hi, worst,
                    sumLog / nAll, sumLogW / nW, (t1 - t0) / 1e6);
        }
    }
}
