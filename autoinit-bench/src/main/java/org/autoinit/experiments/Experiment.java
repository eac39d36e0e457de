package org.autoinit.experiments;

/**
 * One experiment of {@code ./autoinit experiment NAME}: trains a grid of configurations and returns its tables
 * and plots; {@link ExperimentRunner} writes them into the results folder.
 */
public interface Experiment {
    /** The name typed on the command line, e.g. "activations". */
    String name();

    /** One line for the help text and the report title. */
    String title();

    /** False for experiments that train nothing (the runner then loads no data and {@link Context#data()} is null). */
    default boolean needsData() {
        return true;
    }

    /** Runs the grid (smaller with {@link Context#quick()}), logging progress to {@link Context#log()}. */
    ExperimentResult run(Context ctx) throws java.io.IOException;
}
