package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.Dense;
import org.autoinit.tensor.DType;
import org.junit.jupiter.api.Test;

/**
 * {@link WeightedStats#predict} on float32 conv weights with 1 and 9 taps (the vector path when the Vector API is on)
 * against the per-unit formulas evaluated here in float64: no tap factors, diagonal taps (validity and mean, no
 * covariance) and taps with a covariance; channels with distinct means and variances. Also float32 Dense weights
 * ({@code [in, out]}, float rows widened every few rows) against the float64 sums, and the float64 fallback when a float
 * product overflows.
 */
class WeightedStatsSimdTest {
    @Test
    void convUnitsMatchFloat64Formulas() {
        SplittableRandom r = new SplittableRandom(11);
        for (int k : new int[] {1, 3}) {
            for (int c : new int[] {5, 64, 200}) {
                Conv2d conv = Conv2d.builder(24, k).padding(k / 2).bias(false).build();
                conv.build(new int[] {c, 6, 6});
                float[] w = conv.weight().value().floatData();
                assertEquals(DType.FLOAT32, conv.weight().value().dtype());
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) (r.nextGaussian() / Math.sqrt(c * k * k));
                }
                double[] mean = new double[c], var = new double[c];
                for (int i = 0; i < c; i++) {
                    mean[i] = 0.5 + 0.3 * r.nextGaussian();
                    var[i] = 0.2 + r.nextDouble();
                }
                ChannelStats in = ChannelStats.of(ChannelStats.Axis.FIRST, mean, var);
                int taps = k * k;
                double[] phi = new double[taps], alpha = new double[taps], cov = new double[taps * taps], u = new double[taps];
                for (int t = 0; t < taps; t++) {
                    phi[t] = 0.6 + 0.4 * r.nextDouble();
                    alpha[t] = Math.sqrt(phi[t]) * (0.9 + 0.1 * r.nextDouble());
                    u[t] = 0.1 * r.nextGaussian();
                }
                for (int t = 0; t < taps; t++) {
                    for (int s = 0; s < taps; s++) {
                        cov[t * taps + s] = u[t] * u[s] + (t == s ? 0.01 : 0);
                    }
                }
                double[][][] cases = {{null, null, null}, {phi, alpha, null}, {phi, alpha, cov}};
                for (double[][] f : cases) {
                    WeightSpec spec = WeightSpec.conv(conv.weight(), null, 1, f[0], f[1], f[2]);
                    ChannelStats got = WeightedStats.predict(spec, in);
                    String name = k + "x" + k + ", " + c + " channels, " + (f[0] == null ? "plain" : f[2] == null ? "diagonal taps" : "tap covariance");
                    for (int j = 0; j < 24; j++) {
                        double[] want = unit(w, j, c, taps, mean, var, f[0], f[1], f[2]);
                        assertEquals(want[0], got.mean(j), 1e-6 * want[2], name + ", unit " + j + " mean");
                        assertEquals(want[1], got.variance(j), 1e-6 * want[1], name + ", unit " + j + " variance");
                    }
                }
            }
        }
    }

    @Test
    void denseUnitsMatchFloat64Sums() {
        SplittableRandom r = new SplittableRandom(12);
        for (int in : new int[] {1, 7, 8, 9, 64, 300}) {
            for (int units : new int[] {1, 10, 16, 37, 100}) {
                Dense d = Dense.builder(units).bias(false).build();
                d.build(new int[] {in});
                float[] w = d.weight().value().floatData();
                assertEquals(DType.FLOAT32, d.weight().value().dtype());
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) (r.nextGaussian() / Math.sqrt(in));
                }
                if (in == 64 && units == 37) {
                    w[5 * units + 3] = 1e20f; // its square overflows a float: unit 3 (and its range) in float64
                }
                double[] mean = new double[in], var = new double[in];
                for (int i = 0; i < in; i++) {
                    mean[i] = 0.5 + 0.3 * r.nextGaussian();
                    var[i] = 0.2 + r.nextDouble();
                }
                ChannelStats got = WeightedStats.predict(WeightSpec.dense(d, false), ChannelStats.of(ChannelStats.Axis.LAST, mean, var));
                for (int j = 0; j < units; j++) {
                    double a = 0, b = 0, scale = 0;
                    for (int i = 0; i < in; i++) {
                        double x = w[i * units + j];
                        a += x * mean[i];
                        b += x * x * var[i];
                        scale += Math.abs(x * mean[i]);
                    }
                    String name = "dense " + in + " -> " + units + ", unit " + j;
                    assertEquals(a, got.mean(j), 1e-6 * scale, name + " mean");
                    assertEquals(b, got.variance(j), 1e-6 * b, name + " variance");
                }
            }
        }
    }

    /**
     * Unit j's (mean, variance, scale of the mean's terms): per tap t, {@code A_t = sum_i w m_i}, {@code B_t = sum_i w^2 v_i},
     * {@code Q_t = sum_i w^2 m_i^2}; mean {@code sum_t alpha_t A_t}, variance {@code sum_t phi_t B_t} plus
     * {@code Q_t max(0, phi_t - alpha_t^2)} (diagonal taps) or {@code max(0, A^T K A)} (covariance K).
     */
    private static double[] unit(float[] w, int j, int c, int taps, double[] m, double[] v, double[] phi, double[] alpha, double[] cov) {
        double[] a = new double[taps], b = new double[taps], q = new double[taps];
        double scale = 0;
        for (int i = 0; i < c; i++) {
            for (int t = 0; t < taps; t++) {
                double x = w[(j * c + i) * taps + t];
                a[t] += x * m[i];
                b[t] += x * x * v[i];
                q[t] += x * x * m[i] * m[i];
                scale += Math.abs(x * m[i]);
            }
        }
        double mean = 0, var = 0;
        for (int t = 0; t < taps; t++) {
            double p = phi == null ? 1 : phi[t], al = phi == null ? 1 : alpha[t];
            mean += al * a[t];
            var += p * b[t] + (phi != null && cov == null ? q[t] * Math.max(0, p - al * al) : 0);
        }
        if (cov != null) {
            double s = 0;
            for (int t = 0; t < taps; t++) {
                for (int u = 0; u < taps; u++) {
                    s += a[t] * cov[t * taps + u] * a[u];
                }
            }
            var += Math.max(0, s);
        }
        return new double[] {mean, var, scale};
    }
}
