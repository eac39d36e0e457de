package org.autoinit.cli;

import java.util.Map;

/** Parsed arguments of one command (from {@link ArgParser#parse}) with typed getters. */
public final class Args {
    private final String command;
    private final Map<String, ArgParser.Option> declared;
    private final Map<String, String> values;
    private final boolean help;

    Args(String command, Map<String, ArgParser.Option> declared, Map<String, String> values, boolean help) {
        this.command = command;
        this.declared = declared;
        this.values = values;
        this.help = help;
    }

    /** True when {@code --help} was given: print the usage and return 0. */
    public boolean help() {
        return help;
    }

    /** Whether a flag was given. */
    public boolean flag(String name) {
        return raw(name) != null;
    }

    /** True when the option was given. */
    public boolean has(String name) {
        return raw(name) != null;
    }

    /** A required option's value. */
    public String getString(String name) {
        String v = raw(name);
        if (v == null) {
            throw new UsageException(command + ": missing option --" + name);
        }
        return v;
    }

    public String getString(String name, String defaultValue) {
        String v = raw(name);
        return v == null ? defaultValue : v;
    }

    public int getInt(String name) {
        return parseInt(name, getString(name));
    }

    public int getInt(String name, int defaultValue) {
        String v = raw(name);
        return v == null ? defaultValue : parseInt(name, v);
    }

    public long getLong(String name, long defaultValue) {
        String v = raw(name);
        if (v == null) return defaultValue;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": option --" + name + " expects an integer, got '" + v + "'");
        }
    }

    public double getDouble(String name) {
        return parseDouble(name, getString(name));
    }

    public double getDouble(String name, double defaultValue) {
        String v = raw(name);
        return v == null ? defaultValue : parseDouble(name, v);
    }

    private int parseInt(String name, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": option --" + name + " expects an integer, got '" + v + "'");
        }
    }

    private double parseDouble(String name, String v) {
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isFinite(d)) return d;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(command + ": option --" + name + " expects a number, got '" + v + "'");
    }

    /** The raw value; asking for an undeclared option is a programming error, not a usage error. */
    private String raw(String name) {
        if (!declared.containsKey(name)) {
            throw new IllegalStateException(command + ": option --" + name + " was not declared to the ArgParser");
        }
        return values.get(name);
    }
}
