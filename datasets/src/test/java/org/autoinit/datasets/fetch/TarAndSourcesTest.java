package org.autoinit.datasets.fetch;

import static org.autoinit.datasets.testing.TestBytes.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarAndSourcesTest {
    @TempDir
    Path dir;

    /** A ustar header: name, octal size, type flag, "ustar" magic and the checksum over the header. */
    private static byte[] header(String name, int size, char type) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, h, 0, n.length);
        put(h, 100, "0000644\0");
        put(h, 124, String.format("%011o", size) + "\0");
        h[156] = (byte) type;
        put(h, 257, "ustar\0");
        put(h, 263, "00");
        put(h, 148, "        ");
        int sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum) + "\0 ");
        return h;
    }

    private static void put(byte[] h, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, at, b.length);
    }

    private static void entry(ByteArrayOutputStream tar, String name, byte[] data, char type) throws IOException {
        tar.write(header(name, data.length, type));
        tar.write(data);
        tar.write(new byte[(512 - data.length % 512) % 512]);
    }

    @Test
    void extractsDirectoriesAndFilesAcrossBlockBoundaries() throws IOException {
        byte[] big = new byte[700];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "cifar-10-batches-bin/", new byte[0], '5');
        entry(tar, "cifar-10-batches-bin/data_batch_1.bin", big, '0');
        entry(tar, "cifar-10-batches-bin/readme.html", "hi".getBytes(StandardCharsets.UTF_8), '0');
        tar.write(new byte[1024]);
        Path archive = dir.resolve("a.tar.gz");
        Files.write(archive, gzip(tar.toByteArray()));
        List<Path> out = Tar.extractGz(archive, dir.resolve("x"));
        assertEquals(2, out.size());
        assertArrayEquals(big, Files.readAllBytes(dir.resolve("x/cifar-10-batches-bin/data_batch_1.bin")));
        assertEquals("hi", Files.readString(dir.resolve("x/cifar-10-batches-bin/readme.html")));
    }

    @Test
    void refusesEntriesOutsideTheDestinationAndTruncation() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "../evil.sh", new byte[3], '0');
        Path archive = dir.resolve("evil.tar.gz");
        Files.write(archive, gzip(tar.toByteArray()));
        var e = assertThrows(IOException.class, () -> Tar.extractGz(archive, dir.resolve("x")));
        assertTrue(e.getMessage().contains("entry '../evil.sh' would be extracted outside"), e.getMessage());

        ByteArrayOutputStream cut = new ByteArrayOutputStream();
        cut.write(header("f.bin", 2000, '0'));
        cut.write(new byte[100]);
        Path truncated = dir.resolve("cut.tar.gz");
        Files.write(truncated, gzip(cut.toByteArray()));
        var e2 = assertThrows(IOException.class, () -> Tar.extractGz(truncated, dir.resolve("y")));
        assertEquals(truncated + ": truncated tar archive at byte offset 612", e2.getMessage());
    }

    @Test
    void registryListsOfficialFilesWithPublishedChecksums() {
        List<Sources.RemoteFile> mnist = Sources.files("mnist");
        assertEquals(List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz"), mnist.stream().map(Sources.RemoteFile::fileName).toList());
        for (Sources.RemoteFile f : mnist) {
            assertTrue(f.urls().stream().allMatch(u -> u.getPath().endsWith("/" + f.fileName())), f.toString());
        }
        assertEquals("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz", Sources.files("cifar10").get(0).urls().get(0).toString());
        // The digests the publishers print (Fashion-MNIST README, torchvision's MNIST table, the CIFAR page).
        assertEquals(Checksum.md5("8d4fb7e6c68d591d4c3dfef9ec88bf0d"), Sources.files("fashion-mnist").get(0).published());
        assertEquals(Checksum.md5("ec29112dd5afa0611ce80d1b7f02629c"), Sources.files("mnist").get(3).published());
        assertEquals(Checksum.md5("c32a1d4ab5d03f1284b67883e8d87530"), Sources.files("cifar10").get(0).published());
        for (String name : Sources.names()) {
            for (Sources.RemoteFile f : Sources.files(name)) {
                assertTrue(f.published() != null, f.toString());
            }
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> Sources.download("fashion-mnist", new Fetcher(dir), Map.of("train-images.gz", "ab".repeat(32))));
        assertEquals("Sources.download: fashion-mnist has no file 'train-images.gz'; its files are [train-images-idx3-ubyte.gz,"
                + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz]", e.getMessage());
    }
}
