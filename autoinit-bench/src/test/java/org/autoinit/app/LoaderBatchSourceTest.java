package org.autoinit.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

import org.autoinit.datasets.Dataset;
import org.autoinit.nn.train.Batch;
import org.junit.jupiter.api.Test;

class LoaderBatchSourceTest {
    /** 10 samples of 2 features: sample i is (i, -i), label i % 3. */
    private static Dataset data() {
        float[] x = new float[20];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = -i;
            y[i] = i % 3;
        }
        return new Dataset("toy", x, new int[] {2}, y, 3);
    }

    private static List<Integer> order(Iterator<Batch> it, List<Integer> sizes) {
        List<Integer> ids = new ArrayList<>();
        while (it.hasNext()) {
            Batch b = it.next();
            sizes.add(b.size());
            for (int r = 0; r < b.size(); r++) {
                int id = (int) b.x().getFlat(2 * r);
                assertEquals(-id, b.x().getFlat(2 * r + 1), 0, "features of one sample stay together");
                assertEquals(id % 3, b.labels()[r], "label travels with its sample");
                ids.add(id);
            }
        }
        return ids;
    }

    @Test
    void eachEpochVisitsEverySampleOnceInAnOrderDrawnFromTheTrainersGenerator() {
        try (LoaderBatchSource src = LoaderBatchSource.training(data(), 4)) {
            assertEquals(3, src.batchesPerEpoch());
            List<Integer> sizes = new ArrayList<>();
            List<Integer> a = order(src.epoch(0, new SplittableRandom(5)), sizes);
            assertEquals(List.of(4, 4, 2), sizes);
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), a.stream().sorted().toList());
            assertEquals(a, order(src.epoch(0, new SplittableRandom(5)), new ArrayList<>()), "same generator state, same order");
            assertFalse(a.equals(order(src.epoch(0, new SplittableRandom(6)), new ArrayList<>())), "another state, another order");
            // the order depends only on the generator, not on the epoch number (the trainer's stream carries the epoch)
            assertEquals(a, order(src.epoch(7, new SplittableRandom(5)), new ArrayList<>()));
        }
    }

    @Test
    void oneNextLongPerEpochSoTheTrainersStreamAdvancesPredictably() {
        SplittableRandom used = new SplittableRandom(9), expected = new SplittableRandom(9);
        try (LoaderBatchSource src = LoaderBatchSource.training(data(), 3)) {
            order(src.epoch(0, used), new ArrayList<>());
            expected.nextLong();
            assertEquals(expected.nextLong(), used.nextLong());
        }
    }

    @Test
    void inOrderSourceKeepsDatasetOrderAndExhaustedIteratorsThrow() {
        try (LoaderBatchSource src = LoaderBatchSource.inOrder(data(), 6)) {
            Iterator<Batch> it = src.epoch(0, new SplittableRandom(1));
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), order(it, new ArrayList<>()));
            assertThrows(NoSuchElementException.class, it::next);
            src.close();
            src.close(); // idempotent
            assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2}, src.epoch(1, new SplittableRandom(1)).next().labels());
        }
    }
}
