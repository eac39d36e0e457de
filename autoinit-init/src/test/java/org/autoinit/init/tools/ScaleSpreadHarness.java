package org.autoinit.init.tools;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.autoinit.init.AutoInit;
import org.autoinit.init.WeightDistribution;
import org.autoinit.init.rules.ActivationRule;
import org.autoinit.init.trace.Trace;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;

/**
 * Measurement harness for issue 4 (not a test): the per-sample scale spread of an MLP, modelled against measured. For
 * every activation of deep-mlp (optionally with batch norm): the excess log-scale variance t that AutoInit carries
 * into it ({@code FeatureCovariance.scaleVariance}, wrapped around the built-in rule), and on N(0, 1) samples the
 * measured {@code Var log s_n}, {@code s_n = |y_n|^2 / d} the sample's mean square at the activation's input, minus the
 * Gaussian part {@code 2 tr(C^2) / tr(C)^2} of the measured covariance C (log of a Gaussian quadratic form, first
 * order). Usage: {@code ScaleSpreadHarness SAMPLES norm|plain ACTIVATION SEED...}.
 */
public final class ScaleSpreadHarness {
    private ScaleSpreadHarness() {}

    public static void main(String[] args) {
        int samples = Integer.parseInt(args[0]);
        boolean norm = args[1].equals("norm");
        org.autoinit.tensor.ops.ActivationKind kind = org.autoinit.tensor.ops.ActivationKind.valueOf(args[2].toUpperCase(Locale.ROOT));
        for (int a = 3; a < args.length; a++) {
            long seed = Long.parseLong(args[a]);
            Model m = Zoo.build("deep-mlp", ZooOptions.builder().activation(kind).normalization(norm).build());
            Map<String, double[]> model = new LinkedHashMap<>();
            ActivationRule base = new ActivationRule();
            AutoInit.builder().seed(seed).distribution(WeightDistribution.TRUNCATED_NORMAL_REJECTION)
                    .rule(Activation.class, (layer, ins, ctx) -> {
                        var cov = ins.get(0).covariance();
                        var out = base.apply(layer, ins, ctx);
                        model.put(layer.name(), new double[] {cov == null ? Double.NaN : cov.scaleVariance(), ins.get(0).variance(), out.variance()});
                        return out;
                    }).build().initialize(m);
            Map<String, Tensor> inputs = new HashMap<>();
            Map<String, String> inboundOf = new HashMap<>();
            for (org.autoinit.nn.Node n : m.nodes()) {
                if (!n.isInput() && n.layer() instanceof Activation) {
                    inboundOf.put(n.inbound().get(0).name(), n.name());
                }
            }
            Tensor[] in = Trace.gaussianInputs(m, samples, 3);
            ForwardContext ctx = ForwardContext.training(new SplittableRandom(3)).observe((node, out) -> {
                String act = inboundOf.get(node.name());
                if (act != null) {
                    inputs.putIfAbsent(act, out.detach());
                }
                if (System.getenv("SPREAD_OUT") != null && model.containsKey(node.name())) {
                    inputs.putIfAbsent(node.name() + ">", out.detach());
                }
            });
            try (GradMode.Scope g = GradMode.noGrad()) {
                m.forward(ctx, in);
            }
            for (Map.Entry<String, double[]> e : model.entrySet()) {
                Tensor y = inputs.get(e.getKey() + (System.getenv("SPREAD_OUT") != null ? ">" : ""));
                int n = y.dim(0), d = y.dim(1);
                double[] mean = new double[d];
                for (int i = 0; i < n * d; i++) {
                    mean[i % d] += y.getFlat(i) / n;
                }
                double[] c = new double[d * d];
                double[] logs = new double[n];
                double sl = 0;
                boolean centred = System.getenv("SPREAD_CENTRED") != null;
                for (int s = 0; s < n; s++) {
                    double q = 0;
                    for (int i = 0; i < d; i++) {
                        double yi = y.getFlat(s * d + i) - (centred ? mean[i] : 0);
                        q += yi * yi;
                        double ci = y.getFlat(s * d + i) - mean[i];
                        for (int j = 0; j < d; j++) {
                            c[i * d + j] += ci * (y.getFlat(s * d + j) - mean[j]) / n;
                        }
                    }
                    logs[s] = Math.log(q / d);
                    sl += logs[s] / n;
                }
                double vl = 0;
                for (double l : logs) {
                    vl += (l - sl) * (l - sl) / (n - 1);
                }
                double tr = 0, tr2 = 0, mm = 0;
                for (int i = 0; i < d; i++) {
                    tr += c[i * d + i];
                    mm += centred ? 0 : mean[i] * mean[i];
                    for (int j = 0; j < d; j++) {
                        tr2 += c[i * d + j] * c[i * d + j];
                    }
                }
                double cmc = 0;
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        cmc += centred ? 0 : mean[i] * c[i * d + j] * mean[j];
                    }
                }
                double gauss = (2 * tr2 + 4 * cmc) / ((tr + mm) * (tr + mm));
                System.out.printf(Locale.ROOT, "%s seed %d %-6s model t %.4f  measured Var log s %.4f - gaussian %.4f = %.4f  pred var in %.4f out %.4f%n", norm ? "norm" : "plain", seed,
                        e.getKey(), e.getValue()[0], vl, gauss, vl - gauss, e.getValue()[1], e.getValue()[2]);
            }
        }
    }
}
