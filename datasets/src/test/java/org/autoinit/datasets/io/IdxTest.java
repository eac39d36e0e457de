package org.autoinit.datasets.io;

import static org.autoinit.datasets.testing.TestBytes.gzip;
import static org.autoinit.datasets.testing.TestBytes.head;
import static org.autoinit.datasets.testing.TestBytes.idxImages;
import static org.autoinit.datasets.testing.TestBytes.idxLabels;
import static org.autoinit.datasets.testing.TestBytes.ramp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autoinit.datasets.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    @Test
    void rawAndGzipLoadTheSameScaledPixelsAndLabels() throws IOException {
        byte[] px = {0, (byte) 255, 51, 102, (byte) 204, 1, 2, 3, 4, 5, 6, 7}; // 2 images of 2x3
        byte[] images = idxImages(2, 2, 3, px);
        byte[] labels = idxLabels(7, 0);
        for (boolean gz : new boolean[] {false, true}) {
            Path im = write("im" + gz, gz ? gzip(images) : images);
            Path lb = write("lb" + gz, gz ? gzip(labels) : labels);
            Dataset d = Idx.load(im, lb, "tiny");
            assertEquals(2, d.size());
            assertArrayEquals(new int[] {1, 2, 3}, d.sampleShape());
            assertArrayEquals(new int[] {7, 0}, d.labels());
            assertEquals(10, d.numClasses());
            float[] expect = new float[px.length];
            for (int i = 0; i < px.length; i++) {
                expect[i] = (px[i] & 0xff) / 255f;
            }
            assertArrayEquals(expect, d.rawFeatures(), "gzip=" + gz);
            assertEquals(1f, d.rawFeatures()[1], "255 maps to 1");
        }
    }

    @Test
    void pixelMaxScalesAndRejectsLargerValues() throws IOException {
        Path im = write("im", idxImages(1, 1, 2, new byte[] {16, 8}));
        Path lb = write("lb", idxLabels(3));
        assertArrayEquals(new float[] {1f, 0.5f}, Idx.load(im, lb, "uci", 10, 16).rawFeatures());
        Path bad = write("bad", idxImages(1, 1, 2, new byte[] {16, 17}));
        var e = assertThrows(DatasetFormatException.class, () -> Idx.load(bad, lb, "uci", 10, 16));
        assertEquals(bad + ": pixel value 17 of image 0 exceeds the maximum 16 expected for this dataset (at byte offset 17)", e.getMessage());
        assertEquals(17, e.offset());
    }

    @Test
    void wrongMagicNamesFileOffsetAndWhatItFound() throws IOException {
        Path lb = write("labels", idxLabels(1, 2));
        var e = assertThrows(DatasetFormatException.class, () -> Idx.load(lb, lb, "x"));
        assertEquals(lb + ": wrong magic number 0x00000801 (this is an IDX labels file), expected 0x00000803 for IDX images"
                + " (at byte offset 0)", e.getMessage());
        Path junk = write("junk", new byte[] {1, 2, 3, 4, 0, 0, 0, 0});
        var e2 = assertThrows(DatasetFormatException.class, () -> Idx.readLabels(junk, 10));
        assertTrue(e2.getMessage().contains("wrong magic number 0x01020304, expected 0x00000801"), e2.getMessage());
    }

    @Test
    void truncatedRawFileNamesFileAndOffset() throws IOException {
        byte[] full = idxImages(3, 2, 2, ramp(12));
        Path cut = write("cut", head(full, 16 + 7));
        var e = assertThrows(DatasetFormatException.class, () -> Idx.readImages(cut));
        assertEquals(cut + ": truncated file: expected 12 bytes of pixels of 3 images of 2x2 starting at byte offset 16,"
                + " but the data ends after 7 (at byte offset 23)", e.getMessage());
        assertEquals(23, e.offset());
        assertEquals(cut.toString(), e.source());

        Path headerCut = write("hcut", head(full, 6));
        var e2 = assertThrows(DatasetFormatException.class, () -> Idx.readImages(headerCut));
        assertTrue(e2.getMessage().startsWith(headerCut + ": truncated file: expected 4 bytes of image count starting at byte offset 4"),
                e2.getMessage());
    }

    @Test
    void truncatedGzipFileNamesFileAndDecompressedOffset() throws IOException {
        // Incompressible-ish pixels so the cut lands in the middle of the pixel data.
        byte[] px = new byte[4000];
        new java.util.SplittableRandom(1).nextBytes(px);
        byte[] z = gzip(idxImages(10, 20, 20, px));
        Path cut = write("cut.gz", head(z, z.length / 2));
        var e = assertThrows(DatasetFormatException.class, () -> Idx.readImages(cut));
        assertTrue(e.getMessage().startsWith(cut + ": truncated or corrupt gzip data while reading pixels of 10 images of 20x20"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(" of the decompressed data)"), e.getMessage());
        assertTrue(e.offset() >= 16 && e.offset() < 16 + 4000, "offset " + e.offset());
    }

    @Test
    void corruptGzipTrailerIsReported() throws IOException {
        byte[] z = gzip(idxLabels(1, 2, 3));
        z[z.length - 6] ^= 0x55; // damage the CRC in the trailer
        Path bad = write("bad.gz", z);
        var e = assertThrows(DatasetFormatException.class, () -> Idx.readLabels(bad, 10));
        assertTrue(e.getMessage().startsWith(bad + ": corrupt gzip trailer after 3 labels"), e.getMessage());
        assertEquals(11, e.offset());
    }

    @Test
    void trailingBytesAreAnError() throws IOException {
        byte[] ok = idxLabels(1, 2);
        byte[] extra = java.util.Arrays.copyOf(ok, ok.length + 3);
        Path p = write("extra", extra);
        var e = assertThrows(DatasetFormatException.class, () -> Idx.readLabels(p, 10));
        assertEquals(p + ": 3 unexpected trailing byte(s) after 2 labels (at byte offset 10)", e.getMessage());
    }

    @Test
    void countMismatchNamesBothFiles() throws IOException {
        Path im = write("im", idxImages(3, 1, 1, new byte[3]));
        Path lb = write("lb", idxLabels(1, 2));
        var e = assertThrows(DatasetFormatException.class, () -> Idx.load(im, lb, "x"));
        assertEquals(lb + ": holds 2 labels but " + im + " holds 3 images (at byte offset 4)", e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesSampleAndOffset() throws IOException {
        Path lb = write("lb", idxLabels(1, 2, 10, 3));
        var e = assertThrows(DatasetFormatException.class, () -> Idx.readLabels(lb, 10));
        assertEquals(lb + ": label 10 of sample 2 is out of range [0, 10) (at byte offset 10)", e.getMessage());
        assertEquals(10, e.offset());
    }

    @Test
    void emptyImageSizeIsRejected() throws IOException {
        Path im = write("im", idxImages(1, 0, 5, new byte[0]));
        var e = assertThrows(DatasetFormatException.class, () -> Idx.readImages(im));
        assertEquals(im + ": image size 0x5 must be positive (at byte offset 8)", e.getMessage());
    }

    @Test
    void writersProduceWhatTheReaderAndTheSpecExpect() throws IOException {
        Idx.Images images = new Idx.Images(2, 1, 2, new byte[] {9, 8, 7, 6});
        Path im = dir.resolve("w-im.gz");
        Path lb = dir.resolve("w-lb");
        Idx.writeImages(im, images, true);
        Idx.writeLabels(lb, new int[] {4, 5}, false);
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(im))) {
            assertArrayEquals(idxImages(2, 1, 2, new byte[] {9, 8, 7, 6}), in.readAllBytes(), "decompressed bytes");
        }
        assertArrayEquals(idxLabels(4, 5), Files.readAllBytes(lb));
        assertArrayEquals(new byte[] {9, 8, 7, 6}, Idx.readImages(im).pixels());
    }
}
