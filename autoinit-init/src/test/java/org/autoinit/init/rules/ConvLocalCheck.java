package org.autoinit.init.rules;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.autoinit.init.trace.Trace;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;
import org.autoinit.tensor.ops.Conv2dSpec;

/**
 * Diagnostics for issue 4 (not a test; run by {@code org.autoinit.init.tools.ConvCovarianceHarness} with HARNESS_LOCAL set),
 * on one batch of N(0, 1) inputs: for every conv, its input's predicted against measured per-channel statistics, and its
 * output variance predicted by the per-channel rule from its MEASURED input (means, variances, spatial profile; and with
 * the measured lag-0 channel covariance's cross terms added), against the measured output; for every activation of a
 * feature map, the predicted and measured within-channel and shared (between-channel) variance of its input and how
 * much of the measured within-channel variance is per-position constants (the same for every sample) or per-sample
 * offsets; for every Add, the within-channel covariance of its two inputs.
 */
public final class ConvLocalCheck {
    private ConvLocalCheck() {}

    /** The predicted input signal of every conv, by node name (AutoInit.predict with a recording Conv2d rule). */
    static Map<String, Signal> predictedInputs(Model m) {
        Map<String, Signal> got = new HashMap<>();
        Conv2dRule base = new Conv2dRule();
        org.autoinit.init.AutoInit.builder().rule(Conv2d.class, (layer, ins, ctx) -> {
            got.put(layer.name(), ins.get(0));
            return base.apply(layer, ins, ctx);
        }).rule(org.autoinit.nn.layers.Activation.class, (layer, ins, ctx) -> {
            got.put("act:" + layer.name(), ins.get(0));
            return new ActivationRule().apply(layer, ins, ctx);
        }).build().predict(m);
        return got;
    }

    public static void report(Model m, int samples) {
        Map<String, Signal> predicted = predictedInputs(m);
        Map<String, Tensor> outs = new HashMap<>();
        Tensor[] in = Trace.gaussianInputs(m, samples, 3);
        ForwardContext ctx = ForwardContext.training(new SplittableRandom(3)).observe((node, out) -> outs.putIfAbsent(node.name(), out.detach()));
        try (GradMode.Scope g = GradMode.noGrad()) {
            m.forward(ctx, in);
        }
        outs.put("input", in[0]);
        for (Node n : m.nodes()) {
            if (!n.isInput() && n.layer() instanceof org.autoinit.nn.layers.Activation && predicted.containsKey("act:" + n.layer().name())) {
                Tensor x = outs.get(n.inbound().get(0).name());
                int nn = x.dim(0), c = x.dim(1), hw = x.dim(2) * x.dim(3);
                double within = 0, m1 = 0, m2 = 0, posVar = 0, sampleVar = 0;
                for (int ch = 0; ch < c; ch++) {
                    double mu = 0, q = 0;
                    for (int s = 0; s < nn; s++) {
                        for (int p = 0; p < hw; p++) {
                            double v = x.getFlat((s * c + ch) * hw + p);
                            mu += v;
                            q += v * v;
                        }
                    }
                    mu /= (double) nn * hw;
                    q /= (double) nn * hw;
                    within += (q - mu * mu) / c;
                    double[] byPos = new double[hw], bySample = new double[nn];
                    for (int s = 0; s < nn; s++) {
                        for (int p = 0; p < hw; p++) {
                            double v = x.getFlat((s * c + ch) * hw + p);
                            byPos[p] += v / nn;
                            bySample[s] += v / hw;
                        }
                    }
                    for (double v : byPos) {
                        posVar += (v - mu) * (v - mu) / hw / c;
                    }
                    for (double v : bySample) {
                        sampleVar += (v - mu) * (v - mu) / nn / c;
                    }
                    m1 += mu / c;
                    m2 += mu * mu / c;
                }
                Signal ps = predicted.get("act:" + n.layer().name());
                ChannelStats pc = ps.channels(ChannelStats.Axis.FIRST, c);
                double pw = 0;
                for (int i = 0; pc != null && i < c; i++) {
                    pw += pc.variance(i) / c;
                }
                System.out.printf(Locale.ROOT, "  pre-act %-26s within-var pred/meas %.4f/%.4f (%.3f)  shared pred/meas %.4f/%.4f  measured within: positions' means %.1f%%, samples' means %.1f%%%n",
                        n.inbound().get(0).name(), pw, within, pw / within, ps.sharedVariance(), m2 - m1 * m1, 100 * posVar / within, 100 * sampleVar / within);
                continue;
            }
            if (!n.isInput() && n.layer().type().equals("Add")) {
                Tensor a = outs.get(n.inbound().get(0).name()), b = outs.get(n.inbound().get(1).name());
                int nn = a.dim(0), c = a.dim(1), hw = a.dim(2) * a.dim(3);
                double cov = 0, va = 0, vb = 0;
                for (int ch = 0; ch < c; ch++) {
                    double ma = 0, mb = 0;
                    for (int s = 0; s < nn; s++) {
                        for (int p = 0; p < hw; p++) {
                            int k = (s * c + ch) * hw + p;
                            ma += a.getFlat(k);
                            mb += b.getFlat(k);
                        }
                    }
                    ma /= (double) nn * hw;
                    mb /= (double) nn * hw;
                    for (int s = 0; s < nn; s++) {
                        for (int p = 0; p < hw; p++) {
                            int k = (s * c + ch) * hw + p;
                            double x = a.getFlat(k) - ma, y = b.getFlat(k) - mb;
                            cov += x * y;
                            va += x * x;
                            vb += y * y;
                        }
                    }
                }
                double norm = (double) nn * hw * c;
                System.out.printf(Locale.ROOT, "  merge %-28s within var stream %.4f branch %.4f, 2 cov %.4f (%.1f%% of the sum)%n", n.name(), va / norm, vb / norm,
                        2 * cov / norm, 100 * 2 * cov / (va + vb + 2 * cov));
                continue;
            }
            if (n.isInput() || !(n.layer() instanceof Conv2d layer)) {
                continue;
            }
            Tensor x = outs.get(n.inbound().get(0).name());
            int nn = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3), hw = h * w;
            double[] mean = new double[c], var = new double[c], prof = new double[hw];
            double[] data = new double[nn * c * hw];
            for (int i = 0; i < data.length; i++) {
                data[i] = x.getFlat(i);
            }
            for (int s = 0; s < nn; s++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int p = 0; p < hw; p++) {
                        double v = data[(s * c + ch) * hw + p];
                        mean[ch] += v;
                        prof[p] += v * v;
                    }
                }
            }
            for (int ch = 0; ch < c; ch++) {
                mean[ch] /= (double) nn * hw;
            }
            double[] cov = new double[c * c];
            for (int s = 0; s < nn; s++) {
                for (int p = 0; p < hw; p++) {
                    for (int i = 0; i < c; i++) {
                        double a = data[(s * c + i) * hw + p] - mean[i];
                        for (int j = 0; j < c; j++) {
                            cov[i * c + j] += a * (data[(s * c + j) * hw + p] - mean[j]);
                        }
                    }
                }
            }
            for (int i = 0; i < cov.length; i++) {
                cov[i] /= (double) nn * hw;
            }
            for (int i = 0; i < c; i++) {
                var[i] = cov[i * c + i];
            }
            Signal xs = Signal.of(ChannelStats.of(ChannelStats.Axis.FIRST, mean, var));
            Signal ps = predicted.get(layer.name());
            ChannelStats pc = ps == null ? null : ps.channels(ChannelStats.Axis.FIRST, c);
            if (pc != null) {
                double dm = 0, dv = 0, dq = 0, mq = 0, pq = 0, corr = 0, a2 = 0, b2 = 0, ma = 0, mb = 0;
                for (int i = 0; i < c; i++) {
                    mq += mean[i] * mean[i] + var[i];
                    pq += pc.mean(i) * pc.mean(i) + pc.variance(i);
                    ma += var[i] / c;
                    mb += pc.variance(i) / c;
                }
                for (int i = 0; i < c; i++) {
                    double a = var[i] - ma, b = pc.variance(i) - mb;
                    corr += a * b;
                    a2 += a * a;
                    b2 += b * b;
                }
                double pm = 0, mm = 0;
                for (int i = 0; i < c; i++) {
                    pm += pc.mean(i) / c;
                    mm += mean[i] / c;
                }
                System.out.printf(Locale.ROOT, "  input %-28s second moment pred/meas %.3f  mean %.4f/%.4f  within-var %.4f/%.4f  corr(var_c) %.3f  profile %s%n",
                        n.name(), pq / mq, pm, mm, mb, ma, corr / Math.sqrt(a2 * b2), ps.profile() == null ? "uniform" : "yes");
            }
            double pm = 0;
            for (double v : prof) {
                pm += v;
            }
            boolean uniform = System.getenv("HARNESS_UNIFORM") != null;
            if (!uniform) {
                double[] b = prof.clone();
                xs = xs.withProfile(SpatialProfile.normalized(h, w, b));
            }
            int[] inS = layer.inputShapes()[0], outS = layer.outputShape(), k = layer.kernelSize();
            Conv2dSpec spec = layer.spec();
            int[] pad = spec.padding(inS[1], inS[2], k[0], k[1]);
            SpatialProfile.Taps taps = SpatialProfile.window(SpatialProfile.of(xs, inS[1], inS[2]), inS[1], inS[2], outS[1], outS[2], k[0], k[1],
                    spec.strideH(), spec.strideW(), pad[0], pad[2], spec.dilH(), spec.dilW());
            WeightSpec ws = WeightSpec.conv(layer.weight(), layer.bias(), spec.groups(), taps.variance(), taps.mean(), taps.covariance());
            ChannelStats pred = WeightedStats.predict(ws, xs.channels());
            double indep = pred.pooled().variance();
            // Lag 0 (channels correlated, positions not): each output channel gains sum_t phi_t sum_{i != i'} W W' C[i, i'].
            double[] phi = ws.tapValidity();
            int nt = ws.taps(), units = ws.units();
            double gain = 0;
            for (int o = 0; o < units; o++) {
                for (int t = 0; t < nt; t++) {
                    double p = phi == null ? 1 : phi[t];
                    for (int i = 0; i < c; i++) {
                        double wi = layer.weight().value().getFlat((o * c + i) * nt + t);
                        for (int j = 0; j < c; j++) {
                            if (j != i) {
                                gain += p * wi * layer.weight().value().getFlat((o * c + j) * nt + t) * cov[i * c + j] / units;
                            }
                        }
                    }
                }
            }
            double lag0 = indep + gain;
            double real = Trace.meanAndVariance(outs.get(n.name()))[1];
            System.out.printf(Locale.ROOT, "  local %-28s from measured input: independent %.4f lag0 %.4f; measured %.4f; meas/indep %.3f meas/lag0 %.3f%n",
                    n.name(), indep, lag0, real, real / indep, real / lag0);
        }
    }
}
