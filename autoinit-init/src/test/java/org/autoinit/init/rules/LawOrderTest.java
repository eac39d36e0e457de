package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** {@link Law#sortedOrder}: the permutation a stable sort of boxed indices by {@code Double.compare} gives, ties included. */
class LawOrderTest {
    @Test
    void sameOrderAsAStableBoxedSort() {
        SplittableRandom r = new SplittableRandom(2);
        for (int n : new int[] {0, 1, 2, 7, 96, 144, 1000}) {
            double[] key = new double[n];
            for (int i = 0; i < n; i++) {
                // Many ties (relu maps half the atoms to 0), signed zeros and repeats.
                key[i] = r.nextInt(4) == 0 ? 0.0 : r.nextInt(3) == 0 ? -0.0 : Math.floor(r.nextGaussian() * 4) / 4;
            }
            assertArrayEquals(stableBoxedOrder(key), Law.sortedOrder(key), "n = " + n);
        }
    }

    /** Keys made of sorted runs with ties within and across runs (relu of each component's atoms), odd and even run counts. */
    @Test
    void sameOrderOnPresortedRuns() {
        SplittableRandom r = new SplittableRandom(5);
        for (int runs : new int[] {1, 2, 3, 12, 13}) {
            for (int len : new int[] {1, 8}) {
                double[] key = new double[runs * len];
                for (int c = 0; c < runs; c++) {
                    double x = Math.floor(r.nextGaussian() * 4) / 4;
                    for (int j = 0; j < len; j++) {
                        key[c * len + j] = Math.max(0.0, x);
                        x += r.nextInt(3) / 4.0;
                    }
                }
                assertArrayEquals(stableBoxedOrder(key), Law.sortedOrder(key), runs + " runs of " + len);
            }
        }
    }

    /**
     * Consecutive calls with keys that keep the previous order (the last order is reused after a check), that tie
     * where the previous keys did not, that swap two keys, and of another length: each the stable boxed order.
     */
    @Test
    void reusedOrderOnlyWhenItStillSorts() {
        SplittableRandom r = new SplittableRandom(9);
        for (int trial = 0; trial < 200; trial++) {
            int n = 96;
            double[] key = new double[n];
            for (int i = 0; i < n; i++) {
                key[i] = r.nextInt(3) == 0 ? 0.0 : Math.floor(r.nextGaussian() * 8) / 8;
            }
            assertArrayEquals(stableBoxedOrder(key), Law.sortedOrder(key), "trial " + trial + ": fresh keys");
            double[] near = key.clone();
            for (int i = 0; i < n; i++) {
                near[i] *= 1 + 1e-9 * r.nextDouble(); // the order of distinct keys is kept, ties may break
            }
            assertArrayEquals(stableBoxedOrder(near), Law.sortedOrder(near), "trial " + trial + ": perturbed keys");
            double[] tied = near.clone();
            int i = r.nextInt(n), j = r.nextInt(n);
            tied[i] = tied[j]; // a new tie: index order decides
            assertArrayEquals(stableBoxedOrder(tied), Law.sortedOrder(tied), "trial " + trial + ": new tie");
            double[] swapped = tied.clone();
            swapped[i] = tied[j] + 1;
            swapped[j] = tied[i] - 1;
            assertArrayEquals(stableBoxedOrder(swapped), Law.sortedOrder(swapped), "trial " + trial + ": swapped keys");
            double[] shorter = Arrays.copyOf(swapped, n - 1 - r.nextInt(4));
            assertArrayEquals(stableBoxedOrder(shorter), Law.sortedOrder(shorter), "trial " + trial + ": shorter keys");
        }
    }

    private static int[] stableBoxedOrder(double[] key) {
        Integer[] boxed = new Integer[key.length];
        for (int i = 0; i < key.length; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(key[a], key[b]));
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }
}
