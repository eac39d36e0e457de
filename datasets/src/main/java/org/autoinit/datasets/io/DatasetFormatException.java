package org.autoinit.datasets.io;

import java.io.IOException;

/**
 * A data file is malformed: truncated, wrong magic number, inconsistent counts, a label out of range,
 * an undecodable image, a bad CSV row. The message always names the file and where in it the problem
 * is (a byte offset for binary formats, a row for CSV), so the user can find it with a hex dump or an
 * editor. Readers never return a partial dataset instead of throwing this.
 */
public class DatasetFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final long offset;
    private final long row;

    private DatasetFormatException(String message, String source, long offset, long row, Throwable cause) {
        super(message, cause);
        this.source = source;
        this.offset = offset;
        this.row = row;
    }

    /** A problem at a byte offset of a raw binary file. */
    public static DatasetFormatException atOffset(String source, long offset, String problem, Throwable cause) {
        return atOffset(source, offset, false, problem, cause);
    }

    /**
     * A problem at a byte offset of a binary stream; for gzip files ({@code decompressed}) the offset
     * counts bytes of the decompressed data, which is what {@code zcat file | xxd} shows.
     */
    public static DatasetFormatException atOffset(String source, long offset, boolean decompressed, String problem, Throwable cause) {
        String where = " (at byte offset " + offset + (decompressed ? " of the decompressed data)" : ")");
        return new DatasetFormatException(source + ": " + problem + where, source, offset, -1, cause);
    }

    /** A problem at a 1-based data row of a text file (the header is row 0). */
    public static DatasetFormatException atRow(String source, long row, String problem) {
        return new DatasetFormatException(source + ": row " + row + ": " + problem, source, -1, row, null);
    }

    /** A problem with a whole file (e.g. an image that cannot be decoded). */
    public static DatasetFormatException inFile(String source, String problem, Throwable cause) {
        return new DatasetFormatException(source + ": " + problem, source, -1, -1, cause);
    }

    /** The file (or resource) the problem is in. */
    public String source() {
        return source;
    }

    /** Byte offset of the problem, or -1 when it is not about a byte position. */
    public long offset() {
        return offset;
    }

    /** 1-based data row of the problem, or -1 when it is not about a row. */
    public long row() {
        return row;
    }
}
