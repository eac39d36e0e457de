package org.autoinit.datasets.fetch;

import java.io.IOException;

/** A download completed but its digest is not the expected one; the bad file has been deleted. */
public class ChecksumMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String actual;

    public ChecksumMismatchException(String what, String expected, String actual, long bytes) {
        this(what, "SHA-256", expected, actual, bytes);
    }

    public ChecksumMismatchException(String what, String algorithm, String expected, String actual, long bytes) {
        super(what + ": " + algorithm + " mismatch after downloading " + bytes + " bytes: expected " + expected + " but got " + actual
                + "; the file was deleted. If the source legitimately changed, pass its new checksum; otherwise the"
                + " download was corrupted or tampered with.");
        this.expected = expected;
        this.actual = actual;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }
}
