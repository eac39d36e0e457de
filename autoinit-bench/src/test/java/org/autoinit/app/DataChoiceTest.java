package org.autoinit.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autoinit.datasets.io.Idx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataChoiceTest {
    /** Writes n 2x2 images with pixel values (i + k) % 256 and labels i % 10 as {prefix}images/labels. */
    private static void idx(Path dir, String prefix, int n) throws IOException {
        byte[] px = new byte[n * 4];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 4; k++) px[4 * i + k] = (byte) ((7 * i + 50 * k) % 256);
            labels[i] = i % 10;
        }
        Files.createDirectories(dir);
        Idx.writeImages(dir.resolve(prefix + "images-idx3-ubyte.gz"), new Idx.Images(n, 2, 2, px), true);
        Idx.writeLabels(dir.resolve(prefix + "labels-idx1-ubyte.gz"), labels, true);
    }

    @Test
    void anIdxFolderLoadsAndIsStandardizedWithTrainStatistics(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("myset");
        idx(dir, "train-", 40);
        idx(dir, "t10k-", 20);
        DataChoice d = DataChoice.load(null, dir);
        assertEquals("myset", d.name());
        assertEquals(40, d.train().size());
        assertEquals(20, d.test().size());
        assertArrayEquals(new int[] {1, 2, 2}, d.sampleShape());
        double s = 0, q = 0;
        for (float v : d.train().rawFeatures()) {
            s += v;
            q += v * v;
        }
        int n = d.train().rawFeatures().length;
        assertEquals(0, s / n, 1e-5, "train mean after standardization");
        assertEquals(1, q / n, 1e-4, "train variance after standardization");
        assertTrue(d.description().contains("40 train / 20 test"), d.description());

        DataChoice small = d.limit(10, 5);
        assertEquals(10, small.train().size());
        assertEquals(5, small.test().size());
        assertEquals(d.train().rawFeatures()[3], small.train().rawFeatures()[3], "the first samples are kept");
        assertSame(d, d.limit(0, 0));
        assertSame(d, d.limit(1000, 1000), "a limit above the size keeps everything");

        // as a data root: <root>/fashion-mnist/ is picked up by name
        idx(tmp.resolve("root/fashion-mnist"), "train-", 30);
        idx(tmp.resolve("root/fashion-mnist"), "t10k-", 10);
        DataChoice f = DataChoice.fashionMnistOrEmbedded(tmp.resolve("root"));
        assertEquals("fashion-mnist", f.name());
        assertEquals(30, f.train().size());
    }

    @Test
    void withoutDataTheEmbeddedSubsetIsUsed(@TempDir Path tmp) throws IOException {
        DataChoice d = DataChoice.fashionMnistOrEmbedded(tmp);
        assertTrue(d.embedded());
        assertEquals(6000, d.train().size());
        assertEquals(1000, d.test().size());
        assertEquals("T-shirt/top", d.test().classNames().get(0));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> DataChoice.load(null, tmp)).getMessage().startsWith("data: give --dataset NAME"));
    }
}
