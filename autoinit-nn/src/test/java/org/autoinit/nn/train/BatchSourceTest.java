package org.autoinit.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Iterator;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BatchSourceTest {
    @Test
    void inMemoryShufflesDeterministicallyAndCoversEverySampleOnce() {
        int n = 10;
        Tensor x = Tensor.zeros(DType.FLOAT32, n, 2);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x.setFlat(2 * i, i);
            x.setFlat(2 * i + 1, -i);
            y[i] = i;
        }
        BatchSource s = BatchSource.inMemory(x, y, 4, true);
        assertEquals(3, s.batchesPerEpoch());
        int[] a = order(s, new Xoshiro256(1)), b = order(s, new Xoshiro256(1)), c = order(s, new Xoshiro256(2));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        int[] plain = order(BatchSource.inMemory(x, y, 4, false), new Xoshiro256(1));
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, plain);
    }

    /** Labels in visiting order; checks that rows travel with their labels and the last batch is short. */
    private static int[] order(BatchSource s, Xoshiro256 rng) {
        int[] out = new int[10];
        int k = 0;
        int[] sizes = new int[3];
        int bi = 0;
        for (Iterator<Batch> it = s.epoch(0, rng); it.hasNext(); ) {
            Batch b = it.next();
            sizes[bi++] = b.size();
            for (int r = 0; r < b.size(); r++) {
                assertEquals(b.labels()[r], b.x().get(r, 0), 0);
                assertEquals(-b.labels()[r], b.x().get(r, 1), 0);
                out[k++] = b.labels()[r];
            }
        }
        assertArrayEquals(new int[] {4, 4, 2}, sizes);
        return out;
    }
}
