package org.autoinit.cli;

/** Bad command-line arguments; the message says what was wrong in the user's words (exit code 2). */
public final class UsageException extends IllegalArgumentException {
    public UsageException(String message) {
        super(message);
    }
}
