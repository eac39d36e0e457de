package org.autoinit.datasets.fetch;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line console progress bar redrawn with carriage returns, at most every 200 ms. Only for
 * interactive use: {@link #forConsole} returns a silent bar when the JVM has no terminal, so logs and
 * CI output are not flooded with redraws.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private long lastDraw;

    private ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    /** A bar on stderr if {@code enabled}, otherwise one that prints nothing. */
    static ProgressBar forConsole(boolean enabled, String label, long total) {
        return new ProgressBar(enabled ? System.err : null, label, total);
    }

    /** A bar drawn on {@code out} (null: silent). */
    static ProgressBar to(PrintStream out, String label, long total) {
        return new ProgressBar(out, label, total);
    }

    /** True if the JVM is attached to an interactive terminal. */
    static boolean hasTerminal() {
        return System.console() != null;
    }

    void update(long done) {
        if (out == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 200_000_000L && done != total) {
            return;
        }
        lastDraw = now;
        StringBuilder s = new StringBuilder("\r").append(label).append(' ');
        if (total > 0) {
            int filled = (int) (WIDTH * Math.min(1.0, (double) done / total));
            s.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
            s.append(String.format(Locale.ROOT, "%3d%% %.1f/%.1f MB", 100 * done / total, done / 1e6, total / 1e6));
        } else {
            s.append(String.format(Locale.ROOT, "%.1f MB", done / 1e6));
        }
        out.print(s);
        out.flush();
    }

    void finish() {
        if (out != null) {
            out.println();
        }
    }
}
