package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.autoinit.init.moments.AttentionMoments;
import org.junit.jupiter.api.Test;

/** The softmax expectations behind the attention rule, against init-math's E[sum p^2] and a direct simulation. */
class SoftmaxStatsTest {
    @Test
    void agreesWithQuadratureAndSimulation() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int n : new int[] {2, 5, 49}) {
            for (double s2 : new double[] {0.1, 1.0, 4.0}) {
                double[] st = SoftmaxStats.of(n, s2);
                assertEquals(AttentionMoments.expectedSumOfSquares(n, s2), st[0], 1e-6, "P2 n=" + n + " s2=" + s2);
                int reps = 200_000;
                double t = 0, t2 = 0;
                double[] z = new double[n];
                for (int r = 0; r < reps; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        z[j] = Math.sqrt(s2) * rng.nextGaussian();
                        max = Math.max(max, z[j]);
                    }
                    double d = 0, num = 0;
                    for (int j = 0; j < n; j++) {
                        double e = Math.exp(z[j] - max);
                        d += e;
                        num += e * z[j];
                    }
                    double pz = num / d;
                    t += pz * pz;
                    t2 += pz * pz * pz * pz;
                }
                double mean = t / reps, se = Math.sqrt((t2 / reps - mean * mean) / reps);
                assertEquals(mean, st[1], 4 * se, "T n=" + n + " s2=" + s2);
            }
        }
    }

    /**
     * The fixed inner rule and trapezoid march against the adaptive Gauss-Kronrod reference (asked 1e-10 outside and
     * 1e-11 inside), Gaussian and sphere scores, sphere exponents b = (rank-3)/2 from 0.005 (near-uniform, its edge
     * handled by the tanh-sinh panels) to 500 (tail cut): both results within 1e-10 relative (measured: 2.1e-12 at worst
     * over n = 2..256, s2 = 0.01..9, ranks 3.01..3000 and infinite).
     */
    @Test
    void agreesWithAdaptiveReference() {
        for (double rank : new double[] {3.01, 4.3, 14.2, 48.2, 175.1, 1003, Double.POSITIVE_INFINITY}) {
            for (int n : new int[] {2, 64}) {
                for (double s2 : new double[] {0.05, 1.0, 9.0}) {
                    double[] got = SoftmaxStats.compute(n, Math.sqrt(s2), rank);
                    double[] ref = SoftmaxStatsReference.compute(n, Math.sqrt(s2), rank, 1e-10, 1e-11);
                    String c = "n=" + n + " s2=" + s2 + " rank=" + rank;
                    assertEquals(ref[0], got[0], 1e-10 * ref[0], "P2 " + c);
                    assertEquals(ref[1], got[1], 1e-10 * ref[1], "T " + c);
                }
            }
        }
    }

    /**
     * Sphere scores against a direct simulation: keys are projections of uniform points on the sphere of radius
     * sqrt(rank) in rank dimensions ({@code t = sqrt(rank) g_1 / |g|}, g standard normal), n = 12 keys.
     */
    @Test
    void sphereScoresAgreeWithSimulation() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 12, reps = 40_000;
        for (int rank : new int[] {5, 16}) {
            for (double s2 : new double[] {1.0, 4.0}) {
                double[] st = SoftmaxStats.of(n, s2, rank);
                double p = 0, p2 = 0, t = 0, t2 = 0, q = 0, q2 = 0;
                double[] z = new double[n];
                for (int r = 0; r < reps; r++) {
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < n; j++) {
                        double g1 = rng.nextGaussian(), norm = g1 * g1;
                        for (int d = 1; d < rank; d++) {
                            double g = rng.nextGaussian();
                            norm += g * g;
                        }
                        z[j] = Math.sqrt(s2 * rank / norm) * g1;
                        max = Math.max(max, z[j]);
                    }
                    double d = 0, num = 0, sq = 0, sqz = 0;
                    for (int j = 0; j < n; j++) {
                        double e = Math.exp(z[j] - max);
                        d += e;
                        num += e * z[j];
                        sq += e * e;
                        sqz += e * e * z[j] * z[j];
                    }
                    double pz = num / d, ps = sq / (d * d), pq = sqz / (d * d);
                    q += pq;
                    q2 += pq * pq;
                    p += ps;
                    p2 += ps * ps;
                    t += pz * pz;
                    t2 += pz * pz * pz * pz;
                }
                double mp = p / reps, mt = t / reps;
                double mq = q / reps, seq = Math.sqrt((q2 / reps - mq * mq) / reps);
                double sep = Math.sqrt((p2 / reps - mp * mp) / reps), set = Math.sqrt((t2 / reps - mt * mt) / reps);
                assertEquals(mp, st[0], 4 * sep, "P2 rank=" + rank + " s2=" + s2);
                assertEquals(mt, st[1], 4 * set, "T rank=" + rank + " s2=" + s2);
                assertEquals(mq, st[2], 4 * seq, "Q rank=" + rank + " s2=" + s2);
            }
        }
    }

    @Test
    void limits() {
        assertEquals(0.2, SoftmaxStats.of(5, 0)[0], 1e-15);
        assertEquals(0, SoftmaxStats.of(5, 0)[1], 1e-15);
        assertEquals(1, SoftmaxStats.of(1, 3)[0], 1e-15);
        assertEquals(3, SoftmaxStats.of(1, 3)[1], 1e-15);
        assertEquals(0, SoftmaxStats.of(5, 0)[2], 1e-15);
        assertEquals(3, SoftmaxStats.of(1, 3)[2], 1e-15);
    }
    /** The outer nodes are evaluated over the threads: the same doubles for 1, 2 and 3 threads (and every rank kind). */
    @Test
    void sameBitsOnAnyThreadCount() {
        int before = org.autoinit.tensor.parallel.Parallel.threads();
        try {
            for (double rank : new double[] {Double.POSITIVE_INFINITY, 20.5}) {
                org.autoinit.tensor.parallel.Parallel.setThreads(1);
                double[] one = SoftmaxStats.compute(64, Math.sqrt(0.7), rank);
                for (int t : new int[] {2, 3}) {
                    org.autoinit.tensor.parallel.Parallel.setThreads(t);
                    assertArrayEquals(one, SoftmaxStats.compute(64, Math.sqrt(0.7), rank), "threads " + t + ", rank " + rank);
                }
            }
        } finally {
            org.autoinit.tensor.parallel.Parallel.setThreads(before);
        }
    }
}
