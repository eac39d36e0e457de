package org.autoinit.datasets.fetch;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Extracts a {@code .tar.gz} (POSIX ustar, as the CIFAR archives are): regular files and directories
 * only, each file written to a temporary name and renamed, entries that would land outside the
 * destination refused. Enough for dataset archives; not a general tar implementation.
 */
public final class Tar {
    private static final int BLOCK = 512;

    private Tar() {}

    /** Extracts every regular file of the archive under {@code dest}; returns their paths. */
    public static List<Path> extractGz(Path archive, Path dest) throws IOException {
        Path root = dest.toAbsolutePath().normalize();
        Files.createDirectories(root);
        List<Path> out = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(Files.newInputStream(archive), 1 << 16), 1 << 16)) {
            byte[] header = new byte[BLOCK];
            long offset = 0;
            while (true) {
                if (!readBlock(in, header)) {
                    throw new IOException(archive + ": truncated tar archive at byte offset " + offset + " (expected a header)");
                }
                offset += BLOCK;
                if (isZero(header)) {
                    return out; // end-of-archive marker
                }
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = octal(header, 124, 12, archive, offset - BLOCK);
                char type = (char) header[156];
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException(archive + ": entry '" + name + "' would be extracted outside " + root);
                }
                long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if (type == '0' || type == '\0') {
                    Files.createDirectories(target.getParent());
                    Path tmp = target.resolveSibling(target.getFileName() + ".part");
                    try (OutputStream o = Files.newOutputStream(tmp)) {
                        copy(in, o, size, archive, offset);
                    }
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    skip(in, padded - size, archive, offset + size);
                    out.add(target);
                } else {
                    if (type == '5') {
                        Files.createDirectories(target);
                    }
                    skip(in, padded, archive, offset); // links, pax headers etc. are not needed for datasets
                }
                offset += padded;
            }
        }
    }

    private static boolean readBlock(InputStream in, byte[] b) throws IOException {
        int done = 0;
        while (done < b.length) {
            int n = in.read(b, done, b.length - done);
            if (n < 0) {
                return false;
            }
            done += n;
        }
        return true;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len, Path archive, long at) throws IOException {
        String s = field(h, off, len).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException(archive + ": bad size field '" + s + "' in the tar header at byte offset " + at);
        }
    }

    private static void copy(InputStream in, OutputStream out, long n, Path archive, long at) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = n;
        while (left > 0) {
            int k = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (k < 0) {
                throw new IOException(archive + ": truncated tar archive at byte offset " + (at + n - left));
            }
            out.write(buf, 0, k);
            left -= k;
        }
    }

    private static void skip(InputStream in, long n, Path archive, long at) throws IOException {
        copy(in, OutputStream.nullOutputStream(), n, archive, at);
    }
}
