package org.autoinit.datasets.io;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Sequential big-endian reader over a raw or gzip file that knows its byte offset, so every failure
 * (truncation, corrupt gzip, bad header) is reported with the file name and where it happened.
 */
final class ByteReader implements Closeable {
    private static final int CHUNK = 1 << 16;

    private final InputStream in;
    private final String source;
    private final boolean gzip;
    private long offset;

    private ByteReader(InputStream in, String source, boolean gzip) {
        this.in = in;
        this.source = source;
        this.gzip = gzip;
    }

    /** Opens a file, decompressing it if it starts with the gzip magic bytes 1f 8b. */
    static ByteReader open(Path file) throws IOException {
        return of(Files.newInputStream(file), file.toString());
    }

    /** Wraps a stream (e.g. a classpath resource) named {@code source} in messages; detects gzip. */
    static ByteReader of(InputStream raw, String source) throws IOException {
        BufferedInputStream b = new BufferedInputStream(raw, CHUNK);
        b.mark(2);
        int b0 = b.read();
        int b1 = b.read();
        b.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new ByteReader(new BufferedInputStream(new GZIPInputStream(b, CHUNK), CHUNK), source, true);
            } catch (IOException e) {
                b.close();
                throw DatasetFormatException.atOffset(source, 0, "corrupt gzip header: " + e.getMessage(), e);
            }
        }
        return new ByteReader(b, source, false);
    }

    String source() {
        return source;
    }

    long offset() {
        return offset;
    }

    /** An error at the current offset. */
    DatasetFormatException error(String problem) {
        return DatasetFormatException.atOffset(source, offset, gzip, problem, null);
    }

    /** An error at an earlier offset (e.g. of the field that holds a bad value). */
    DatasetFormatException errorAt(long at, String problem) {
        return DatasetFormatException.atOffset(source, at, gzip, problem, null);
    }

    /** Reads a big-endian unsigned 32-bit integer; fails if it does not fit in an int. */
    int u32(String what) throws IOException {
        byte[] b = new byte[4];
        long at = offset;
        readFully(b, 0, 4, what);
        long v = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
        if (v > Integer.MAX_VALUE) {
            throw errorAt(at, what + " " + v + " is too large (more than 2^31-1)");
        }
        return (int) v;
    }

    /** Reads exactly {@code len} bytes or fails naming what was being read and where the data ended. */
    void readFully(byte[] dst, int off, int len, String what) throws IOException {
        long start = offset;
        int done = 0;
        while (done < len) {
            int n;
            try {
                n = in.read(dst, off + done, Math.min(CHUNK, len - done));
            } catch (EOFException | ZipException e) {
                // A cut or damaged gzip stream surfaces here, in the middle of the payload.
                throw DatasetFormatException.atOffset(source, offset, gzip, "truncated or corrupt gzip data while reading "
                        + what + " (" + e.getMessage() + ")", e);
            }
            if (n < 0) {
                throw error("truncated file: expected " + len + " bytes of " + what + " starting at byte offset " + start
                        + ", but the data ends after " + done);
            }
            done += n;
            offset += n;
        }
    }

    /** Reads everything up to the end of the data (for formats whose length is implied by the file size). */
    byte[] readAll(String what) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(CHUNK);
        byte[] buf = new byte[CHUNK];
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (EOFException | ZipException e) {
                throw DatasetFormatException.atOffset(source, offset, gzip, "truncated or corrupt gzip data while reading "
                        + what + " (" + e.getMessage() + ")", e);
            }
            if (n < 0) {
                return out.toByteArray();
            }
            out.write(buf, 0, n);
            offset += n;
        }
    }

    /** Fails if anything follows the expected content (also makes gzip verify its CRC trailer). */
    void expectEnd(String what) throws IOException {
        int n;
        try {
            n = in.read();
        } catch (EOFException | ZipException e) {
            throw DatasetFormatException.atOffset(source, offset, gzip, "corrupt gzip trailer after " + what + " (" + e.getMessage() + ")", e);
        }
        if (n >= 0) {
            long extra = 1;
            byte[] skip = new byte[CHUNK];
            int k;
            while ((k = in.read(skip)) > 0) {
                extra += k;
            }
            throw error(extra + " unexpected trailing byte(s) after " + what);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
