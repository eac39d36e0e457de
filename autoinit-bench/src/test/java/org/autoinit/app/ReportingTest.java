package org.autoinit.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class ReportingTest {
    @Test
    void markdownAndCsv() {
        ResultTable t = new ResultTable("init", "acc").add("he, normal", 0.5).add("a|b", "x\"y");
        assertEquals("| init | acc |\n| --- | ---: |\n| he, normal | 0.5 |\n| a\\|b | x\"y |\n", t.markdown());
        assertEquals("init,acc\n\"he, normal\",0.5\na|b,\"x\"\"y\"\n", t.csv());
        assertEquals("0.5", t.get(0, "acc"));
        assertThrows(IllegalArgumentException.class, () -> t.add("only one"));
    }

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void barsDrawOneRectPerFiniteValueAndMarkTheOthers() throws Exception {
        List<Charts.Series> s = List.of(new Charts.Series("a <1>", new double[] {0.5, Double.NaN}, new double[] {0.4, Double.NaN},
                new double[] {0.6, Double.NaN}), new Charts.Series("b", new double[] {1.0, 0.25}));
        Document d = parse(Charts.bars("T & t", "acc", List.of("x", "y"), s, 0, 1));
        // background + 3 bars + 2 legend squares
        assertEquals(6, d.getElementsByTagName("rect").getLength());
        assertTrue(d.getDocumentElement().getTextContent().contains("T & t"), "escaped title round-trips");
        String svg = Charts.bars("T", "acc", List.of("x", "y"), s, 0, 1);
        assertTrue(svg.contains(">x</text>"), "the NaN bar is marked x");
        // bar heights: plot height 260 px, 0.5 -> 130, 1.0 -> 260, 0.25 -> 65
        assertTrue(svg.contains("height=\"130.0\"") && svg.contains("height=\"260.0\"") && svg.contains("height=\"65.0\""), svg);
    }

    @Test
    void logAxesAndLines() throws Exception {
        String svg = Charts.bars("t", "ms", List.of("m"), List.of(new Charts.Series("s", new double[] {100})), 1, 1e4, true);
        parse(svg);
        assertTrue(svg.contains(">1e0<") && svg.contains(">1e4<") && svg.contains("height=\"130.0\""), "100 is half way up 1..1e4");
        assertThrows(IllegalArgumentException.class, () -> Charts.bars("t", "ms", List.of("m"), List.of(), 0, 10, true));
        String lines = Charts.lines("v", "layer", "var", true, List.of("fc1", "fc2", "fc3"),
                List.of(new Charts.Series("x", new double[] {1, Double.NaN, 0.01})));
        Document d = parse(lines);
        assertEquals(2, d.getElementsByTagName("circle").getLength(), "the NaN point is skipped");
        assertTrue(lines.contains("M") && lines.contains(">1e-2<") && lines.contains(">1e0<"), lines);
    }
}
