package org.autoinit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke test: {@code ./autoinit demo --quick} end to end, checking what it prints and writes. */
class DemoCommandTest {
    /** One weighted layer's row of the printed moment table: default predicted, measured, grad; AutoInit predicted, measured, grad. */
    private record Row(String layer, double[] v) {}

    @Test
    void quickDemoPrintsBothTracesAndAccuraciesAndWritesTheReport(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("demo");
        var r = CliTestSupport.capture(() -> Main.run("demo", "--quick", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        List<Row> rows = momentRows(r.out());
        assertEquals(25, rows.size(), "24 hidden + 1 output weighted layers:\n" + r.out());
        for (Row row : rows.subList(0, 24)) {
            // AutoInit: every hidden weighted layer's output variance measured near the target 1 and predicted ~1
            assertTrue(row.v()[4] > 0.5 && row.v()[4] < 2, row.layer() + " AutoInit measured variance " + row.v()[4]);
            assertTrue(Math.abs(row.v()[3] - 1) < 0.1, row.layer() + " AutoInit predicted variance " + row.v()[3]);
        }
        // PyTorch default: the variance collapses far below 1 within a few layers, and the prediction tracks the measurement
        Row deep = rows.get(23);
        assertTrue(deep.v()[1] < 0.02, "default init, fc24 measured variance " + deep.v()[1]);
        assertTrue(Math.abs(deep.v()[0] / deep.v()[1] - 1) < 0.2, "default init, fc24 predicted " + deep.v()[0] + " vs measured " + deep.v()[1]);
        assertTrue(rows.get(0).v()[2] < 1e-10 && rows.get(0).v()[5] > 1e-4, "first-layer gradient: vanishing under the default, not under AutoInit");

        Matcher acc = Pattern.compile("(?m)^accuracy\\s+([0-9.]+)\\s+([0-9.]+)$").matcher(r.out());
        assertTrue(acc.find(), r.out());
        for (int g = 1; g <= 2; g++) {
            double a = Double.parseDouble(acc.group(g));
            assertTrue(a >= 0 && a <= 1, "accuracy " + a);
        }
        Path report = out.resolve("report.html");
        assertTrue(r.out().contains("report: " + report.toAbsolutePath().normalize()), r.out());
        for (String f : new String[] {"report.html", "trace.svg", "trace-pytorch.svg", "curves.svg"}) {
            assertTrue(Files.size(out.resolve(f)) > 200, f);
        }
        for (String svg : new String[] {"trace.svg", "curves.svg"}) {
            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(out.resolve(svg).toFile()); // well-formed
        }
        String html = Files.readString(report);
        assertTrue(html.contains("PyTorch default") && html.contains("AutoInit") && html.contains("<svg"), "report content");
        assertEquals(3, Files.readAllLines(out.resolve("history.csv")).size(), "header + 1 epoch x 2 inits");
    }

    private static List<Row> momentRows(String out) throws IOException {
        List<Row> rows = new ArrayList<>();
        Pattern p = Pattern.compile("^(fc\\d+)\\s*\\|(.*)\\|(.*)$");
        for (String line : out.split("\\R")) {
            Matcher m = p.matcher(line);
            if (m.matches()) {
                String[] a = m.group(2).trim().split("\\s+"), b = m.group(3).trim().split("\\s+");
                double[] v = new double[6];
                for (int i = 0; i < 3; i++) {
                    v[i] = Double.parseDouble(a[i]);
                    v[i + 3] = Double.parseDouble(b[i]);
                }
                rows.add(new Row(m.group(1), v));
            }
        }
        return rows;
    }
}
