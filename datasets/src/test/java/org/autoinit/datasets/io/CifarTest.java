package org.autoinit.datasets.io;

import static org.autoinit.datasets.testing.TestBytes.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.autoinit.datasets.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarTest {
    @TempDir
    Path dir;

    /** A record whose pixel at (channel c, row y, col x) is (c * 7 + y * 3 + x + seed) mod 256. */
    private static byte[] record(int[] labelBytes, int seed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int l : labelBytes) {
            out.write(l);
        }
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    out.write((c * 7 + y * 3 + x + seed) & 0xff);
                }
            }
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[]... records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] r : records) {
            out.write(r);
        }
        Path p = dir.resolve(name);
        Files.write(p, out.toByteArray());
        return p;
    }

    @Test
    void cifar10RecordsParseToChannelFirstImages() throws IOException {
        Path a = write("data_batch_1.bin", record(new int[] {3}, 0), record(new int[] {9}, 100));
        Path b = write("data_batch_2.bin", record(new int[] {0}, 200));
        Dataset d = Cifar.load(List.of(a, b), Cifar.Labels.CIFAR10, "c10");
        assertEquals(3, d.size());
        assertArrayEquals(new int[] {3, 32, 32}, d.sampleShape());
        assertArrayEquals(new int[] {3, 9, 0}, d.labels());
        assertEquals("cat", d.classNames().get(3));
        float[] x = d.rawFeatures();
        int[] seeds = {0, 100, 200};
        for (int s = 0; s < 3; s++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y += 5) {
                    for (int xx = 0; xx < 32; xx += 7) {
                        float want = ((c * 7 + y * 3 + xx + seeds[s]) & 0xff) / 255f;
                        assertEquals(want, x[s * 3072 + c * 1024 + y * 32 + xx], "sample " + s + " c" + c + " y" + y + " x" + xx);
                    }
                }
            }
        }
    }

    @Test
    void cifar100UsesCoarseOrFineLabelAndGzipWorks() throws IOException {
        Path f = dir.resolve("train.bin.gz");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        raw.write(record(new int[] {19, 99}, 1));
        raw.write(record(new int[] {4, 42}, 2));
        Files.write(f, gzip(raw.toByteArray()));
        assertArrayEquals(new int[] {19, 4}, Cifar.load(List.of(f), Cifar.Labels.CIFAR100_COARSE, "c").labels());
        Dataset fine = Cifar.load(List.of(f), Cifar.Labels.CIFAR100_FINE, "f");
        assertArrayEquals(new int[] {99, 42}, fine.labels());
        assertEquals(100, fine.numClasses());
        assertEquals((0 * 7 + 0 + 0 + 2) / 255f, fine.rawFeatures()[3072], "first pixel of record 2 follows both label bytes");
    }

    @Test
    void truncatedFileNamesFileAndStartOfPartialRecord() throws IOException {
        byte[] partial = java.util.Arrays.copyOf(record(new int[] {1}, 0), 1000);
        Path p = write("cut.bin", record(new int[] {2}, 0), partial);
        var e = assertThrows(DatasetFormatException.class, () -> Cifar.load(List.of(p), Cifar.Labels.CIFAR10, "c"));
        assertEquals(p + ": truncated file: 4073 bytes is not a whole number of 3073-byte CIFAR10 records; the last record"
                + " starts here and has only 1000 bytes (at byte offset 3073)", e.getMessage());
        assertEquals(3073, e.offset());
    }

    @Test
    void labelOutOfRangeNamesRecordAndOffset() throws IOException {
        Path p = write("bad.bin", record(new int[] {2}, 0), record(new int[] {10}, 0));
        var e = assertThrows(DatasetFormatException.class, () -> Cifar.load(List.of(p), Cifar.Labels.CIFAR10, "c"));
        assertEquals(p + ": label 10 of record 1 is out of range [0, 10) for CIFAR10 (at byte offset 3073)", e.getMessage());
        Path q = write("bad100.bin", record(new int[] {3, 100}, 0));
        var e2 = assertThrows(DatasetFormatException.class, () -> Cifar.load(List.of(q), Cifar.Labels.CIFAR100_FINE, "c"));
        assertEquals(q + ": label 100 of record 0 is out of range [0, 100) for CIFAR100_FINE (at byte offset 1)", e2.getMessage());
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        Path p = write("empty.bin");
        var e = assertThrows(DatasetFormatException.class, () -> Cifar.load(List.of(p), Cifar.Labels.CIFAR10, "c"));
        assertEquals(p + ": empty file: no CIFAR10 records (at byte offset 0)", e.getMessage());
    }
}
