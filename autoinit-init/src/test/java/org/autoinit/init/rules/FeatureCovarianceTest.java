package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.autoinit.init.moments.ActivationMoments;
import org.autoinit.init.moments.Moments;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

/** The covariance of f(y) for correlated Gaussian y (Hermite expansion) against a simulation, and W^T C W. */
class FeatureCovarianceTest {

    @Test
    void activationCovarianceMatchesSimulation() {
        // y = L z with a hand-picked lower-triangular L: correlations 0.8, -0.5 and 0.3-ish, unequal scales and means.
        double[][] l = {{1.0, 0, 0}, {0.96, 0.72, 0}, {-0.3, 0.25, 0.5}};
        double[] mean = {0.2, -0.4, 0.7};
        double[] c = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    c[i * 3 + j] += l[i][k] * l[j][k];
                }
            }
        }
        for (ActivationKind kind : new ActivationKind[] {ActivationKind.RELU, ActivationKind.TANH, ActivationKind.GELU, ActivationKind.ELU}) {
            double alpha = kind.defaultAlpha();
            Moments[] exact = new Moments[3];
            for (int i = 0; i < 3; i++) {
                exact[i] = ActivationMoments.of(kind, alpha, Moments.of(mean[i], c[i * 3 + i]));
            }
            FeatureCovariance exactIn = KnownCovariance.of3x3(c);
            FeatureCovariance out = exactIn.activation(x -> kind.apply(x, alpha), kind.kinks(alpha), mean, exact);
            int n = 1_000_000;
            SplittableRandom rng = new SplittableRandom(7);
            double[] s1 = new double[3], s2 = new double[9];
            double[] f = new double[3];
            for (int r = 0; r < n; r++) {
                double z0 = rng.nextGaussian(), z1 = rng.nextGaussian(), z2 = rng.nextGaussian();
                for (int i = 0; i < 3; i++) {
                    f[i] = kind.apply(mean[i] + l[i][0] * z0 + l[i][1] * z1 + l[i][2] * z2, alpha);
                    s1[i] += f[i];
                }
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        s2[i * 3 + j] += f[i] * f[j];
                    }
                }
            }
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double cov = s2[i * 3 + j] / n - (s1[i] / n) * (s1[j] / n);
                    double se = Math.sqrt(out.get(i, i) * out.get(j, j) * 2 / n);
                    assertEquals(cov, out.get(i, j), 4 * se + 1e-9, kind.id() + " Cov(f(y_" + i + "), f(y_" + j + "))");
                }
            }
        }
    }

    @Test
    void denseMapsAnIndependentCovarianceExactly() {
        // The diagonal fast path (one GEMM): W^T diag(v) W by hand-rolled loops, float32 weights.
        float[] w = {0.5f, -1.0f, 2.0f, 0.3f, 0.0f, 1.5f};
        double[] var = {2, 0.7, 3};
        FeatureCovariance out = FeatureCovariance.independent(var).through(Tensor.of(w, 3, 2));
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double e = 0;
                for (int i = 0; i < 3; i++) {
                    e += w[i * 2 + a] * var[i] * w[i * 2 + b];
                }
                assertEquals(e, out.get(a, b), 1e-12);
            }
        }
    }

    @Test
    void denseMapsTheCovarianceExactly() {
        double[] w = {0.5, -1.0, 2.0, 0.3, 0.0, 1.5};
        Tensor wt = Tensor.of(w, 3, 2);
        FeatureCovariance c = KnownCovariance.of3x3(new double[] {2, 0.5, 0, 0.5, 1, -0.3, 0, -0.3, 3});
        FeatureCovariance out = c.through(wt);
        // (W^T C W)_{ab} written out by hand-rolled loops.
        for (int a = 0; a < 2; a++) {
            for (int b = 0; b < 2; b++) {
                double e = 0;
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        e += w[i * 2 + a] * c.get(i, j) * w[j * 2 + b];
                    }
                }
                assertEquals(e, out.get(a, b), 1e-12);
            }
        }
    }
}
