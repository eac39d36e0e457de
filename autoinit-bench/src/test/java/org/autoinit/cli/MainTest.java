package org.autoinit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void helpListsEveryCommandWithItsSummary() {
        var r = CliTestSupport.capture(() -> Main.run("--help"));
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("usage: ./autoinit <command> [options]"), r.out());
        for (Command c : Commands.all()) {
            assertTrue(r.out().contains("  " + c.name() + " ") && r.out().contains(c.summary()), c.name() + " missing from:\n" + r.out());
        }
        assertTrue(r.out().contains("info"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void noArgumentsPrintsUsageToStderrWithCode2() {
        var r = CliTestSupport.capture(Main::run);
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("usage: ./autoinit"), r.err());
    }

    @Test
    void unknownCommandIsAClearErrorWithCode2() {
        var r = CliTestSupport.capture(() -> Main.run("trian", "--epochs", "3"));
        assertEquals(2, r.code());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("autoinit: unknown command 'trian'; commands: info"), r.err());
        assertTrue(r.err().contains("./autoinit --help"), r.err());
    }

    @Test
    void unknownOptionOfACommandIsReportedWithCode2() {
        var r = CliTestSupport.capture(() -> Main.run("info", "--jsn"));
        assertEquals(2, r.code());
        assertEquals("autoinit info: unknown option --jsn (options: --json, --help)\n"
                + "Run ./autoinit info --help for its options.\n", r.err().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void commandHelpShowsItsOptions() {
        var r = CliTestSupport.capture(() -> Main.run("info", "--help"));
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("usage: ./autoinit info [--json]"), r.out());
        assertTrue(r.out().contains("  --json  print one JSON object"), r.out());
        assertTrue(r.out().contains("  --help  show this help"), r.out());
    }

    @Test
    void registryNamesAreUnique() {
        long distinct = Commands.all().stream().map(Command::name).distinct().count();
        assertEquals(Commands.all().size(), distinct);
        assertTrue(Commands.find("info").isPresent());
        assertTrue(Commands.find("nope").isEmpty());
    }

    @Test
    void outOfHeapSaysWhichLimitAndHowToRaiseIt() {
        String m = Main.outOfHeap("train", 4L << 30);
        assertTrue(m.startsWith("autoinit train: out of Java heap (limit 4096 MiB)"), m);
        assertTrue(m.contains("AUTOINIT_HEAP=16g ./autoinit train"), m);
    }
}
