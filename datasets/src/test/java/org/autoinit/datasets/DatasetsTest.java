package org.autoinit.datasets;

import static org.autoinit.datasets.testing.TestBytes.gzip;
import static org.autoinit.datasets.testing.TestBytes.idxImages;
import static org.autoinit.datasets.testing.TestBytes.idxLabels;
import static org.autoinit.datasets.testing.TestBytes.ramp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dataDir;

    @Test
    void embeddedFashionMnistSmallHasTheRightCountsAndBalance() throws IOException {
        Split s = Datasets.load("fashion-mnist-small", null);
        assertEquals(6000, s.train().size());
        assertEquals(1000, s.test().size());
        assertArrayEquals(new int[] {1, 28, 28}, s.train().sampleShape());
        for (int c = 0; c < 10; c++) {
            assertEquals(600, s.train().classCounts()[c], "train class " + c);
            assertEquals(100, s.test().classCounts()[c], "test class " + c);
        }
        assertEquals("Ankle boot", s.train().classNames().get(9));
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        double sum = 0;
        for (float v : s.train().rawFeatures()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        // Fashion-MNIST's mean pixel is about 0.286; a subset of real images lands near it, noise would not.
        double mean = sum / s.train().rawFeatures().length;
        assertTrue(mean > 0.25 && mean < 0.32, "mean pixel " + mean);
        // Classes are interleaved as in the (shuffled) source, not sorted: the first 20 labels are not all equal.
        assertTrue(java.util.Arrays.stream(s.train().labels(), 0, 20).distinct().count() > 3);
    }

    private void idx(Path dir, String prefix, int n, int side, int pixelMax) throws IOException {
        Files.createDirectories(dir);
        byte[] px = ramp(n * side * side);
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((px[i] & 0xff) % (pixelMax + 1));
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        Files.write(dir.resolve(prefix + "images-idx3-ubyte.gz"), gzip(idxImages(n, side, side, px)));
        Files.write(dir.resolve(prefix + "labels-idx1-ubyte.gz"), gzip(idxLabels(labels)));
    }

    @Test
    void standardLayoutsLoadFromADataDirectory() throws IOException {
        idx(dataDir.resolve("fashion-mnist"), "train-", 30, 4, 255);
        idx(dataDir.resolve("fashion-mnist"), "t10k-", 20, 4, 255);
        Split f = Datasets.load("fashion-mnist", dataDir);
        assertEquals(30, f.train().size());
        assertEquals(20, f.test().size());
        assertEquals("Trouser", f.test().classNames().get(1));

        idx(dataDir.resolve("uci-digits"), "", 50, 8, 16);
        Split u = Datasets.load("uci-digits", dataDir);
        assertEquals(40, u.train().size(), "80% of 5 per class = 4 per class");
        assertEquals(10, u.test().size());
        assertEquals(16f / 16f, max(u.train().rawFeatures()), "pixels 0..16 scaled by 1/16");

        Path bin = Files.createDirectories(dataDir.resolve("cifar-10-batches-bin"));
        for (String name : new String[] {"data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"}) {
            byte[] rec = new byte[3073];
            rec[0] = (byte) (name.startsWith("test") ? 9 : name.charAt(name.length() - 1) - '0');
            Files.write(bin.resolve(name + ".bin"), rec);
        }
        Split c = Datasets.load("cifar10", dataDir);
        assertArrayEquals(new int[] {1, 2, 3, 4, 5}, c.train().labels(), "one record per batch file, in order");
        assertArrayEquals(new int[] {9}, c.test().labels());
        assertArrayEquals(new int[] {3, 32, 32}, c.test().sampleShape());

        idx(dataDir.resolve("mnist-10k"), "", 20, 2, 255);
        Split m = Datasets.load("mnist", dataDir);
        assertEquals(10, m.train().size(), "no mnist/ folder: mnist-10k split 80/20 per class (floor(1.6) = 1)");
        assertEquals(10, m.test().size());
    }

    private static float max(float[] x) {
        float m = -Float.MAX_VALUE;
        for (float v : x) {
            m = Math.max(m, v);
        }
        return m;
    }

    @Test
    void missingFilesAndUnknownNamesAreClear() {
        var e = assertThrows(NoSuchFileException.class, () -> Datasets.load("cifar10", dataDir));
        assertTrue(e.getMessage().startsWith(dataDir.resolve("cifar-10-batches-bin/data_batch_1.bin").toString()), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Datasets.load("imagenet", dataDir));
        assertEquals("Datasets.load: unknown dataset 'imagenet'; known: [fashion-mnist-small, fashion-mnist, mnist, mnist-10k,"
                + " uci-digits, cifar10]", e2.getMessage());
    }
}
