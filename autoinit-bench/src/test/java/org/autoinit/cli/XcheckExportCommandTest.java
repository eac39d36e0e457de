package org.autoinit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.autoinit.nn.io.Json;
import org.autoinit.nn.io.Safetensors;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XcheckExportCommandTest {

    @Test
    void exportsTheZooMlpWithItsPeerNames(@TempDir Path dir) throws IOException {
        var r = CliTestSupport.capture(() -> Main.run("xcheck-export", "--model", "mlp", "--out", dir.toString(), "--batch", "3",
                "--seed", "5", "--dtype", "f64"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("xcheck-export: mlp (peer mlp), batch 3, F64, seed 5: loss "), r.out());
        Map<?, ?> json = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("names.json")));
        assertEquals("mlp", json.get("peer_model"));
        assertEquals("F64", json.get("dtype"));
        List<?> params = (List<?>) json.get("params");
        assertEquals(Map.of("name", "fc1.weight", "torch", "0.weight", "transpose", true, "buffer", false), params.get(0));
        assertEquals(Map.of("name", "fc3.bias", "torch", "4.bias", "transpose", false, "buffer", false), params.get(5));
        Map<String, Tensor> batch = Safetensors.read(dir.resolve("batch.safetensors")).tensors();
        assertEquals(DType.FLOAT64, batch.get("x").dtype());
        assertEquals(List.of(3, 784), List.of(batch.get("x").dim(0), batch.get("x").dim(1)));
        assertEquals(6, Safetensors.read(dir.resolve("grads.safetensors")).tensors().size());
        assertTrue(Files.notExists(dir.resolve("buffers.safetensors")), "the mlp has no buffers");
    }

    @Test
    void usageErrorsExitWith2AndNameTheProblem(@TempDir Path dir) {
        var unknown = CliTestSupport.capture(() -> Main.run("xcheck-export", "--model", "resnet56", "--out", dir.toString()));
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("'resnet56' has no PyTorch peer twin; models with one: mlp, cnn, allcnnc, resnet20, vit"),
                unknown.err());
        var dtype = CliTestSupport.capture(() -> Main.run("xcheck-export", "--model", "mlp", "--out", dir.toString(), "--dtype", "f16"));
        assertEquals(2, dtype.code());
        assertTrue(dtype.err().contains("--dtype must be f32 or f64, got 'f16'"), dtype.err());
        var missing = CliTestSupport.capture(() -> Main.run("xcheck-export", "--model", "mlp"));
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--out"), missing.err());
    }
}
