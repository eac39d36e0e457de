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
            Integer[] boxed = new Integer[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = i;
            }
            Arrays.sort(boxed, (a, b) -> Double.compare(key[a], key[b]));
            assertArrayEquals(Arrays.stream(boxed).mapToInt(Integer::intValue).toArray(), Law.sortedOrder(key), "n = " + n);
        }
    }
}
