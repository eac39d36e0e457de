package org.autoinit.cli;

/**
 * One subcommand of {@code ./autoinit}. Register it in {@link Commands}. {@link #run} receives the
 * arguments after the command name, handles {@code --help} itself (usually through {@link ArgParser}), and
 * may throw {@link UsageException} for bad arguments, which {@link Main} reports with exit code 2.
 */
public interface Command {
    /** The word typed after {@code ./autoinit}, e.g. "info". */
    String name();

    /** One line for {@code ./autoinit --help}. */
    String summary();

    /** Runs the command; returns the process exit code (0 on success). */
    int run(String[] args);
}
