package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.autoinit.init.moments.ActivationMoments;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.layers.Activation;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

/** The per-sample scale mixture: closed forms for relu and identity, and the excess spread of |f(y)|^2 against a simulation. */
class ScaleMixtureTest {

    @Test
    void reluOfAZeroMeanMixtureHasClosedFormMoments() {
        // y = sqrt(r) g, g ~ N(0, v), log r ~ N(-t/2, t): E relu(y) = E[sqrt r] sqrt(v / 2 pi) = e^{-t/8} sqrt(v / 2 pi), E relu(y)^2 = v / 2.
        double v = 1.7, t = 0.8;
        Moments[] m = ScaleMixture.marginals(Activation.relu(), 0, new double[] {0}, new double[] {v}, t);
        // E[sqrt r] by the 7-node rule: ~1e-8 from the closed form at t = 0.8.
        assertEquals(Math.exp(-t / 8) * Math.sqrt(v / (2 * Math.PI)), m[0].mean(), 1e-7);
        assertEquals(v / 2, m[0].secondMoment(), 1e-9);
        // relu is positively homogeneous: M2(r) = r M2(1), so the log-scale variance passes through unchanged.
        assertEquals(t, ScaleMixture.propagated(Activation.relu(), 0, new double[] {0, 0}, new double[] {v, 0.3}, t), 1e-9);
        assertEquals(0, ScaleMixture.propagated(Activation.relu(), 0, new double[] {0}, new double[] {v}, 0), 0);
    }

    @Test
    void mixtureKeepsThePooledMeanAndSecondMomentOfItsInput() {
        // Through the identity, node laws N(a_k mu, r_k (v - Var(a) mu^2)) must pool back to (mu, mu^2 + v).
        Activation id = Activation.of(ActivationKind.IDENTITY);
        double mu = 0.4, v = 1.3, t = 1.5;
        Moments[] m = ScaleMixture.marginals(id, 0, new double[] {mu}, new double[] {v}, t);
        assertEquals(mu, m[0].mean(), 1e-9);
        assertEquals(mu * mu + v, m[0].secondMoment(), 1e-9);
    }

    @Test
    void exponentialGrowthOverflowsToNull() {
        Moments[] m = ScaleMixture.marginals(Activation.of(ActivationKind.EXP), 0, new double[] {0}, new double[] {300}, 2);
        assertEquals(null, m);
    }

    /**
     * The excess (over a Gaussian vector with the same covariance) of the spread of {@code sum_i f(y_i)^2} that
     * {@link FeatureCovariance#activation} reports, against a simulation of correlated Gaussian y.
     */
    @Test
    void excessSpreadOfTheEnergyMatchesSimulation() {
        double[][] l = {{1.0, 0, 0}, {0.6, 0.8, 0}, {-0.3, 0.25, 0.9}};
        double[] mean = {0.3, -0.2, 0.5};
        double[] c = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    c[i * 3 + j] += l[i][k] * l[j][k];
                }
            }
        }
        for (ActivationKind kind : new ActivationKind[] {ActivationKind.SWISH, ActivationKind.RELU, ActivationKind.TANH}) {
            double alpha = kind.defaultAlpha();
            Moments[] exact = new Moments[3];
            for (int i = 0; i < 3; i++) {
                exact[i] = ActivationMoments.of(kind, alpha, Moments.of(mean[i], c[i * 3 + i]));
            }
            FeatureCovariance out = KnownCovariance.of3x3(c).activation(x -> kind.apply(x, alpha), kind.kinks(alpha), mean, exact);
            int n = 2_000_000;
            SplittableRandom rng = new SplittableRandom(5);
            double[] s1 = new double[3], s2 = new double[9], q1 = new double[3], q2 = new double[9];
            double[] f = new double[3];
            for (int r = 0; r < n; r++) {
                double z0 = rng.nextGaussian(), z1 = rng.nextGaussian(), z2 = rng.nextGaussian();
                for (int i = 0; i < 3; i++) {
                    f[i] = kind.apply(mean[i] + l[i][0] * z0 + l[i][1] * z1 + l[i][2] * z2, alpha);
                    s1[i] += f[i];
                    q1[i] += f[i] * f[i];
                }
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        s2[i * 3 + j] += f[i] * f[j];
                        q2[i * 3 + j] += f[i] * f[i] * f[j] * f[j];
                    }
                }
            }
            double excess = 0, energy = 0;
            for (int i = 0; i < 3; i++) {
                energy += q1[i] / n;
                for (int j = 0; j < 3; j++) {
                    double cov = s2[i * 3 + j] / n - s1[i] / n * s1[j] / n;
                    double cov2 = q2[i * 3 + j] / n - q1[i] / n * q1[j] / n;
                    excess += cov2 - 2 * cov * cov - 4 * (s1[i] / n) * (s1[j] / n) * cov;
                }
            }
            double expected = excess / (energy * energy);
            // Fourth-moment estimates: a few per mille of the energy^2 from 2e6 samples.
            assertEquals(expected, out.scaleVariance(), 0.01, kind.id() + " excess log-scale variance");
        }
    }

    /**
     * The between-scale term of the law of total covariance: for y = sqrt(r) g, g ~ N(0, C), log r ~ N(-t/2, t) and
     * relu (positively homogeneous), {@code Cov(f(y_i), f(y_j)) = Cov(f(g_i), f(g_j)) + Var(sqrt r) m_i m_j} exactly,
     * {@code m_i = sqrt(C_ii / 2 pi)}: Mehler's expansion gives the first term, {@link ScaleMixture#meanDeviations} the
     * second. Against 2e6 samples of the mixture, within 4 standard errors of each covariance estimate; the second
     * term alone is more than 10 standard errors (asserted), so without it the off-diagonals would fail.
     */
    @Test
    void scaleMixtureCorrelatesTheFeaturesAlongTheirMeans() {
        double[][] l = {{1.0, 0, 0}, {0.3, 0.9, 0}, {-0.2, 0.1, 1.1}};
        double[] c = new double[9], zero = new double[3], var = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    c[i * 3 + j] += l[i][k] * l[j][k];
                }
            }
            var[i] = c[i * 3 + i];
        }
        double t = 0.6;
        Activation relu = Activation.relu();
        Moments[] exact = ScaleMixture.marginals(relu, 0, zero, var, t);
        FeatureCovariance gauss = KnownCovariance.of3x3(c).activation(x -> Math.max(0, x), new double[] {0}, zero, exact);
        FeatureCovariance mixed = gauss.plusOffDiagonal(ScaleMixture.meanDeviations(relu, 0, zero, var, t));
        int n = 2_000_000;
        SplittableRandom rng = new SplittableRandom(17);
        double[] s1 = new double[3], s2 = new double[9], s4 = new double[9], f = new double[3];
        for (int r = 0; r < n; r++) {
            double scale = Math.exp(0.5 * (Math.sqrt(t) * rng.nextGaussian() - t / 2));
            double z0 = rng.nextGaussian(), z1 = rng.nextGaussian(), z2 = rng.nextGaussian();
            for (int i = 0; i < 3; i++) {
                f[i] = Math.max(0, scale * (l[i][0] * z0 + l[i][1] * z1 + l[i][2] * z2));
                s1[i] += f[i];
            }
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    s2[i * 3 + j] += f[i] * f[j];
                    s4[i * 3 + j] += f[i] * f[i] * f[j] * f[j];
                }
            }
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double cov = s2[i * 3 + j] / n - s1[i] / n * s1[j] / n;
                double se = Math.sqrt((s4[i * 3 + j] / n - Math.pow(s2[i * 3 + j] / n, 2)) / n);
                assertEquals(cov, mixed.get(i, j), 4 * se, "Cov(f_" + i + ", f_" + j + ")");
                if (i != j) {
                    double between = Math.abs(mixed.get(i, j) - gauss.get(i, j));
                    org.junit.jupiter.api.Assertions.assertTrue(between > 10 * se, "the between-scale term matters here: " + between + " vs se " + se);
                }
            }
        }
    }
}
