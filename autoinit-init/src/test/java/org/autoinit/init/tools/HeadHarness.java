package org.autoinit.init.tools;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.autoinit.init.AutoInit;
import org.autoinit.init.WeightDistribution;
import org.autoinit.init.rules.DenseRule;
import org.autoinit.init.rules.FeatureCovariance;
import org.autoinit.init.rules.Signal;
import org.autoinit.init.trace.Trace;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.layers.Dense;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;

/**
 * Measurement harness for issue 4 (not a test): one Dense layer's output variance split by what it reads. AutoInit
 * as NetworkTest runs it (rejection sampler); then on SAMPLES N(0, 1) inputs the layer's input covariance C and means m
 * are measured, and the drawn weights W give the pooled output variance from (a) the measured C, (b) its diagonal only,
 * (c) the covariance AutoInit propagated (if any), (d) AutoInit's per-feature variances; plus the participation ratio
 * {@code tr(C)^2 / tr(C^2)} of the measured and the propagated C. Usage: {@code HeadHarness CASE NODE SAMPLES SEED...}
 * (CASE as in {@link SeedSweepHarness}).
 */
public final class HeadHarness {
    private HeadHarness() {}

    public static void main(String[] args) {
        String node = args[1];
        int samples = Integer.parseInt(args[2]);
        for (int a = 3; a < args.length; a++) {
            long seed = Long.parseLong(args[a]);
            Model m = SeedSweepHarness.CASES.get(args[0]).build().get();
            Signal[] seen = new Signal[1];
            DenseRule base = new DenseRule();
            var report = AutoInit.builder().seed(seed).distribution(WeightDistribution.TRUNCATED_NORMAL_REJECTION).rule(Dense.class, (layer, ins, ctx) -> {
                if (layer.name().equals(node)) {
                    seen[0] = ins.get(0);
                }
                return base.apply(layer, ins, ctx);
            }).build().initialize(m);
            Dense dense = null;
            String inbound = null;
            for (org.autoinit.nn.Node n : m.nodes()) {
                if (n.name().equals(node)) {
                    dense = (Dense) n.layer();
                    inbound = n.inbound().get(0).name();
                }
            }
            Map<String, Tensor> got = new HashMap<>();
            String want = inbound;
            Tensor[] in = Trace.gaussianInputs(m, samples, 3);
            ForwardContext fctx = ForwardContext.training(new SplittableRandom(3)).observe((n, out) -> {
                if (n.name().equals(want) || n.name().equals(node)) {
                    got.putIfAbsent(n.name(), out.detach());
                }
            });
            try (GradMode.Scope g = GradMode.noGrad()) {
                m.forward(fctx, in);
            }
            Tensor x = got.get(inbound), yOut = got.get(node);
            int n = x.dim(0), d = x.dim(1);
            double[] xs = new double[n * d];
            for (int i = 0; i < n * d; i++) {
                xs[i] = x.getFlat(i);
            }
            double[] mean = new double[d];
            for (int i = 0; i < n * d; i++) {
                mean[i % d] += xs[i] / n;
            }
            double[] c = new double[d * d];
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < d; i++) {
                    double ci = xs[s * d + i] - mean[i];
                    for (int j = 0; j < d; j++) {
                        c[i * d + j] += ci * (xs[s * d + j] - mean[j]) / n;
                    }
                }
            }
            Tensor w = dense.weight().value();
            int u = w.dim(1);
            double[] ws = new double[d * u];
            for (int i = 0; i < d * u; i++) {
                ws[i] = w.getFlat(i);
            }
            Signal sig = seen[0];
            double[] pm = new double[d], pv = new double[d];
            for (int i = 0; i < d; i++) {
                pm[i] = sig.channels() != null && sig.channels().count() == d ? sig.channels().mean(i) : sig.mean();
                pv[i] = sig.channels() != null && sig.channels().count() == d ? sig.channels().variance(i) : sig.variance();
            }
            FeatureCovariance pc = sig.covariance();
            double[] pcm = pc == null ? null : matrixOf(pc, d);
            double[] diag = new double[d * d], pdiag = new double[d * d];
            for (int i = 0; i < d; i++) {
                diag[i * d + i] = c[i * d + i];
                pdiag[i * d + i] = pv[i];
            }
            double measOut = 0;
            {
                double s1 = 0, s2 = 0;
                for (int i = 0; i < yOut.numel(); i++) {
                    double v = yOut.getFlat(i);
                    s1 += v;
                    s2 += v * v;
                }
                measOut = s2 / yOut.numel() - (s1 / yOut.numel()) * (s1 / yOut.numel());
            }
            System.out.printf(Locale.ROOT, "%s seed %d %s (%d -> %d, %d samples): measured output %.4f | from measured C %.4f, diag(C) %.4f | propagated C %s, predicted diag %.4f"
                    + " | PR measured %.2f propagated %s | tr C meas %.4f pred %.4f | reported %.4f%n",
                    args[0], seed, node, d, u, n, measOut, outVar(c, mean, ws, d, u), outVar(diag, mean, ws, d, u), pcm == null ? "-" : String.format(Locale.ROOT, "%.4f", outVar(pcm, pm, ws, d, u)),
                    outVar(pdiag, pm, ws, d, u), pr(c, d), pcm == null ? "-" : String.format(Locale.ROOT, "%.2f", pr(pcm, d)), trace(c, d), trace(pdiag, d),
                    report.entry(node).output().variance());
            System.out.printf(Locale.ROOT, "    along the mean direction: measured m'Cm/|m|^2 %.4f (meas m) / propagated %s (pred m); average eigenvalue %.4f; top eigenvalue meas %.4f pred %s%n",
                    rayleigh(c, mean, d), pcm == null ? "-" : String.format(Locale.ROOT, "%.4f", rayleigh(pcm, pm, d)), trace(c, d) / d, top(c, d),
                    pcm == null ? "-" : String.format(Locale.ROOT, "%.4f", top(pcm, d)));
            int redraws = Integer.parseInt(System.getenv().getOrDefault("HEAD_REDRAWS", "0"));
            if (redraws > 0) {
                // Other draws of this layer alone, rescaled as AutoInit does (its predicted input, the drawn weights): the
                // spread of measured / predicted over draws is what the check sees from this layer's draw alone.
                double[] predC = pcm != null ? pcm : pdiag;
                java.util.SplittableRandom rng = new java.util.SplittableRandom(seed * 7919 + 1);
                double[] ratios = new double[redraws];
                int out10 = 0, outRange = 0;
                for (int k = 0; k < redraws; k++) {
                    double[] wk = new double[d * u];
                    for (int i = 0; i < wk.length; i++) {
                        wk[i] = rng.nextGaussian();
                    }
                    ratios[k] = outVar(c, mean, wk, d, u) / outVar(predC, pm, wk, d, u);
                    out10 += Math.abs(1 - ratios[k]) > 0.1 * ratios[k] ? 1 : 0;
                    outRange += ratios[k] < 0.8 || ratios[k] > 1.25 ? 1 : 0;
                }
                java.util.Arrays.sort(ratios);
                System.out.printf(Locale.ROOT, "    %d redraws of %s alone: measured/predicted 5%% %.3f, median %.3f, 95%% %.3f; off by > 10%%: %.1f%%, outside [0.8, 1.25]: %.1f%%%n",
                        redraws, node, ratios[redraws / 20], ratios[redraws / 2], ratios[redraws - 1 - redraws / 20], 100.0 * out10 / redraws, 100.0 * outRange / redraws);
            }
        }
    }

    /** The propagated covariance as a row-major matrix (through its public entries). */
    static double[] matrixOf(FeatureCovariance pc, int d) {
        double[] m = new double[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                m[i * d + j] = pc.get(i, j);
            }
        }
        return m;
    }

    static double rayleigh(double[] c, double[] m, int d) {
        double num = 0, den = 0;
        for (int i = 0; i < d; i++) {
            den += m[i] * m[i];
            for (int k = 0; k < d; k++) {
                num += m[i] * c[i * d + k] * m[k];
            }
        }
        return num / den;
    }

    /** Largest eigenvalue by power iteration. */
    static double top(double[] c, int d) {
        double[] v = new double[d];
        java.util.Arrays.fill(v, 1 / Math.sqrt(d));
        double lam = 0;
        for (int it = 0; it < 300; it++) {
            double[] u = new double[d];
            for (int i = 0; i < d; i++) {
                for (int k = 0; k < d; k++) {
                    u[i] += c[i * d + k] * v[k];
                }
            }
            double nrm = 0;
            for (double x : u) {
                nrm += x * x;
            }
            nrm = Math.sqrt(nrm);
            lam = nrm;
            for (int i = 0; i < d; i++) {
                v[i] = u[i] / nrm;
            }
        }
        return lam;
    }

    static double trace(double[] c, int d) {
        double t = 0;
        for (int i = 0; i < d; i++) {
            t += c[i * d + i];
        }
        return t;
    }

    static double pr(double[] c, int d) {
        double t = trace(c, d), t2 = 0;
        for (double v : c) {
            t2 += v * v;
        }
        return t * t / t2;
    }

    /** Pooled variance over samples and units of x W for x with means m and covariance c. */
    static double outVar(double[] c, double[] m, double[] w, int d, int u) {
        double within = 0, s1 = 0, s2 = 0;
        for (int j = 0; j < u; j++) {
            double mu = 0;
            for (int i = 0; i < d; i++) {
                mu += m[i] * w[i * u + j];
                double row = 0;
                for (int k = 0; k < d; k++) {
                    row += c[i * d + k] * w[k * u + j];
                }
                within += w[i * u + j] * row;
            }
            s1 += mu;
            s2 += mu * mu;
        }
        return within / u + s2 / u - (s1 / u) * (s1 / u);
    }
}
