package org.autoinit.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private static Set<PosixFilePermission> perms(Path p) throws IOException {
        return Files.getPosixFilePermissions(p);
    }

    @Test
    void newFilesGetTheSameModeAsAPlainWrite() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Path plain = dir.resolve("plain.txt");
        Files.writeString(plain, "x"); // the reference: open(O_CREAT) with mode 0666, minus the umask
        Set<PosixFilePermission> expected = perms(plain);
        // Every umask leaves more than owner read+write on a plain file unless it is 077; 0600 was the bug.
        assumeTrue(!expected.equals(PosixFilePermissions.fromString("rw-------")), "umask 077: cannot tell the modes apart");

        Path text = dir.resolve("manifest.json");
        AtomicFiles.writeString(text, "{}");
        assertEquals(PosixFilePermissions.toString(expected), PosixFilePermissions.toString(perms(text)));

        Path weights = dir.resolve("w.safetensors");
        Safetensors.write(weights, Map.of("w", Tensor.zeros(DType.FLOAT32, 3)));
        assertEquals(PosixFilePermissions.toString(expected), PosixFilePermissions.toString(perms(weights)));
        assertTrue(perms(weights).contains(PosixFilePermission.OWNER_READ) && perms(weights).contains(PosixFilePermission.OWNER_WRITE));
    }

    @Test
    void replacingAFileKeepsItsMode() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX permissions only");
        Path f = dir.resolve("history.csv");
        AtomicFiles.writeString(f, "a");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.writeString(f, "b");
        assertEquals("b", Files.readString(f));
        assertEquals("rw-r-----", PosixFilePermissions.toString(perms(f)));
        // Even a read-only target is replaced (the rename needs only the directory) and stays read-only.
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r--r--"));
        AtomicFiles.writeString(f, "c");
        assertEquals("c", Files.readString(f));
        assertEquals("r--r--r--", PosixFilePermissions.toString(perms(f)));
    }

    @Test
    void failedBodyLeavesNoTemporaryFileAndTheOldContent() throws IOException {
        Path f = dir.resolve("a.txt");
        AtomicFiles.writeString(f, "old");
        IOException boom = new IOException("disk full");
        IOException thrown = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> AtomicFiles.write(f, ch -> {
            AtomicFiles.writeFully(ch, java.nio.ByteBuffer.wrap("new but incompl".getBytes()));
            throw boom;
        }));
        assertTrue(thrown == boom);
        assertEquals("old", Files.readString(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }
}
