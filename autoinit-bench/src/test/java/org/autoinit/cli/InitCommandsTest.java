package org.autoinit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.autoinit.nn.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The moments, trace and summary commands: JSON keys, values and errors. */
class InitCommandsTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String out) {
        return (Map<String, Object>) Json.parse(out.strip());
    }

    @Test
    void momentsOfReluOfAUnitGaussian() {
        var r = CliTestSupport.capture(() -> Main.run("moments", "--activation", "relu", "--mean", "0", "--var", "1"));
        assertEquals(0, r.code(), r.err());
        Map<String, Object> j = json(r.out());
        assertEquals(List.of("activation", "mean", "secondMoment", "variance"), List.copyOf(j.keySet()));
        assertEquals("relu", j.get("activation"));
        // E relu(z) = 1/sqrt(2 pi), E relu(z)^2 = 1/2.
        assertEquals(1 / Math.sqrt(2 * Math.PI), ((Number) j.get("mean")).doubleValue(), 1e-12);
        assertEquals(0.5, ((Number) j.get("secondMoment")).doubleValue(), 1e-12);
        assertEquals(0.5 - 1 / (2 * Math.PI), ((Number) j.get("variance")).doubleValue(), 1e-12);
        var leaky = CliTestSupport.capture(() -> Main.run("moments", "--activation", "leaky_relu", "--alpha", "0.2", "--mean", "0", "--var", "4"));
        assertEquals(0.2, ((Number) json(leaky.out()).get("alpha")).doubleValue());
    }

    @Test
    void momentsRejectsBadInput() {
        var r = CliTestSupport.capture(() -> Main.run("moments", "--activation", "relux", "--mean", "0", "--var", "1"));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown activation 'relux'"), r.err());
        var v = CliTestSupport.capture(() -> Main.run("moments", "--activation", "relu", "--mean", "0", "--var", "-1"));
        assertEquals(2, v.code());
        assertTrue(v.err().contains("--var must be >= 0"), v.err());
    }

    @Test
    void traceJsonForAutoInitAndABaseline(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("t.svg"), html = dir.resolve("t.html");
        var r = CliTestSupport.capture(() -> Main.run("trace", "--model", "mlp", "--width", "32", "--samples", "64", "--json", "--svg", svg.toString(),
                "--html", html.toString(), "--baseline", "he-normal"));
        assertEquals(0, r.code(), r.err());
        Map<String, Object> j = json(r.out());
        assertEquals(List.of("model", "init", "layers"), List.copyOf(j.keySet()));
        assertEquals("mlp", j.get("model"));
        assertEquals("autoinit", j.get("init"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) j.get("layers");
        assertTrue(layers.size() >= 5, "nodes: " + layers.size());
        for (Map<String, Object> l : layers) {
            assertEquals(List.of("name", "type", "weighted", "predictedMean", "predictedVariance", "measuredMean", "measuredVariance", "gradVariance"),
                    List.copyOf(l.keySet()));
        }
        Map<String, Object> out = layers.get(layers.size() - 1);
        assertEquals(Boolean.TRUE, out.get("weighted"));
        assertEquals(((Number) out.get("predictedVariance")).doubleValue(), ((Number) out.get("measuredVariance")).doubleValue(), 0.15);
        String s = Files.readString(svg);
        assertTrue(s.startsWith("<svg") && s.contains("baseline measured"));
        assertTrue(Files.readString(html).contains("<table>"));

        var he = CliTestSupport.capture(() -> Main.run("trace", "--model", "mlp", "--width", "32", "--samples", "32", "--init", "he-normal", "--json"));
        assertEquals(0, he.code(), he.err());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> hl = (List<Map<String, Object>>) json(he.out()).get("layers");
        assertNull(hl.get(1).get("predictedVariance"), "no prediction for a classic init");
        assertTrue(((Number) hl.get(1).get("measuredVariance")).doubleValue() > 0);
    }

    @Test
    void traceTextAndErrors() {
        var r = CliTestSupport.capture(() -> Main.run("trace", "--model", "deep-mlp", "--depth", "3", "--width", "16", "--samples", "16",
                "--activation", "tanh", "--init", "lsuv", "--dropout", "0.1"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("deep-mlp / lsuv") && r.out().contains("pred var"), r.out());
        var bad = CliTestSupport.capture(() -> Main.run("trace", "--model", "mlp", "--init", "magic"));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("unknown init 'magic'"), bad.err());
        var normed = CliTestSupport.capture(() -> Main.run("trace", "--model", "deep-mlp", "--depth", "2", "--width", "8", "--samples", "8",
                "--normalization", "on"));
        assertEquals(0, normed.code(), normed.err());
        assertTrue(normed.out().contains("bn1"), normed.out());
        var badNorm = CliTestSupport.capture(() -> Main.run("trace", "--model", "mlp", "--normalization", "maybe"));
        assertEquals(2, badNorm.code());
        assertTrue(badNorm.err().contains("--normalization takes on or off, got 'maybe'"), badNorm.err());
        var model = CliTestSupport.capture(() -> Main.run("trace", "--model", "nope"));
        assertEquals(2, model.code());
        assertTrue(model.err().contains("unknown model 'nope'"), model.err());
    }

    @Test
    void traceWithCentredActivations() {
        // centred relu: relu(x) - 1/sqrt(2 pi); the first activation's input is fc1 = (0, 1) for the drawn weights, so its predicted mean is ~0
        var r = CliTestSupport.capture(() -> Main.run("trace", "--model", "deep-mlp", "--depth", "2", "--width", "16", "--samples", "64",
                "--activation", "relu", "--centred", "--json"));
        assertEquals(0, r.code(), r.err());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) json(r.out()).get("layers");
        Map<String, Object> act1 = layers.stream().filter(l -> "act1".equals(l.get("name"))).findFirst().orElseThrow();
        assertEquals(0, ((Number) act1.get("predictedMean")).doubleValue(), 0.02);
        var plain = CliTestSupport.capture(() -> Main.run("trace", "--model", "deep-mlp", "--depth", "2", "--width", "16", "--samples", "64",
                "--activation", "relu", "--json"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> pl = (List<Map<String, Object>>) json(plain.out()).get("layers");
        Map<String, Object> pact1 = pl.stream().filter(l -> "act1".equals(l.get("name"))).findFirst().orElseThrow();
        assertEquals(1 / Math.sqrt(2 * Math.PI), ((Number) pact1.get("predictedMean")).doubleValue(), 0.02);
        var bad = CliTestSupport.capture(() -> Main.run("trace", "--model", "mlp", "--centred"));
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--centred needs --activation"), bad.err());
    }

    @Test
    void summaryJson() {
        var r = CliTestSupport.capture(() -> Main.run("summary", "--model", "cnn", "--json"));
        assertEquals(0, r.code(), r.err());
        Map<String, Object> j = json(r.out());
        assertEquals(List.of("model", "params", "layers"), List.copyOf(j.keySet()));
        assertEquals(155_402L, j.get("params"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> layers = (List<Map<String, Object>>) j.get("layers");
        long sum = 0;
        for (Map<String, Object> l : layers) {
            assertEquals(List.of("name", "type", "outputShape", "params"), List.copyOf(l.keySet()));
            sum += (Long) l.get("params");
        }
        assertEquals(155_402L, sum, "per-layer counts add up to the total");
        assertEquals(List.of(1L, 28L, 28L), layers.get(0).get("outputShape"));
        var text = CliTestSupport.capture(() -> Main.run("summary", "--model", "cnn"));
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("conv1"), text.out());
    }
}
