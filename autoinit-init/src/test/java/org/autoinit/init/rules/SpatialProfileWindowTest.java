package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SpatialProfileWindowTest {
    /**
     * The taps' amplitude covariance over a non-uniform profile against a naive loop: per output position, the
     * amplitudes sqrt(beta) the taps read (0 in the padding), products summed over positions in row-major order.
     * Also the taps' mean relative second moment and the output profile. Same order of additions, so the same bits
     * (the 3x3 case runs an unrolled path, others the general loop).
     */
    @Test
    void amplitudeCovarianceMatchesNaiveLoopBitForBit() {
        SplittableRandom r = new SplittableRandom(3);
        // {inH, inW, kh, kw, stride, pad, dilation}
        int[][] cases = {{8, 8, 3, 3, 1, 1, 1}, {9, 7, 3, 3, 2, 1, 1}, {10, 10, 3, 3, 1, 2, 2}, {6, 5, 2, 3, 1, 1, 1}, {7, 7, 1, 1, 2, 0, 1},
                {12, 12, 5, 5, 1, 2, 1}, {4, 4, 3, 3, 1, 0, 1}};
        for (int[] c : cases) {
            int inH = c[0], inW = c[1], kh = c[2], kw = c[3], st = c[4], pad = c[5], dil = c[6];
            int outH = (inH + 2 * pad - dil * (kh - 1) - 1) / st + 1, outW = (inW + 2 * pad - dil * (kw - 1) - 1) / st + 1;
            double[] beta = new double[inH * inW];
            for (int i = 0; i < beta.length; i++) {
                beta[i] = r.nextInt(5) == 0 ? 0 : 0.2 + 2 * r.nextDouble();
            }
            SpatialProfile in = SpatialProfile.normalized(inH, inW, beta);
            assertNotNull(in);
            int taps = kh * kw;
            double[] sum = new double[taps * taps], mean = new double[taps], var = new double[taps], prof = new double[outH * outW];
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    double[] a = new double[taps];
                    for (int t = 0; t < taps; t++) {
                        int ih = oh * st - pad + (t / kw) * dil, iw = ow * st - pad + (t % kw) * dil;
                        boolean real = ih >= 0 && ih < inH && iw >= 0 && iw < inW;
                        a[t] = real ? Math.sqrt(in.at(ih, iw)) : 0;
                        var[t] += real ? in.at(ih, iw) : 0;
                        prof[oh * outW + ow] += real ? in.at(ih, iw) : 0;
                    }
                    for (int t = 0; t < taps; t++) {
                        mean[t] += a[t];
                        for (int u = t; u < taps; u++) {
                            sum[t * taps + u] += a[t] * a[u];
                        }
                    }
                }
            }
            int n = outH * outW;
            SpatialProfile.Taps got = SpatialProfile.window(in, inH, inW, outH, outW, kh, kw, st, st, pad, pad, dil, dil);
            String name = java.util.Arrays.toString(c);
            SpatialProfile expectedOut = SpatialProfile.normalized(outH, outW, prof);
            for (int p = 0; p < outH * outW; p++) {
                assertEquals(expectedOut.at(p / outW, p % outW), got.out().at(p / outW, p % outW), 0.0, name + " out " + p);
            }
            for (int t = 0; t < taps; t++) {
                assertEquals(mean[t] / n, got.mean()[t], 0.0, name + " mean " + t);
                assertEquals(var[t] / n, got.variance()[t], 0.0, name + " variance " + t);
                for (int u = 0; u < taps; u++) {
                    double e = sum[Math.min(t, u) * taps + Math.max(t, u)] / n - (mean[t] / n) * (mean[u] / n);
                    assertEquals(e, got.covariance()[t * taps + u], 0.0, name + " cov " + t + "," + u);
                }
            }
        }
    }
}
