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

    @Test
    void limits() {
        assertEquals(0.2, SoftmaxStats.of(5, 0)[0], 1e-15);
        assertEquals(0, SoftmaxStats.of(5, 0)[1], 1e-15);
        assertEquals(1, SoftmaxStats.of(1, 3)[0], 1e-15);
        assertEquals(3, SoftmaxStats.of(1, 3)[1], 1e-15);
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
