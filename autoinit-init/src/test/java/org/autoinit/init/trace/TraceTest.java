package org.autoinit.init.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.autoinit.init.AutoInit;
import org.autoinit.init.InitReport;
import org.autoinit.nn.Model;
import org.autoinit.nn.Sequential;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.Dropout;
import org.autoinit.nn.init.InitScheme;
import org.autoinit.nn.init.Initializers;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.junit.jupiter.api.Test;

class TraceTest {
    private static Model model() {
        return Sequential.of(new int[] {128}, new Dense("fc1", 64), new BatchNorm("bn"), Activation.relu(), new Dropout("drop", 0.2),
                new Dense("fc2", 64));
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void measuresEveryNodeAndMatchesPredictions() {
        Model m = model();
        InitReport r = AutoInit.builder().seed(1).build().initialize(m);
        Trace t = Trace.measure("test", m, r, 512, 2);
        assertEquals(m.nodes().size(), t.rows().size());
        Trace.Row fc2 = t.row("fc2");
        assertTrue(fc2.weighted() && fc2.hasPrediction());
        assertEquals(fc2.predictedVariance(), fc2.measuredVariance(), 0.1 * fc2.measuredVariance());
        // Unit-variance gradient at the output of the random-projection loss.
        assertEquals(1.0, fc2.gradVariance(), 0.15);
        assertTrue(Double.isFinite(t.row("fc1").gradVariance()) && t.row("fc1").gradVariance() > 0);
        assertFalse(t.row("drop").weighted());
    }

    @Test
    void leavesRunningStatisticsAndGradientsAlone() {
        Model m = model();
        BatchNorm bn = (BatchNorm) m.layers().get(1);
        float[] before = bn.runningMean().value().toFloatArray();
        Trace.measure("t", m, null, 64, 1);
        assertArrayEquals(before, bn.runningMean().value().toFloatArray());
        m.trainableParameters().forEach(p -> assertEquals(null, p.value().grad(), p.qualifiedName()));
    }

    @Test
    void svgAndHtmlAreWellFormedAndNameEveryLayer() throws Exception {
        Model m = model();
        InitReport r = AutoInit.builder().seed(1).build().initialize(m);
        Trace auto = Trace.measure("AutoInit <& \"quotes\">", m, r, 64, 2);
        Model b = model();
        InitScheme.of(Initializers.heNormal()).apply(b, 1);
        Trace base = Trace.measure("He", b, null, 64, 2);
        for (String svg : new String[] {auto.toSvg(), auto.toSvg(base)}) {
            Document d = parse(svg);
            assertEquals("svg", d.getDocumentElement().getLocalName());
            assertEquals("http://www.w3.org/2000/svg", d.getDocumentElement().getNamespaceURI());
            Set<String> texts = new HashSet<>();
            NodeList ts = d.getElementsByTagNameNS("*", "text");
            for (int i = 0; i < ts.getLength(); i++) {
                texts.add(ts.item(i).getFirstChild() == null ? "" : ts.item(i).getFirstChild().getNodeValue());
            }
            for (Trace.Row row : auto.rows()) {
                assertTrue(texts.contains(row.node()), "label of " + row.node());
            }
            assertTrue(d.getElementsByTagNameNS("*", "circle").getLength() >= 2 * auto.rows().size(), "measured markers in two panels");
        }
        assertTrue(auto.toSvg(base).contains("baseline measured"));
        Document html = parse(auto.toHtml(base));
        assertEquals("html", html.getDocumentElement().getLocalName());
        assertEquals(1, html.getElementsByTagNameNS("*", "svg").getLength());
        assertEquals(auto.rows().size() + 1, html.getElementsByTagNameNS("*", "tr").getLength(), "one table row per node plus the header");
    }
}
