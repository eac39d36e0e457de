package org.autoinit.init.tools;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.autoinit.init.AutoInit;
import org.autoinit.init.WeightDistribution;
import org.autoinit.init.rules.ChannelStats;
import org.autoinit.init.rules.Conv2dRule;
import org.autoinit.init.trace.Trace;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;

/**
 * Measurement harness for issue 4 (not a test): one conv layer of a zoo model, channel by channel, predicted (the
 * built-in conv rule's channel statistics, wrapped) against measured on N(0, 1) inputs: the channel's mean and
 * variance over samples and positions, and the part of that variance that is per-position constants (variance over
 * positions of the sample mean at each position). Usage: {@code ChannelHarness MODEL NODE SAMPLES SEED...}.
 */
public final class ChannelHarness {
    private ChannelHarness() {}

    public static void main(String[] args) {
        String model = args[0], node = args[1];
        int samples = Integer.parseInt(args[2]);
        for (int a = 3; a < args.length; a++) {
            long seed = Long.parseLong(args[a]);
            Model m = Zoo.build(model);
            Map<String, ChannelStats> pred = new HashMap<>();
            Conv2dRule base = new Conv2dRule();
            AutoInit.builder().seed(seed).distribution(WeightDistribution.TRUNCATED_NORMAL_REJECTION).rule(Conv2d.class, (layer, ins, ctx) -> {
                var out = base.apply(layer, ins, ctx);
                pred.put(layer.name(), out.channels());
                return out;
            }).build().initialize(m);
            Map<String, Tensor> outs = new HashMap<>();
            ForwardContext ctx = ForwardContext.training(new SplittableRandom(3)).observe((n, out) -> outs.putIfAbsent(n.name(), out.detach()));
            try (GradMode.Scope g = GradMode.noGrad()) {
                m.forward(ctx, Trace.gaussianInputs(m, samples, 3));
            }
            Tensor y = outs.get(node);
            int n = y.dim(0), c = y.dim(1), p = y.dim(2) * y.dim(3);
            ChannelStats ps = pred.get(node);
            for (int ch = 0; ch < c; ch++) {
                double[] posMean = new double[p];
                double s = 0, q = 0;
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < p; i++) {
                        double v = y.getFlat((b * c + ch) * p + i);
                        posMean[i] += v / n;
                        s += v;
                        q += v * v;
                    }
                }
                double mean = s / (n * p), var = q / (n * p) - mean * mean, pv = 0;
                for (double pm : posMean) {
                    pv += (pm - mean) * (pm - mean) / p;
                }
                System.out.printf(Locale.ROOT, "%s seed %d %s ch %2d  pred mean %8.4f var %7.4f  meas mean %8.4f var %7.4f  of which per-position %.4f%n", model, seed,
                        node, ch, ps == null ? Double.NaN : ps.mean(ch), ps == null ? Double.NaN : ps.variance(ch), mean, var, pv);
            }
        }
    }
}
