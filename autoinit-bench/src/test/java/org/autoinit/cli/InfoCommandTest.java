package org.autoinit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.autoinit.nn.io.Json;
import org.autoinit.tensor.blas.BlasInfo;
import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.Test;

class InfoCommandTest {

    @Test
    void jsonHasExactlyTheDocumentedKeysAndValues() {
        var r = CliTestSupport.capture(() -> new InfoCommand(32).run(new String[] {"--json"}));
        assertEquals(0, r.code(), r.err());
        String line = r.out().strip();
        assertTrue(line.matches("\\{\"java\":\"[^\"]+\",\"backend\":\"(vector|jblas|java)\",\"openblasCore\":\"[^\"]+\","
                + "\"threads\":[1-9][0-9]*,\"sgemmGflops\":[0-9]+\\.[0-9]+(E-?[0-9]+)?}"), line);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) Json.parse(line);
        assertEquals(List.of("java", "backend", "openblasCore", "threads", "sgemmGflops"), List.copyOf(json.keySet()));
        assertEquals(System.getProperty("java.version"), json.get("java"));
        assertEquals(BlasInfo.backendName(), json.get("backend"));
        assertEquals(BlasInfo.openblasCoreType(), json.get("openblasCore"));
        assertEquals((long) Parallel.threads(), json.get("threads"));
        double gflops = ((Number) json.get("sgemmGflops")).doubleValue();
        assertTrue(gflops >= 0 && Double.isFinite(gflops), "sgemmGflops " + gflops);
    }

    @Test
    void textOutputNamesEachItem() {
        var r = CliTestSupport.capture(() -> new InfoCommand(16).run(new String[0]));
        assertEquals(0, r.code(), r.err());
        for (String label : new String[] {"java ", "blas backend ", "openblas core ", "threads ", "sgemm "}) {
            assertTrue(r.out().contains("\n" + label) || r.out().startsWith(label), label + " missing from:\n" + r.out());
        }
        assertTrue(r.out().contains("GFLOP/s (float32 16x16 matmul"), r.out());
    }
}
