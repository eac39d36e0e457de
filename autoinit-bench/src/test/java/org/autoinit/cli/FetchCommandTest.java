package org.autoinit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class FetchCommandTest {
    @Test
    void helpListsTheDatasetsAndUnknownNamesAreRefused() {
        var help = CliTestSupport.capture(() -> Main.run(new String[] {"fetch", "--help"}));
        assertEquals(0, help.code());
        assertTrue(help.out().contains("cifar10, fashion-mnist, mnist"), help.out());
        var bad = CliTestSupport.capture(() -> Main.run(new String[] {"fetch", "--dataset", "imagenet"}));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("fetch: unknown dataset 'imagenet'; known: [cifar10, fashion-mnist, mnist]"), bad.err());
    }

    @Test
    void sha256PairsAreParsed() {
        assertEquals(Map.of("a.gz", "ab", "b.gz", "cd"), FetchCommand.parseSha256("a.gz=ab, b.gz=cd"));
        assertEquals(Map.of(), FetchCommand.parseSha256(""));
        var e = assertThrows(UsageException.class, () -> FetchCommand.parseSha256("a.gz"));
        assertEquals("fetch: --sha256 takes FILE=HEX pairs separated by commas, got 'a.gz'", e.getMessage());
    }
}
