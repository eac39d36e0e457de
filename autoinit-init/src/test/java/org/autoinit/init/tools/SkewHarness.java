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
 * Measurement harness for issue 4 (not a test): how much of a relu's measured variance in deep-mlp comes from the odd
 * moments (skew) of its pre-activations. For every activation: predicted output variance, measured (pooled over
 * entries), the same with every unit's input symmetrized ({@code h} and {@code -h} pooled: even moments kept, odd ones
 * removed), and the mean over units of the input's skewness. Usage: {@code SkewHarness SAMPLES norm|plain ACTIVATION
 * SEED...}; env {@code SKEW_DEPTH} (default 24), {@code SKEW_CENTRED=1} (centred activation), {@code SKEW_INPUT_SEED}
 * (default 3, NetworkTest's batch). {@code SKEW_UNITS=actK} also splits act K's mean skew (relu after batch norm): the
 * common mode of act K-1's output (its mean over features per sample) times fc K's column sums (cubic and linear terms)
 * and the rest, and the second-order Hermite term {@code 3 E[f']^2 E[f''] sum_i w_i (R w)_i^2} that jointly Gaussian
 * inputs with the measured correlation R would give. {@code SKEW_ALL=1} does that split for every activation and adds
 * the common mode's two terms to the prediction by Edgeworth ({@code corrected}).
 */
public final class SkewHarness {
    private SkewHarness() {}

    public static void main(String[] args) {
        int samples = Integer.parseInt(args[0]);
        boolean norm = args[1].equals("norm");
        org.autoinit.tensor.ops.ActivationKind kind = org.autoinit.tensor.ops.ActivationKind.valueOf(args[2].toUpperCase(Locale.ROOT));
        for (int a = 3; a < args.length; a++) {
            long seed = Long.parseLong(args[a]);
            Model m = Zoo.build("deep-mlp", ZooOptions.builder().activation(kind).normalization(norm).depth(Integer.parseInt(System.getenv().getOrDefault("SKEW_DEPTH", "24")))
                    .activationShift(System.getenv("SKEW_CENTRED") != null ? org.autoinit.init.moments.ActivationMoments.centringShift(kind, kind.defaultAlpha()) : 0).build());
            Map<String, double[]> model = new LinkedHashMap<>();
            ActivationRule base = new ActivationRule();
            AutoInit.builder().seed(seed).distribution(WeightDistribution.TRUNCATED_NORMAL_REJECTION)
                    .rule(Activation.class, (layer, ins, ctx) -> {
                        var out = base.apply(layer, ins, ctx);
                        model.put(layer.name(), new double[] {ins.get(0).variance(), out.variance()});
                        return out;
                    }).build().initialize(m);
            Map<String, Tensor> inputs = new HashMap<>();
            Map<String, Tensor> outputs = new HashMap<>();
            Map<String, String> inboundOf = new HashMap<>();
            for (org.autoinit.nn.Node n : m.nodes()) {
                if (!n.isInput() && n.layer() instanceof Activation) {
                    inboundOf.put(n.inbound().get(0).name(), n.name());
                }
            }
            Tensor[] in = Trace.gaussianInputs(m, samples, Long.parseLong(System.getenv().getOrDefault("SKEW_INPUT_SEED", "3")));
            ForwardContext ctx = ForwardContext.training(new SplittableRandom(3)).observe((node, out) -> {
                String act = inboundOf.get(node.name());
                if (act != null) {
                    inputs.putIfAbsent(act, out.detach());
                }
                if (model.containsKey(node.name())) {
                    outputs.putIfAbsent(node.name(), out.detach());
                }
            });
            try (GradMode.Scope g = GradMode.noGrad()) {
                m.forward(ctx, in);
            }
            for (Map.Entry<String, double[]> e : model.entrySet()) {
                Tensor y = inputs.get(e.getKey());
                Tensor f = outputs.get(e.getKey());
                int n = y.dim(0), d = y.dim(1);
                double m1 = 0, m2 = 0, s1 = 0, s2 = 0, skew = 0;
                double alpha = kind.defaultAlpha();
                for (int j = 0; j < d; j++) {
                    double mu = 0;
                    for (int s = 0; s < n; s++) {
                        mu += y.getFlat(s * d + j) / n;
                    }
                    double c2 = 0, c3 = 0;
                    for (int s = 0; s < n; s++) {
                        double h = y.getFlat(s * d + j), r = f.getFlat(s * d + j);
                        m1 += r / ((double) n * d);
                        m2 += r * r / ((double) n * d);
                        // the unit's input reflected about its mean: same even central moments, odd ones removed
                        double ra = kind.apply(h, alpha), rb = kind.apply(2 * mu - h, alpha);
                        s1 += (ra + rb) / (2.0 * n * d);
                        s2 += (ra * ra + rb * rb) / (2.0 * n * d);
                        c2 += (h - mu) * (h - mu) / n;
                        c3 += (h - mu) * (h - mu) * (h - mu) / n;
                    }
                    skew += c3 / Math.pow(c2, 1.5) / d;
                }
                double lowRank = Double.NaN;
                if (e.getKey().equals(System.getenv("SKEW_UNITS")) || System.getenv("SKEW_ALL") != null && !e.getKey().equals("act1")) {
                    lowRank = units(m, e.getKey(), outputs, y, inputs.get("act" + (Integer.parseInt(e.getKey().substring(3)) - 1)));
                }
                // Edgeworth for relu of a standardized input of skewness g: E[relu^2] = 1/2 + g E[relu^2 He3] / 6, E[relu] unchanged.
                double corrected = e.getValue()[1] + lowRank * 2 / Math.sqrt(2 * Math.PI) / 6;
                System.out.printf(Locale.ROOT, "%s seed %d %-6s predicted %.4f measured %.4f symmetrized %.4f  mean skew %+.4f  low-rank %+.4f corrected %.4f%n",
                        norm ? "norm" : "plain", seed, e.getKey(), e.getValue()[1], m2 - m1 * m1, s2 - s1 * s1, skew, lowRank, corrected);
            }
        }
    }

    /** Splits act K's pre-activation skew: common mode delta_n of act K-1's output times the column sums S_j of fc K, and the rest. */
    private static double units(Model m, String act, Map<String, Tensor> outputs, Tensor h, Tensor z) {
        int layer = Integer.parseInt(act.substring(3));
        Tensor x = outputs.get("act" + (layer - 1));
        org.autoinit.nn.layers.Dense fc = null;
        for (org.autoinit.nn.Node n : m.nodes()) {
            if (!n.isInput() && n.name().equals("fc" + layer)) {
                fc = (org.autoinit.nn.layers.Dense) n.layer();
            }
        }
        Tensor w = fc.weight().value();
        int n = x.dim(0), d = x.dim(1), o = w.dim(1);
        double[] mean = new double[d];
        for (int i = 0; i < n * d; i++) {
            mean[i % d] += x.getFlat(i) / n;
        }
        double[] delta = new double[n];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < d; i++) {
                delta[s] += (x.getFlat(s * d + i) - mean[i]) / d;
            }
        }
        double d2 = 0, d3 = 0;
        for (double v : delta) {
            d2 += v * v / n;
            d3 += v * v * v / n;
        }
        double tCubic = 0, tLinear = 0, tRest = 0, tAll = 0, corr = 0;
        for (int j = 0; j < o; j++) {
            double sj = 0; // column sum S_j = sum_i w_ij
            for (int i = 0; i < d; i++) {
                sj += w.getFlat(i * o + j);
            }
            double[] a = new double[n];
            double[] rest = new double[n];
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < d; i++) {
                    a[s] += w.getFlat(i * o + j) * (x.getFlat(s * d + i) - mean[i]);
                }
                rest[s] = a[s] - delta[s] * sj;
            }
            double va = 0, a3 = 0, r3 = 0, dr2 = 0, rm = 0;
            for (int s = 0; s < n; s++) {
                rm += rest[s] / n;
            }
            for (int s = 0; s < n; s++) {
                va += a[s] * a[s] / n;
                a3 += a[s] * a[s] * a[s] / n;
                double r = rest[s] - rm;
                r3 += r * r * r / n;
                dr2 += delta[s] * r * r / n;
            }
            double norm = Math.pow(va, 1.5);
            tCubic += sj * sj * sj * d3 / norm / o;
            tLinear += 3 * sj * dr2 / norm / o;
            tRest += r3 / norm / o;
            tAll += a3 / norm / o;
            corr += sj / Math.sqrt(va) / o;
        }
        // Quadratic Hermite term of relu on the previous layer's (batch-normalized) pre-activations z with correlation R:
        // kappa3(sum_i w_i f(z_i)) ~ 3 E[f']^2 E[f''] sum_i w_i (R w)_i^2 (jointly Gaussian z, second order).
        double[] zm = new double[d], zs = new double[d];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < d; i++) {
                zm[i] += z.getFlat(s * d + i) / n;
            }
        }
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < d; i++) {
                double v = z.getFlat(s * d + i) - zm[i];
                zs[i] += v * v / n;
            }
        }
        double[] corrM = new double[d * d];
        for (int s = 0; s < n; s++) {
            for (int i = 0; i < d; i++) {
                double a = (z.getFlat(s * d + i) - zm[i]) / Math.sqrt(zs[i]);
                for (int k = 0; k < d; k++) {
                    corrM[i * d + k] += a * (z.getFlat(s * d + k) - zm[k]) / Math.sqrt(zs[k]) / n;
                }
            }
        }
        double b1 = 0.5, b2 = 1 / Math.sqrt(2 * Math.PI), quad = 0, quadOff = 0;
        for (int j = 0; j < o; j++) {
            double va = 0;
            double[] g = new double[d];
            for (int i = 0; i < d; i++) {
                for (int k = 0; k < d; k++) {
                    g[i] += corrM[i * d + k] * w.getFlat(k * o + j);
                    va += w.getFlat(i * o + j) * corrM[i * d + k] * w.getFlat(k * o + j);
                }
            }
            double k3 = 0, k3off = 0;
            for (int i = 0; i < d; i++) {
                double wi = w.getFlat(i * o + j);
                k3 += 3 * b1 * b1 * b2 * wi * g[i] * g[i];
                double gOff = g[i] - wi; // without the i = k term (the unit's own feature)
                k3off += 3 * b1 * b1 * b2 * wi * gOff * gOff;
            }
            double full = Math.sqrt(va * (0.5 - 1 / (2 * Math.PI))); // the pre-activation's sd, Cov(f) taken as Var(relu) R
            quad += k3 / Math.pow(full, 3) / o;
            quadOff += k3off / Math.pow(full, 3) / o;
        }
        System.out.printf(Locale.ROOT, "  %s: quadratic Hermite term from the measured correlation: mean skew %.4f (off-diagonal only %.4f)%n", act, quad, quadOff);
        System.out.printf(Locale.ROOT, "  %s: common mode var %.4g skew %.3f; mean skew %.4f = cubic %.4f + linear %.4f + rest %.4f (+cross); mean S/sd %.4f%n", act, d2,
                d3 / Math.pow(d2, 1.5), tAll, tCubic, tLinear, tRest, corr);
        return tCubic + tLinear;
    }
}
