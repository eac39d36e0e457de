package org.autoinit.experiments;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import org.autoinit.app.DataChoice;

/**
 * What an experiment runs with.
 *
 * @param data  full train/test data (experiments cut it to their own budget with {@link DataChoice#limit}); null for
 *              experiments that need none
 * @param quick the smoke-test setting: small subsets, one seed, fewer configurations, well under two minutes
 * @param seeds seeds of the repeated runs
 * @param log   progress lines
 */
public record Context(DataChoice data, boolean quick, List<Long> seeds, PrintStream log) {
    public Context {
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("experiment: need at least one seed");
        }
    }

    /** Prints one progress line. */
    public void log(String format, Object... args) {
        log.println(String.format(Locale.ROOT, format, args));
        log.flush();
    }
}
