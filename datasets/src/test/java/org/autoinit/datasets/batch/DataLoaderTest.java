package org.autoinit.datasets.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

import org.autoinit.datasets.Dataset;
import org.autoinit.datasets.transform.BatchTransform;
import org.autoinit.datasets.transform.Flatten;
import org.autoinit.datasets.transform.HorizontalFlip;
import org.autoinit.datasets.transform.RandomCrop;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** n samples of shape [1, 3, 3]; every value of sample i is i + (position / 100), labels i mod 3. */
    private static Dataset data(int n) {
        float[] x = new float[n * 9];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < 9; p++) {
                x[i * 9 + p] = i + p / 100f;
            }
            y[i] = i % 3;
        }
        return new Dataset("toy", x, new int[] {1, 3, 3}, y, 3);
    }

    private static List<Batch> epoch(DataLoader loader, int e) {
        List<Batch> out = new ArrayList<>();
        try (BatchIterator it = loader.epoch(e)) {
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }

    @Test
    void everySampleExactlyOncePerEpochWithShortLastBatch() {
        Dataset d = data(23);
        DataLoader loader = DataLoader.builder(d).batchSize(5).shuffle(true).seed(11).build();
        assertEquals(5, loader.batchesPerEpoch());
        for (int e = 0; e < 3; e++) {
            List<Batch> batches = epoch(loader, e);
            assertEquals(List.of(5, 5, 5, 5, 3), batches.stream().map(Batch::size).toList());
            int[] seen = new int[23];
            for (Batch b : batches) {
                assertEquals(e, b.epoch());
                assertArrayEquals(new int[] {b.size(), 1, 3, 3}, b.x().shape());
                for (int r = 0; r < b.size(); r++) {
                    int i = b.indices()[r];
                    seen[i]++;
                    assertEquals(i % 3, b.labels()[r], "label travels with its sample");
                    assertEquals(i, b.x().floatData()[r * 9], "features travel with their sample");
                }
            }
            for (int i = 0; i < 23; i++) {
                assertEquals(1, seen[i], "epoch " + e + ": sample " + i);
            }
        }
        assertFalse(Arrays.equals(epoch(loader, 0).get(0).indices(), epoch(loader, 1).get(0).indices()),
                "each epoch has its own order");
    }

    @Test
    void dropLastDropsOnlyTheIncompleteBatch() {
        DataLoader loader = DataLoader.builder(data(23)).batchSize(5).dropLast(true).build();
        List<Batch> batches = epoch(loader, 0);
        assertEquals(4, loader.batchesPerEpoch());
        assertEquals(List.of(5, 5, 5, 5), batches.stream().map(Batch::size).toList());
        assertArrayEquals(new int[] {15, 16, 17, 18, 19}, batches.get(3).indices(), "no shuffle: dataset order");
    }

    @Test
    void sameSeedSameBatchesWithAndWithoutPrefetch() {
        Dataset d = data(40);
        for (int e = 0; e < 2; e++) {
            List<Batch> a = epoch(loader(d, true, 99), e);
            List<Batch> b = epoch(loader(d, false, 99), e);
            List<Batch> c = epoch(loader(d, true, 99), e);
            assertEquals(a.size(), b.size());
            for (int k = 0; k < a.size(); k++) {
                assertArrayEquals(a.get(k).indices(), b.get(k).indices(), "epoch " + e + " batch " + k);
                assertArrayEquals(a.get(k).x().floatData(), b.get(k).x().floatData(), "epoch " + e + " batch " + k);
                assertArrayEquals(a.get(k).x().floatData(), c.get(k).x().floatData(), "rerun, epoch " + e + " batch " + k);
                assertArrayEquals(a.get(k).labels(), b.get(k).labels());
            }
        }
        assertFalse(Arrays.equals(epoch(loader(d, true, 99), 0).get(0).x().floatData(),
                epoch(loader(d, true, 100), 0).get(0).x().floatData()), "another seed gives other batches");
    }

    private static DataLoader loader(Dataset d, boolean prefetch, long seed) {
        return DataLoader.builder(d).batchSize(7).shuffle(true).seed(seed).prefetch(prefetch)
                .transforms(new RandomCrop(1), new HorizontalFlip(), new Flatten()).build();
    }

    @Test
    void transformsRunInOrderAndOnThePrefetchThread() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        BatchTransform spy = (batch, n, shape, rng) -> {
            threads.add(Thread.currentThread().getName());
            return batch;
        };
        DataLoader loader = DataLoader.builder(data(10)).batchSize(4).transforms(spy, new Flatten()).build();
        assertArrayEquals(new int[] {9}, loader.sampleShape());
        List<Batch> batches = epoch(loader, 3);
        assertArrayEquals(new int[] {4, 9}, batches.get(0).x().shape());
        assertEquals(Set.of("autoinit-prefetch-toy-epoch-3"), threads);
    }

    /** Fails on the batch holding sample 13. */
    private static final BatchTransform FAIL_AT_13 = (float[] batch, int n, int[] shape, RandomGenerator rng) -> {
        for (int s = 0; s < n; s++) {
            if ((int) batch[s * 9] == 13) {
                throw new ArithmeticException("bad sample 13");
            }
        }
        return batch;
    };

    @Test
    void failureWhilePreparingABatchReachesTheCallerAtThatBatch() {
        for (boolean prefetch : new boolean[] {true, false}) {
            DataLoader loader = DataLoader.builder(data(20)).batchSize(5).prefetch(prefetch).transforms(FAIL_AT_13).build();
            try (BatchIterator it = loader.epoch(0)) {
                assertEquals(0, it.next().index());
                assertEquals(1, it.next().index());
                var e = assertThrows(IllegalStateException.class, it::next, "prefetch=" + prefetch);
                assertEquals("BatchIterator: preparing batch 2 of epoch 0 of 'toy' failed: java.lang.ArithmeticException: bad sample 13",
                        e.getMessage());
                assertTrue(e.getCause() instanceof ArithmeticException);
                assertFalse(it.hasNext(), "the epoch ends after a failure");
            }
        }
    }

    @Test
    void closeStopsThePrefetchThreadMidEpoch() {
        DataLoader loader = DataLoader.builder(data(50)).batchSize(2).build();
        BatchIterator it = loader.epoch(7);
        it.next();
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("autoinit-prefetch-toy-epoch-7")).findFirst().orElseThrow();
        assertTrue(worker.isDaemon());
        it.close();
        assertFalse(worker.isAlive(), "thread stopped by close()");
        assertFalse(it.hasNext());
        var e = assertThrows(IllegalStateException.class, it::next);
        assertEquals("BatchIterator: epoch 7 was closed", e.getMessage());
        it.close(); // idempotent
    }

    @Test
    void prefetchThreadEndsByItselfAfterTheLastBatch() throws InterruptedException {
        DataLoader loader = DataLoader.builder(data(6)).batchSize(3).build();
        BatchIterator it = loader.epoch(9);
        Thread worker = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("autoinit-prefetch-toy-epoch-9")).findFirst().orElseThrow();
        it.next();
        it.next();
        worker.join(5000);
        assertFalse(worker.isAlive());
        assertFalse(it.hasNext());
    }

    @Test
    void callerOwnedGeneratorDrivesTheEpochDeterministically() {
        DataLoader loader = DataLoader.builder(data(30)).batchSize(4).shuffle(true)
                .transforms(new RandomCrop(1), new HorizontalFlip()).build(); // no seed: randomness comes from the caller
        List<float[]> a = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        try (BatchIterator it = loader.epoch(0, new java.util.SplittableRandom(5))) {
            it.forEachRemaining(x -> a.add(x.x().floatData()));
        }
        try (BatchIterator it = loader.epoch(0, new java.util.SplittableRandom(5))) {
            it.forEachRemaining(x -> b.add(x.x().floatData()));
        }
        assertEquals(8, a.size());
        for (int k = 0; k < a.size(); k++) {
            assertArrayEquals(a.get(k), b.get(k), "batch " + k);
        }
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        loader.epoch(0, rng).close();
        java.util.SplittableRandom twin = new java.util.SplittableRandom(5);
        twin.nextLong();
        assertEquals(twin.nextLong(), rng.nextLong(), "exactly one long is drawn from the caller's generator per epoch");
    }

    @Test
    void builderRequiresBatchSizeAndASeedForShuffling() {
        DataLoader unseeded = DataLoader.builder(data(3)).shuffle(true).batchSize(2).build();
        var e = assertThrows(IllegalStateException.class, () -> unseeded.epoch(0));
        assertEquals("DataLoader: shuffle(true) needs an explicit seed(long) so runs are reproducible, or pass a generator"
                + " to epoch(int, RandomGenerator)", e.getMessage());
        var e2 = assertThrows(IllegalStateException.class, () -> DataLoader.builder(data(3)).build());
        assertEquals("DataLoader: batchSize(int) is required", e2.getMessage());
        Dataset d = data(3);
        assertSame(d, DataLoader.builder(d).batchSize(1).build().dataset());
    }
}
