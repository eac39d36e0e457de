package org.autoinit.datasets.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void drawsOneRedrawableLineAndFinishesWithANewline() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        ProgressBar bar = ProgressBar.to(out, "f.gz", 2_000_000);
        bar.update(500_000); // first draw
        bar.update(2_000_000); // completion is always drawn
        bar.finish();
        assertEquals("\rf.gz [#######.......................]  25% 0.5/2.0 MB"
                + "\rf.gz [##############################] 100% 2.0/2.0 MB\n", buf.toString(StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }

    @Test
    void disabledBarPrintsNothing() {
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            ProgressBar bar = ProgressBar.forConsole(false, "f", 10);
            bar.update(5);
            bar.update(10);
            bar.finish();
        } finally {
            System.setErr(saved);
        }
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
    }
}
