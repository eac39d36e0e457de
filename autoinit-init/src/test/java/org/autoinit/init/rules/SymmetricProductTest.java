package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.Test;

/**
 * {@link FeatureCovariance#through} on large float32 weights (the float32, upper-triangle path of {@link SymmetricProduct})
 * against float64 loops: every entry within 2e-6 of {@code sqrt(out_aa out_bb)} (float32 sums over a few hundred inputs),
 * the cross-covariance {@code C W} likewise, and the same bits on 1 and 2 threads.
 */
class SymmetricProductTest {

    private static Tensor weight(int d, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor w = Tensor.zeros(DType.FLOAT32, d, n);
        for (int i = 0; i < d * n; i++) {
            w.setFlat(i, r.nextGaussian() / Math.sqrt(d));
        }
        return w;
    }

    /** (W^T C W)_{ab} and (C W)_{ia} by float64 loops over the float32 weights. */
    private static void check(String name, FeatureCovariance in, Tensor w) {
        int d = in.features(), n = w.dim(1);
        assertTrue((long) d * n * n >= SymmetricProduct.FLOAT32_WORK, name + ": shape must take the float32 path");
        FeatureCovariance out = in.through(w);
        double[] cw = new double[d * n];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double c = in.get(i, j);
                if (c != 0) {
                    for (int a = 0; a < n; a++) {
                        cw[i * n + a] += c * w.getFlat(j * n + a);
                    }
                }
            }
        }
        double[] e = new double[n * n];
        for (int i = 0; i < d; i++) {
            for (int a = 0; a < n; a++) {
                double wa = w.getFlat(i * n + a);
                for (int b = 0; b < n; b++) {
                    e[a * n + b] += wa * cw[i * n + b];
                }
            }
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double scale = Math.sqrt(e[a * n + a] * e[b * n + b]);
                assertEquals(e[a * n + b], out.get(a, b), 2e-6 * scale, name + " (W^T C W)[" + a + "][" + b + "]");
                assertEquals(out.get(a, b), out.get(b, a), 0.0, name + " symmetric at [" + a + "][" + b + "]");
            }
        }
        double[] k = out.cross();
        double cmax = 0;
        for (int i = 0; i < d; i++) {
            cmax = Math.max(cmax, in.get(i, i));
        }
        for (int i = 0; i < d * n; i++) {
            assertEquals(cw[i], k[i], 2e-6 * cmax, name + " Cov(x, xW) entry " + i);
        }
        int threads = Parallel.threads();
        try {
            Parallel.setThreads(1);
            double[] one = in.through(w).c;
            Parallel.setThreads(2);
            assertArrayEquals(one, in.through(w).c, name + ": same bits on 1 and 2 threads");
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void diagonalCovarianceThroughALargeFloat32Weight() {
        double[] var = new double[300];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < var.length; i++) {
            var[i] = 0.2 + 2 * r.nextDouble();
        }
        check("diagonal 300 -> 150", FeatureCovariance.independent(var), weight(300, 150, 4));
        java.util.Arrays.fill(var, 1.0);
        check("identity 300 -> 150", FeatureCovariance.independent(var), weight(300, 150, 5));
    }

    @Test
    void fullCovarianceThroughALargeFloat32Weight() {
        // A sample covariance of correlated features: z [400, 200] mixed by a random [200, 200] matrix.
        int nSamples = 400, d = 200;
        SplittableRandom r = new SplittableRandom(6);
        double[] z = new double[nSamples * d], mix = new double[d * d];
        for (int i = 0; i < z.length; i++) {
            z[i] = r.nextGaussian();
        }
        for (int i = 0; i < mix.length; i++) {
            mix[i] = (i % (d + 1) == 0 ? 1 : 0) + 0.1 * r.nextGaussian();
        }
        Tensor x = Tensor.zeros(DType.FLOAT64, nSamples, d);
        for (int s = 0; s < nSamples; s++) {
            for (int j = 0; j < d; j++) {
                double v = 0;
                for (int i = 0; i < d; i++) {
                    v += z[s * d + i] * mix[i * d + j];
                }
                x.setFlat(s * d + j, v);
            }
        }
        check("full 200 -> 160", FeatureCovariance.ofSample(x), weight(d, 160, 7));
    }
}
