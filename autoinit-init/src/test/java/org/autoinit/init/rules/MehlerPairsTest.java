package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * MehlerPairs.fill against Mehler's sum written out term by term (powers of rho, all K orders, no Horner, no
 * truncation), on rows whose correlations are small (the fill stops early there), large (up to 0.97: all orders)
 * and zero, with the relu and f^2 coefficients of real laws.
 */
class MehlerPairsTest {
    private static final int K = FeatureCovariance.K;

    @Test
    void rowOrderDropsOnlyTermsBelowRounding() {
        assertEquals(K, MehlerPairs.top(0.999, K));
        assertEquals(K, MehlerPairs.top(1, K));
        assertEquals(1, MehlerPairs.top(0, K));
        assertTrue(MehlerPairs.top(0.1, K) <= 19, "rmax 0.1: " + MehlerPairs.top(0.1, K));
        for (double r : new double[] {1e-9, 1e-3, 0.05, 0.1, 0.15, 0.3, 0.35}) {
            int t = MehlerPairs.top(r, K);
            assertTrue(Math.pow(r, t + 1) <= Math.scalb(1.0, -60), "rmax " + r + " order " + t);
        }
    }

    @Test
    void fillMatchesTheTermByTermSum() {
        int d = 70;
        SplittableRandom rng = new SplittableRandom(5);
        double[][] pieces = PiecewiseLinearHermite.pieces(org.autoinit.tensor.ops.ActivationKind.RELU, 0, 0);
        double[] var = new double[d], mean = new double[d];
        double[][] b = new double[d][];
        double[] tail = new double[d];
        for (int i = 0; i < d; i++) {
            var[i] = 0.5 + rng.nextDouble();
            mean[i] = 0.6 * rng.nextGaussian();
            b[i] = PiecewiseLinearHermite.coefficients(pieces, mean[i], Math.sqrt(var[i]), K);
            double s = 0;
            for (int k = 1; k <= K; k++) {
                s += b[i][k] * b[i][k];
            }
            tail[i] = 1e-4 * s; // a small truncation remainder, so the rho^(K+1) term is exercised too
        }
        // Correlations: rows 0-19 small (|rho| <= 0.12), 20-39 large (up to 0.97), the rest mixed, one row zero.
        double[] c = new double[d * d];
        for (int i = 0; i < d; i++) {
            c[i * d + i] = var[i];
            for (int j = i + 1; j < d; j++) {
                double rho = i < 20 ? 0.12 * (2 * rng.nextDouble() - 1) : i < 40 ? 0.97 * (2 * rng.nextDouble() - 1)
                        : i == 50 ? 0 : 0.3 * rng.nextGaussian();
                rho = Math.max(-0.97, Math.min(0.97, rho));
                c[i * d + j] = c[j * d + i] = rho * Math.sqrt(var[i] * var[j]);
            }
        }
        double[] out = new double[d * d];
        double excess = MehlerPairs.fill(b, tail, c, d, K, out);
        double wantExcess = 0, scale = 0;
        int o = K + 1;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double rho = c[i * d + j] / Math.sqrt(var[i] * var[j]), s1 = 0, s2 = 0;
                for (int k = 1; k <= K; k++) {
                    s1 += Math.pow(rho, k) * b[i][k] * b[j][k];
                    s2 += Math.pow(rho, k) * b[i][o + k] * b[j][o + k];
                }
                double want = s1 + Math.pow(rho, K + 1) * Math.sqrt(tail[i] * tail[j]);
                double tol = 1e-14 * Math.sqrt(var[i] * var[j]);
                assertEquals(want, out[i * d + j], tol, "pair " + i + ", " + j + " (rho " + rho + ")");
                assertEquals(out[i * d + j], out[j * d + i], 0, "mirrored " + i + ", " + j);
                double e = 2 * (s2 - 2 * s1 * s1 - 4 * b[i][0] * b[j][0] * s1);
                wantExcess += e;
                scale += Math.abs(e);
            }
        }
        assertEquals(wantExcess, excess, 1e-12 * scale, "summed excess");
    }
}
