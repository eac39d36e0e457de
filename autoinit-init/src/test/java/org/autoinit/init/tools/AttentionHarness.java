package org.autoinit.init.tools;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.autoinit.init.AutoInit;
import org.autoinit.init.InitReport;
import org.autoinit.init.WeightDistribution;
import org.autoinit.init.trace.Trace;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.layers.MultiHeadAttention;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;

/**
 * Measurement harness for issue 4 (not a test): how much of the values' variance one attention layer keeps. AutoInit
 * as NetworkTest runs it; then on SAMPLES N(0, 1) inputs the layer's input tokens are captured and, with the drawn
 * q/k/v weights, the values V and the mixed values {@code sum_j p_j V_j} are recomputed head by head: measured kept
 * fraction {@code Var(mixed) / Var(V)} (pooled over samples, tokens and features) against the rule's ("values keep" in
 * the report's notes), and the mean of {@code sum_j p_j^2}. Usage: {@code AttentionHarness CASE NODE INPUT_NODE SAMPLES SEED...}.
 */
public final class AttentionHarness {
    private AttentionHarness() {}

    /** The attention layer named {@code name} (its name or its block-qualified name), searched through blocks' children. */
    static MultiHeadAttention find(java.util.List<org.autoinit.nn.Layer> layers, String name) {
        for (org.autoinit.nn.Layer l : layers) {
            if (l instanceof MultiHeadAttention mh && (name.equals(l.name()) || name.endsWith("." + l.name()))) {
                return mh;
            }
            MultiHeadAttention in = l.children().isEmpty() || !name.startsWith(l.name() + ".") ? null : find(l.children(), name);
            if (in != null) {
                return in;
            }
        }
        return null;
    }

    /** Summed over features: {coherent variance, token-specific variance} from the ANOVA sums (unbiased within-sample part). */
    private static double[] split(double[][] a, int n, int s) {
        double coh = 0, tok = 0;
        for (int f = 0; f < a[0].length; f++) {
            double within = a[2][f] / ((double) n * (s - 1));
            double m = a[0][f] / n, between = a[1][f] / n - m * m;
            coh += between - within / s;
            tok += within;
        }
        return new double[] {coh, tok};
    }

    /** {@code tr(C)^2 / tr(C^2)} of a d x d covariance (any positive scale). */
    static double pr(double[] c, int d) {
        double tr = 0, tr2 = 0;
        for (int i = 0; i < d; i++) {
            tr += c[i * d + i];
            for (int j = 0; j < d; j++) {
                tr2 += c[i * d + j] * c[j * d + i];
            }
        }
        return tr * tr / tr2;
    }

    public static void main(String[] args) {
        String node = args[1], inputNode = args[2];
        int samples = Integer.parseInt(args[3]);
        for (int a = 4; a < args.length; a++) {
            long seed = Long.parseLong(args[a]);
            Model m = SeedSweepHarness.CASES.get(args[0]).build().get();
            InitReport report = AutoInit.builder().seed(seed).distribution(WeightDistribution.TRUNCATED_NORMAL_REJECTION).build().initialize(m);
            MultiHeadAttention att = find(m.layers(), node);
            Map<String, Tensor> got = new HashMap<>();
            ForwardContext fctx = ForwardContext.training(new SplittableRandom(3)).observe((n, out) -> {
                if (n.name().equals(inputNode)) {
                    got.putIfAbsent(n.name(), out.detach());
                }
            });
            try (GradMode.Scope g = GradMode.noGrad()) {
                m.forward(fctx, Trace.gaussianInputs(m, samples, 3));
            }
            Tensor x = got.get(inputNode);
            int n = x.dim(0), s = x.dim(1), d = x.dim(2), h = att.heads(), hd = att.headDim(), inner = h * hd;
            double[][] w = new double[3][];
            if (att.fusedQkv()) {
                Tensor all = att.qkv().weight().value();
                for (int t = 0; t < 3; t++) {
                    w[t] = new double[d * inner];
                    for (int i = 0; i < d; i++) {
                        for (int o = 0; o < inner; o++) {
                            w[t][i * inner + o] = all.getFlat(i * 3 * inner + t * inner + o);
                        }
                    }
                }
            } else {
                Tensor[] ws = {att.query().weight().value(), att.key().weight().value(), att.value().weight().value()};
                for (int t = 0; t < 3; t++) {
                    w[t] = new double[d * inner];
                    for (int i = 0; i < d * inner; i++) {
                        w[t][i] = ws[t].getFlat(i);
                    }
                }
            }
            double c = att.scale();
            // Participation ratio of the input tokens' covariance: token-specific part (deviations from the sample's token mean) and whole.
            double[] ce = new double[d * d], ca = new double[d * d], xm = new double[d], gm = new double[d];
            for (int b = 0; b < n; b++) {
                java.util.Arrays.fill(xm, 0);
                for (int tok = 0; tok < s; tok++) {
                    for (int i = 0; i < d; i++) {
                        xm[i] += x.getFlat((b * s + tok) * d + i) / s;
                    }
                }
                for (int tok = 0; tok < s; tok++) {
                    for (int i = 0; i < d; i++) {
                        double xi = x.getFlat((b * s + tok) * d + i);
                        gm[i] += xi / ((double) n * s);
                        for (int j = 0; j < d; j++) {
                            double xj = x.getFlat((b * s + tok) * d + j);
                            ce[i * d + j] += (xi - xm[i]) * (xj - xm[j]);
                            ca[i * d + j] += xi * xj / ((double) n * s);
                        }
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    ca[i * d + j] -= gm[i] * gm[j];
                }
            }
            System.out.printf(Locale.ROOT, "    input tokens: effective dimension (participation ratio) token-specific %.2f, whole %.2f%n", pr(ce, d), pr(ca, d));
            double[] vs1 = new double[inner], vs2 = new double[inner], ms1 = new double[inner], ms2 = new double[inner];
            double sumP2 = 0;
            double[][] qkv = new double[3][s * inner];
            Tensor wo = att.output().weight().value();
            int units = wo.dim(1);
            double[] woArr = new double[inner * units];
            for (int i = 0; i < woArr.length; i++) {
                woArr[i] = wo.getFlat(i);
            }
            double[] os1 = new double[units], os2 = new double[units];
            double[] mixedTok = new double[s * inner];
            // ANOVA split per feature: [0] sum_b mbar, [1] sum_b mbar^2, [2] sum of within-sample squared deviations (V, mixed)
            double[][] av = new double[3][inner], am = new double[3][inner];
            for (int b = 0; b < n; b++) {
                for (int t = 0; t < 3; t++) {
                    java.util.Arrays.fill(qkv[t], 0);
                    for (int tok = 0; tok < s; tok++) {
                        for (int i = 0; i < d; i++) {
                            double xi = x.getFlat((b * s + tok) * d + i);
                            for (int o = 0; o < inner; o++) {
                                qkv[t][tok * inner + o] += xi * w[t][i * inner + o];
                            }
                        }
                    }
                }
                double[] p = new double[s];
                for (int hh = 0; hh < h; hh++) {
                    for (int tq = 0; tq < s; tq++) {
                        double mx = Double.NEGATIVE_INFINITY;
                        for (int tk = 0; tk < s; tk++) {
                            double sc = 0;
                            for (int e = 0; e < hd; e++) {
                                sc += qkv[0][tq * inner + hh * hd + e] * qkv[1][tk * inner + hh * hd + e];
                            }
                            p[tk] = c * sc;
                            mx = Math.max(mx, p[tk]);
                        }
                        double z = 0;
                        for (int tk = 0; tk < s; tk++) {
                            p[tk] = Math.exp(p[tk] - mx);
                            z += p[tk];
                        }
                        double p2 = 0;
                        for (int tk = 0; tk < s; tk++) {
                            p[tk] /= z;
                            p2 += p[tk] * p[tk];
                        }
                        sumP2 += p2;
                        for (int e = 0; e < hd; e++) {
                            int f = hh * hd + e;
                            double mixed = 0;
                            for (int tk = 0; tk < s; tk++) {
                                mixed += p[tk] * qkv[2][tk * inner + f];
                            }
                            mixedTok[tq * inner + f] = mixed;
                            ms1[f] += mixed;
                            ms2[f] += mixed * mixed;
                            double v = qkv[2][tq * inner + f];
                            vs1[f] += v;
                            vs2[f] += v * v;
                        }
                    }
                }
                for (int f = 0; f < inner; f++) {
                    double sv = 0, sm = 0;
                    for (int tq = 0; tq < s; tq++) {
                        sv += qkv[2][tq * inner + f];
                        sm += mixedTok[tq * inner + f];
                    }
                    sv /= s;
                    sm /= s;
                    av[0][f] += sv;
                    av[1][f] += sv * sv;
                    am[0][f] += sm;
                    am[1][f] += sm * sm;
                    for (int tq = 0; tq < s; tq++) {
                        av[2][f] += Math.pow(qkv[2][tq * inner + f] - sv, 2);
                        am[2][f] += Math.pow(mixedTok[tq * inner + f] - sm, 2);
                    }
                }
                for (int tq = 0; tq < s; tq++) {
                    for (int o = 0; o < units; o++) {
                        double y = 0;
                        for (int f = 0; f < inner; f++) {
                            y += mixedTok[tq * inner + f] * woArr[f * units + o];
                        }
                        os1[o] += y;
                        os2[o] += y * y;
                    }
                }
            }
            double cnt = (double) n * s, vv = 0, mv = 0;
            for (int f = 0; f < inner; f++) {
                vv += vs2[f] / cnt - Math.pow(vs1[f] / cnt, 2);
                mv += ms2[f] / cnt - Math.pow(ms1[f] / cnt, 2);
            }
            double outVar = 0, outDiag = 0, g1 = 0, g2 = 0;
            for (int o = 0; o < units; o++) {
                double mo = os1[o] / cnt;
                outVar += os2[o] / cnt - mo * mo;
                g1 += mo;
                g2 += mo * mo;
                for (int f = 0; f < inner; f++) {
                    outDiag += (ms2[f] / cnt - Math.pow(ms1[f] / cnt, 2)) * woArr[f * units + o] * woArr[f * units + o];
                }
            }
            // pooled over units: within variance + spread of the unit means
            double pooled = outVar / units + g2 / units - (g1 / units) * (g1 / units);
            double pooledDiag = outDiag / units + g2 / units - (g1 / units) * (g1 / units);
            System.out.printf(Locale.ROOT, "    output projection: measured pooled variance %.4f, from the mixed values' per-feature variances alone %.4f%n", pooled, pooledDiag);
            double[] sv = split(av, n, s), sm = split(am, n, s);
            System.out.printf(Locale.ROOT, "    values: coherent %.4f token-specific %.4f (coherence %.4f); mixed: coherent %.4f token-specific %.4f; "
                    + "kept token-specific %.4f, coherent %.4f%n", sv[0], sv[1], sv[0] / (sv[0] + sv[1]), sm[0], sm[1], sm[1] / sv[1], sm[0] / sv[0]);
            String note = report.entry(node).notes().stream().filter(t -> t.contains("values keep")).findFirst().orElse("-");
            System.out.printf(Locale.ROOT, "%s seed %d %s (%d samples, %d tokens, %d heads x %d): measured kept Var(mixed)/Var(V) %.4f, mean sum p^2 %.4f (1/n %.4f); rule: %s%n",
                    args[0], seed, node, n, s, h, hd, mv / vv, sumP2 / (cnt * h), 1.0 / s, note);
        }
    }
}
