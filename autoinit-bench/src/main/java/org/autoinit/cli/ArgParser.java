package org.autoinit.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Declares a command's options and parses its arguments: {@code --flag}, {@code --key value} or
 * {@code --key=value}; {@code --help} is always known. Anything undeclared, a missing value, a repeated
 * option or a missing required option is a {@link UsageException} naming the command and the option.
 *
 * <pre>
 * ArgParser p = new ArgParser("train", "trains a model").flag("json", "print JSON").option("epochs", "N", "epochs (default 10)");
 * Args a = p.parse(args);
 * if (a.help()) { System.out.print(p.usage()); return 0; }
 * int epochs = a.getInt("epochs", 10);
 * </pre>
 */
public final class ArgParser {
    /** One declared option; {@code valueName} is null for a flag. */
    record Option(String name, String valueName, String help, boolean required) {}

    private final String command;
    private final String summary;
    private final Map<String, Option> options = new LinkedHashMap<>();

    public ArgParser(String command, String summary) {
        this.command = command;
        this.summary = summary;
    }

    /** A boolean switch, {@code --name}. */
    public ArgParser flag(String name, String help) {
        return add(new Option(name, null, help, false));
    }

    /** An optional {@code --name value}; the getter supplies the default. */
    public ArgParser option(String name, String valueName, String help) {
        return add(new Option(name, valueName, help, false));
    }

    /** A {@code --name value} that must be given. */
    public ArgParser required(String name, String valueName, String help) {
        return add(new Option(name, valueName, help, true));
    }

    private ArgParser add(Option o) {
        if (!o.name().matches("[a-z][a-zA-Z0-9-]*") || o.name().equals("help") || options.putIfAbsent(o.name(), o) != null) {
            throw new IllegalArgumentException(command + ": option name '" + o.name() + "' is invalid, reserved or declared twice");
        }
        return this;
    }

    /** Parses {@code argv}; with {@code --help} anywhere, returns at once with {@link Args#help()} true. */
    public Args parse(String[] argv) {
        Map<String, String> values = new HashMap<>();
        for (String a : argv) {
            if (a.equals("--help") || a.equals("-h")) {
                return new Args(command, options, values, true);
            }
        }
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new UsageException(command + ": unexpected argument '" + arg + "'" + knownOptions());
            }
            int eq = arg.indexOf('=');
            String name = arg.substring(2, eq >= 0 ? eq : arg.length());
            Option o = options.get(name);
            if (o == null) {
                throw new UsageException(command + ": unknown option --" + name + knownOptions());
            }
            String value;
            if (o.valueName() == null) {
                if (eq >= 0) {
                    throw new UsageException(command + ": --" + name + " is a flag and takes no value");
                }
                value = "true";
            } else if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                value = argv[++i];
            } else {
                throw new UsageException(command + ": option --" + name + " needs a value (--" + name + " " + o.valueName() + ")");
            }
            if (values.put(name, value) != null) {
                throw new UsageException(command + ": option --" + name + " given more than once");
            }
        }
        for (Option o : options.values()) {
            if (o.required() && !values.containsKey(o.name())) {
                throw new UsageException(command + ": missing required option --" + o.name() + " " + o.valueName());
            }
        }
        return new Args(command, options, values, false);
    }

    private String knownOptions() {
        List<String> names = new ArrayList<>();
        for (String n : options.keySet()) names.add("--" + n);
        names.add("--help");
        return " (options: " + String.join(", ", names) + ")";
    }

    /** Help text: usage line, summary, and one line per option. */
    public String usage() {
        StringBuilder line = new StringBuilder("usage: ./autoinit ").append(command);
        List<String[]> rows = new ArrayList<>();
        for (Option o : options.values()) {
            String syntax = "--" + o.name() + (o.valueName() == null ? "" : " " + o.valueName());
            line.append(' ').append(o.required() ? syntax : "[" + syntax + "]");
            rows.add(new String[] {syntax, o.help()});
        }
        rows.add(new String[] {"--help", "show this help"});
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        StringBuilder sb = new StringBuilder(line).append("\n\n").append(summary).append("\n\noptions:\n");
        for (String[] r : rows) sb.append("  ").append(Main.pad(r[0], width)).append("  ").append(r[1]).append('\n');
        return sb.toString();
    }
}
