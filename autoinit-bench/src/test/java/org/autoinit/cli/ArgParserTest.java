package org.autoinit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ArgParserTest {
    private static ArgParser parser() {
        return new ArgParser("train", "Trains a model.")
                .flag("json", "print JSON")
                .option("epochs", "N", "number of epochs (default 10)")
                .option("lr", "RATE", "learning rate (default 0.1)")
                .required("data", "DIR", "dataset folder");
    }

    @Test
    void parsesFlagsValuesAndEqualsForm() {
        Args a = parser().parse(new String[] {"--json", "--epochs", "3", "--lr=0.05", "--data", "/tmp/x"});
        assertTrue(a.flag("json"));
        assertEquals(3, a.getInt("epochs", 10));
        assertEquals(0.05, a.getDouble("lr", 0.1));
        assertEquals("/tmp/x", a.getString("data"));
        assertFalse(a.help());
    }

    @Test
    void defaultsApplyWhenOptionsAreAbsent() {
        Args a = parser().parse(new String[] {"--data", "d"});
        assertFalse(a.flag("json"));
        assertFalse(a.has("epochs"));
        assertEquals(10, a.getInt("epochs", 10));
        assertEquals(0.1, a.getDouble("lr", 0.1));
        assertEquals(7L, a.getLong("epochs", 7L));
        assertEquals("x", a.getString("lr", "x"));
    }

    @Test
    void negativeNumbersAreValues() {
        assertEquals(-2, parser().parse(new String[] {"--epochs", "-2", "--data", "d"}).getInt("epochs", 0));
    }

    @Test
    void helpWinsOverEverythingElse() {
        Args a = parser().parse(new String[] {"--bogus", "--help"});
        assertTrue(a.help());
    }

    @Test
    void errorsNameTheCommandAndOption() {
        assertEquals("train: unknown option --epoch (options: --json, --epochs, --lr, --data, --help)", error("--epoch", "3"));
        assertEquals("train: option --epochs needs a value (--epochs N)", error("--data", "d", "--epochs"));
        assertEquals("train: option --epochs needs a value (--epochs N)", error("--epochs", "--data", "d"));
        assertEquals("train: missing required option --data DIR", error("--epochs", "3"));
        assertEquals("train: option --epochs given more than once", error("--epochs", "3", "--epochs=4", "--data", "d"));
        assertEquals("train: unexpected argument 'extra' (options: --json, --epochs, --lr, --data, --help)", error("--data", "d", "extra"));
        assertEquals("train: --json is a flag and takes no value", error("--json=yes", "--data", "d"));
        Args a = parser().parse(new String[] {"--epochs", "three", "--lr", "fast", "--data", "d"});
        assertEquals("train: option --epochs expects an integer, got 'three'",
                assertThrows(UsageException.class, () -> a.getInt("epochs", 1)).getMessage());
        assertEquals("train: option --lr expects a number, got 'fast'",
                assertThrows(UsageException.class, () -> a.getDouble("lr", 1)).getMessage());
        assertThrows(IllegalStateException.class, () -> a.getInt("undeclared", 1), "asking for an undeclared option is a bug");
    }

    @Test
    void usageListsOptions() {
        String u = parser().usage();
        assertTrue(u.startsWith("usage: ./autoinit train [--json] [--epochs N] [--lr RATE] --data DIR\n\nTrains a model.\n\noptions:\n"), u);
        assertTrue(u.contains("  --epochs N  number of epochs (default 10)\n"), u);
        assertTrue(u.contains("  --help      show this help\n"), u);
    }

    @Test
    void declaringAnOptionTwiceIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ArgParser("x", "y").flag("a", "").option("a", "V", ""));
        assertThrows(IllegalArgumentException.class, () -> new ArgParser("x", "y").flag("help", ""));
    }

    private static String error(String... argv) {
        return assertThrows(UsageException.class, () -> parser().parse(argv)).getMessage();
    }
}
