package org.autoinit.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Entry point of {@code ./autoinit}: {@code autoinit <command> [options]}. Exit codes: 0 success, 1 failure
 * reported by a command, 2 bad usage (unknown command or option).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this in-process). */
    static int run(String... args) {
        PrintStream out = System.out, err = System.err;
        if (args.length == 0) {
            err.print(usage());
            return 2;
        }
        String name = args[0];
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            out.print(usage());
            return 0;
        }
        Optional<Command> command = Commands.find(name);
        if (command.isEmpty()) {
            err.println("autoinit: unknown command '" + name + "'; commands: "
                    + Commands.all().stream().map(Command::name).collect(Collectors.joining(", "))
                    + ". Run ./autoinit --help for details.");
            return 2;
        }
        try {
            return command.get().run(Arrays.copyOfRange(args, 1, args.length));
        } catch (UsageException e) {
            err.println("autoinit " + e.getMessage());
            err.println("Run ./autoinit " + name + " --help for its options.");
            return 2;
        } catch (OutOfMemoryError e) {
            err.println(outOfHeap(name, Runtime.getRuntime().maxMemory()));
            return 1;
        }
    }

    /** What to do when a command runs out of Java heap: the launcher's limit is a default, not a property of the job. */
    static String outOfHeap(String command, long maxHeapBytes) {
        return "autoinit " + command + ": out of Java heap (limit " + (maxHeapBytes >> 20) + " MiB). Raise it, e.g. "
                + "AUTOINIT_HEAP=16g ./autoinit " + command + " ... (the launcher's -Xmx; README, Performance, Memory).";
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("usage: ./autoinit <command> [options]   (./autoinit <command> --help for its options)\n\ncommands:\n");
        int width = Commands.all().stream().mapToInt(c -> c.name().length()).max().orElse(4);
        for (Command c : Commands.all()) {
            sb.append("  ").append(pad(c.name(), width)).append("  ").append(c.summary()).append('\n');
        }
        sb.append("  ").append(pad("test", width)).append("  run the whole test suite (handled by the launcher script)\n");
        return sb.toString();
    }

    static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }
}
