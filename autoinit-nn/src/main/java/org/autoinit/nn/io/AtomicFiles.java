package org.autoinit.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers only ever see the old complete file or the new complete file: the bytes go
 * to a temporary file in the same directory, are forced to disk, and the temporary file is renamed over
 * the target with {@code ATOMIC_MOVE}. A failure or interruption at any point leaves the target untouched
 * and removes the temporary file.
 *
 * <p>Permissions are those of a plain write: a new file gets the process's default mode (0666 minus the
 * umask, typically 0644), an existing target keeps its mode. ({@code Files.createTempFile} is not used: it
 * creates 0600 files, which would make every saved checkpoint private.)
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** The part of a save that writes bytes into the (temporary) channel. */
    @FunctionalInterface
    public interface ChannelWriter {
        void write(FileChannel channel) throws IOException;
    }

    /** Writes {@code target} atomically with the given body. */
    public static void write(Path target, ChannelWriter body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        // Same directory as the target: a rename within one file system is what makes the move atomic.
        Set<PosixFilePermission> keep = existingPermissions(abs);
        Path tmp = null;
        boolean moved = false;
        try {
            FileChannel ch = null;
            while (ch == null) {
                // No file attributes given: the OS applies the umask, as for any newly created file.
                String suffix = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
                Path candidate = dir.resolve("." + abs.getFileName() + "." + suffix + ".tmp");
                try {
                    ch = FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    tmp = candidate;
                } catch (FileAlreadyExistsException e) {
                    // another writer's temporary file; draw another name
                }
            }
            try (FileChannel c = ch) {
                if (keep != null) {
                    keepPermissions(tmp, keep);
                }
                body.write(c);
                c.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("atomic save: the file system of " + dir + " cannot rename atomically", e);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved && tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** Best effort, as a plain write: a target we may write but do not own cannot pass its mode on, and that is no error. */
    private static void keepPermissions(Path tmp, Set<PosixFilePermission> perms) {
        try {
            Files.setPosixFilePermissions(tmp, perms);
        } catch (IOException | SecurityException e) {
            // the new file keeps the default (umask) mode
        }
    }

    /** The POSIX permissions of an existing regular file, or null (new file, or not a POSIX file system). */
    private static Set<PosixFilePermission> existingPermissions(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return view.readAttributes().permissions();
        } catch (NoSuchFileException e) {
            return null; // deleted meanwhile: a new file
        }
    }

    /** Writes a UTF-8 text file atomically. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, ch -> writeFully(ch, ByteBuffer.wrap(bytes)));
    }

    /** Writes all remaining bytes of {@code buf} (a channel may write fewer per call). */
    public static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is harmless. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open directories; the rename is still atomic, only not yet durable.
        }
    }
}
