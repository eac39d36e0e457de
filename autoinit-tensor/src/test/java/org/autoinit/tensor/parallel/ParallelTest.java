package org.autoinit.tensor.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The worker pool behind Parallel: every chunk exactly once, failures rethrown, nesting and concurrent callers. */
class ParallelTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void everyChunkRunsExactlyOnceAndChunkZeroOnTheCaller() {
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int chunks : new int[] {1, 2, 3, 7, 64}) {
                for (int rep = 0; rep < 200; rep++) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(chunks);
                    Thread caller = Thread.currentThread();
                    Thread[] ranZero = new Thread[1];
                    Parallel.forChunks(chunks, c -> {
                        hits.incrementAndGet(c);
                        if (c == 0) ranZero[0] = Thread.currentThread();
                    });
                    for (int c = 0; c < chunks; c++) assertEquals(1, hits.get(c), threads + " threads, " + chunks + " chunks, chunk " + c);
                    assertSame(caller, ranZero[0]);
                }
            }
        }
    }

    @Test
    void usesAtMostTheConfiguredThreads() {
        Parallel.setThreads(2);
        var names = ConcurrentHashMap.<String>newKeySet();
        for (int rep = 0; rep < 100; rep++) {
            Parallel.forChunks(16, c -> {
                names.add(Thread.currentThread().getName());
                long s = 0;
                for (int i = 0; i < 10_000; i++) s += i;
                assertTrue(s > 0);
            });
        }
        assertTrue(names.size() <= 2, names.toString());
    }

    @Test
    void theFirstFailureIsRethrownAfterAllChunksFinish() {
        Parallel.setThreads(3);
        AtomicIntegerArray hits = new AtomicIntegerArray(6);
        var e = assertThrows(IllegalStateException.class, () -> Parallel.forChunks(6, c -> {
            hits.incrementAndGet(c);
            if (c == 4) throw new IllegalStateException("chunk 4 failed");
        }));
        assertEquals("chunk 4 failed", e.getMessage());
        for (int c = 0; c < 6; c++) assertEquals(1, hits.get(c), "chunk " + c);
        // The pool still works afterwards.
        AtomicIntegerArray again = new AtomicIntegerArray(3);
        Parallel.forChunks(3, again::incrementAndGet);
        for (int c = 0; c < 3; c++) assertEquals(1, again.get(c));
    }

    @Test
    void nestedAndConcurrentCallsRunEveryChunk() throws Exception {
        Parallel.setThreads(2);
        int outer = 4, inner = 5;
        AtomicIntegerArray hits = new AtomicIntegerArray(outer * inner);
        Parallel.forChunks(outer, o -> Parallel.forChunks(inner, i -> hits.incrementAndGet(o * inner + i)));
        for (int k = 0; k < outer * inner; k++) assertEquals(1, hits.get(k), "nested " + k);
        AtomicIntegerArray shared = new AtomicIntegerArray(8 * 50);
        Thread[] callers = new Thread[8];
        for (int t = 0; t < callers.length; t++) {
            int tt = t;
            callers[t] = new Thread(() -> {
                for (int rep = 0; rep < 50; rep++) {
                    int r = rep;
                    Parallel.forChunks(3, c -> {
                        if (c == 0) shared.incrementAndGet(tt * 50 + r);
                    });
                }
            });
            callers[t].start();
        }
        for (Thread t : callers) t.join();
        for (int k = 0; k < shared.length(); k++) assertEquals(1, shared.get(k), "concurrent caller job " + k);
    }
}
