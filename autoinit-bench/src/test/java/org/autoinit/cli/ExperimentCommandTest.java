package org.autoinit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Smoke tests: every {@code ./autoinit experiment NAME --quick} end to end on the embedded data. */
class ExperimentCommandTest {

    /** Experiment, expected rows of its Markdown result table, runs in its CSV. */
    static Stream<Arguments> experiments() {
        return Stream.of(
                Arguments.of("activations", List.of("relu", "tanh"), 4),
                Arguments.of("dropout", List.of("0", "0.5"), 6),
                Arguments.of("residual", List.of("he-normal + Add", "autoinit + WeightedSum"), 4),
                Arguments.of("conv", List.of("relu"), 2),
                Arguments.of("transformer", List.of("with LayerNorm", "without LayerNorm"), 4),
                Arguments.of("overhead", List.of("mlp (669,706)", "cnn (155,402)", "deep-mlp (481,546)"), 15));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void quickRunWritesReportCsvAndPlot(String name, List<String> rows, int runs, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve(name);
        var r = CliTestSupport.capture(() -> Main.run("experiment", name, "--quick", "--dataset", "fashion-mnist-small", "--out", out.toString()));
        assertEquals(0, r.code(), r.err());
        Path md = out.resolve(name + ".md"), csv = out.resolve(name + ".csv"), svg = out.resolve(name + ".svg");
        assertTrue(r.out().contains(md.toString()) && r.out().contains(csv.toString()) && r.out().contains(svg.toString()), r.out());
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile()); // well-formed XML

        String report = Files.readString(md);
        assertTrue(report.startsWith("# "), report);
        assertTrue(report.contains("quick smoke-test setting"), "a quick report says it is not a result");
        List<String> tableRows = report.lines().dropWhile(l -> !l.equals("## Result")).skip(2).takeWhile(l -> l.startsWith("|")).skip(2).toList();
        assertEquals(rows, tableRows.stream().map(l -> l.substring(2, l.indexOf(" |", 2))).toList(), report);

        List<String> lines = Files.readAllLines(csv);
        assertEquals(runs + 1, lines.size(), "header + one row per run:\n" + String.join("\n", lines));
        List<String> header = List.of(lines.get(0).split(","));
        if (!name.equals("overhead")) {
            int acc = header.indexOf("test_accuracy"), div = header.indexOf("diverged");
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",", -1);
                if (cells[div].equals("false")) {
                    double a = Double.parseDouble(cells[acc]);
                    assertTrue(a >= 0 && a <= 1, line);
                } else {
                    assertEquals("true", cells[div], line);
                    assertEquals("", cells[acc], "a diverged run has no accuracy: " + line);
                }
            }
        } else {
            int ms = header.indexOf("median_ms");
            for (String line : lines.subList(1, lines.size())) {
                double t = Double.parseDouble(line.split(",")[ms]);
                assertTrue(t >= 0 && Double.isFinite(t), line);
            }
        }
    }

    @Test
    void unknownExperimentAndMissingNameAreUsageErrors() {
        var r = CliTestSupport.capture(() -> Main.run("experiment", "nope"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown experiment 'nope'; one of activations, dropout, residual, conv, transformer, overhead"), r.err());
        r = CliTestSupport.capture(() -> Main.run("experiment", "--quick"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("name the experiment first"), r.err());
        r = CliTestSupport.capture(() -> Main.run("experiment", "--help"));
        assertEquals(0, r.code());
        for (String n : new String[] {"activations", "dropout", "residual", "conv", "transformer", "overhead"}) {
            assertTrue(r.out().contains("  " + n), n + " missing from:\n" + r.out());
        }
    }
}
