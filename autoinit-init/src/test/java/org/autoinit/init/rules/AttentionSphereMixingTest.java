package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The attention rule's mixing factor for keys straight out of a LayerNorm (on a sphere) against a direct simulation:
 * n keys e_j uniform on the sphere of radius sqrt(D) in D dimensions (per-dimension variance 1), scores
 * {@code sqrt(s2) e_j[0]} (projections on one query direction), softmax weights p; the values are the keys
 * themselves, so the kept fraction is {@code E|sum_j p_j e_j|^2 / D}. The rule must match within 4 standard errors
 * (10^5 draws); the former rule, which took a key's orthogonal part as independent of its score, must not.
 */
class AttentionSphereMixingTest {
    @Test
    void sphereKeysKeepWhatTheRuleSays() {
        SplittableRandom rng = new SplittableRandom(11);
        int reps = 100_000, n = 16;
        boolean formerOff = false;
        for (int dim : new int[] {8, 14}) {
            for (double s2 : new double[] {1.0, 4.0}) {
                double[][] e = new double[n][dim];
                double[] z = new double[n], m = new double[dim];
                double k = 0, k2 = 0;
                for (int r = 0; r < reps; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        double norm = 0;
                        for (int d = 0; d < dim; d++) {
                            e[j][d] = rng.nextGaussian();
                            norm += e[j][d] * e[j][d];
                        }
                        double scale = Math.sqrt(dim / norm);
                        for (int d = 0; d < dim; d++) {
                            e[j][d] *= scale;
                        }
                        z[j] = Math.sqrt(s2) * e[j][0];
                        max = Math.max(max, z[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        z[j] = Math.exp(z[j] - max);
                        sum += z[j];
                    }
                    java.util.Arrays.fill(m, 0);
                    for (int j = 0; j < n; j++) {
                        for (int d = 0; d < dim; d++) {
                            m[d] += z[j] / sum * e[j][d];
                        }
                    }
                    double kept = 0;
                    for (int d = 0; d < dim; d++) {
                        kept += m[d] * m[d] / dim;
                    }
                    k += kept;
                    k2 += kept * kept;
                }
                double mean = k / reps, se = Math.sqrt((k2 / reps - mean * mean) / reps);
                double rule = AttentionRule.mixing(n, s2, 1.0 / dim, dim);
                assertEquals(mean, rule, 4 * se, "kept fraction, D=" + dim + " s2=" + s2 + " (simulated " + mean + " +- " + se + ")");
                double[] st = SoftmaxStats.of(n, s2, dim);
                double former = (1 - 1.0 / dim) * st[0] + st[1] / s2 / dim;
                formerOff |= Math.abs(former - mean) > 4 * se;
                System.out.printf(java.util.Locale.ROOT, "sphere mixing D=%d s2=%.1f: simulated %.5f +- %.5f, rule %.5f, former rule %.5f%n", dim, s2, mean, se, rule, former);
            }
        }
        assertTrue(formerOff, "the simulation should tell the sphere rule from the former one");
    }
}
