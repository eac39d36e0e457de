package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * {@link Law#merged} against the plain definition written here (a division per component, per-group arrays): the
 * same groups and the same bits, on activation-like atoms (sorted runs, many ties at 0), equal weights landing
 * exactly on group boundaries, zero weights and heavy components spanning several groups.
 */
class LawMergeTest {
    @Test
    void sameBitsAsThePlainDefinition() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 2000; trial++) {
            int n = Law.K + 1 + r.nextInt(200);
            double[] w = new double[n], m = new double[n], v = new double[n];
            int kind = trial % 4;
            for (int i = 0; i < n; i++) {
                w[i] = kind == 0 ? 1.0 / n : kind == 1 ? r.nextDouble() : kind == 2 ? (r.nextInt(5) == 0 ? 0 : r.nextDouble()) : Math.pow(r.nextDouble(), 8);
                m[i] = r.nextInt(3) == 0 ? 0.0 : Math.max(0, r.nextGaussian());
                v[i] = r.nextInt(2) == 0 ? 0 : r.nextDouble();
            }
            if (kind == 3) {
                w[r.nextInt(n)] = 50; // one component heavier than several groups together
            }
            Law got = Law.merged(w.clone(), m.clone(), v.clone());
            double[][] want = plain(w, m, v);
            String c = "trial " + trial + ", kind " + kind + ", n " + n;
            assertEquals(want[0].length, got.size(), c);
            assertArrayEquals(want[0], got.w, 0.0, c + " weights");
            assertArrayEquals(want[1], got.mu, 0.0, c + " means");
            assertArrayEquals(want[2], got.var, 0.0, c + " variances");
        }
    }

    /** The definition: sort by mean (stable), component i to group min(K - 1, (int) (cum / total * K)), each group's moments. */
    private static double[][] plain(double[] nw, double[] nm, double[] nv) {
        int n = nw.length, k = Law.K;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(nm[a], nm[b]));
        double total = 0;
        for (double x : nw) {
            total += x;
        }
        double[] gw = new double[k], gm = new double[k], gq = new double[k];
        double cum = 0;
        for (int i : order) {
            int g = Math.min(k - 1, (int) (cum / total * k));
            cum += nw[i];
            gw[g] += nw[i];
            gm[g] += nw[i] * nm[i];
            gq[g] += nw[i] * (nm[i] * nm[i] + nv[i]);
        }
        int used = 0;
        double[] ow = new double[k], om = new double[k], ov = new double[k];
        for (int g = 0; g < k; g++) {
            if (gw[g] <= 0) {
                continue;
            }
            double mean = gm[g] / gw[g];
            ow[used] = gw[g] / total;
            om[used] = mean;
            ov[used++] = Math.max(0, gq[g] / gw[g] - mean * mean);
        }
        return new double[][] {Arrays.copyOf(ow, used), Arrays.copyOf(om, used), Arrays.copyOf(ov, used)};
    }
}
