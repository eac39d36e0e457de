package org.autoinit.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The registry of subcommands, in the order {@code ./autoinit --help} lists them. */
public final class Commands {
    private static final List<Command> ALL = build();

    private Commands() {}

    private static List<Command> build() {
        List<Command> all = new ArrayList<>();
        all.add(new InfoCommand());
        all.add(new MomentsCommand());
        all.add(new TraceCommand());
        all.add(new SummaryCommand());
        all.add(new DemoCommand());
        all.add(new TrainCommand());
        all.add(new EvaluateCommand());
        all.add(new FetchCommand());
        all.add(new ExperimentCommand());
        all.add(new XcheckExportCommand());
        all.add(new BenchCommand());
        // Add a command with one line above this comment: all.add(new YourCommand());
        Set<String> names = new HashSet<>();
        for (Command c : all) {
            if (!c.name().matches("[a-z][a-z0-9-]*") || c.name().equals("test") || !names.add(c.name())) {
                throw new IllegalStateException("command name '" + c.name() + "' of " + c.getClass().getName()
                        + " must be unique, lower-case, and not 'test' (the launcher runs the test suite)");
            }
        }
        return Collections.unmodifiableList(all);
    }

    /** Every registered command. */
    public static List<Command> all() {
        return ALL;
    }

    /** The command with this name, if registered. */
    public static Optional<Command> find(String name) {
        return ALL.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
