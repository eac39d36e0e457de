package org.autoinit.xcheck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.Sequential;
import org.autoinit.nn.io.Json;
import org.autoinit.nn.io.Safetensors;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.Flatten;
import org.autoinit.nn.train.Loss;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trip of the export on a small conv-BN-dense model whose PyTorch twin is {@code Sequential(Conv2d, BatchNorm2d, Flatten, Linear)}. */
class XcheckExportTest {
    private static final int BATCH = 5;

    /** Conv2d(2 -> 3, k3, pad 1) -> BatchNorm -> Flatten -> Dense(4) on [2, 4, 4]. */
    private static Model tiny() {
        return Sequential.of(new int[] {2, 4, 4}, Conv2d.builder(3, 3).padding(1).name("conv").build(), new BatchNorm("bn"),
                new Flatten("flat"), new Dense("fc", 4));
    }

    private static List<TorchName> tinyNames(Model m) {
        Map<String, String> paths = Map.of("conv", "0", "bn", "1", "fc", "3");
        return TorchNames.map(m, (Layer l) -> paths.get(l.name()));
    }

    private static Map<String, Tensor> read(Path file) throws IOException {
        return Safetensors.read(file).tensors();
    }

    @Test
    void mappingTranslatesNormNamesAndTransposesOnlyDenseWeights() {
        Model m = tiny();
        List<String> got = new ArrayList<>();
        for (TorchName n : tinyNames(m)) {
            got.add(n.name() + "->" + n.torch() + (n.transpose() ? " T" : "") + (n.buffer() ? " buffer" : ""));
        }
        assertEquals(List.of("conv.weight->0.weight", "conv.bias->0.bias", "bn.gamma->1.weight", "bn.beta->1.bias",
                "bn.running_mean->1.running_mean buffer", "bn.running_var->1.running_var buffer", "fc.weight->3.weight T",
                "fc.bias->3.bias"), got);
    }

    @Test
    void mappingRejectsUnknownModulesAndCollisions() {
        Model m = tiny();
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> TorchNames.map(m, l -> Map.of("conv", "0", "bn", "1").get(l.name())));
        assertTrue(unknown.getMessage().contains("Dense 'fc'"), unknown.getMessage());
        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> TorchNames.map(m, l -> "0"));
        assertTrue(clash.getMessage().contains("both map to PyTorch's '0.weight'"), clash.getMessage());
    }

    @Test
    void exportRejectsIncompleteMapping(@TempDir Path dir) {
        Model m = tiny();
        List<TorchName> names = new ArrayList<>(tinyNames(m));
        names.remove(names.size() - 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> XcheckExport.run(m, "tiny", "tiny", names, dir, 1, BATCH, DType.FLOAT32));
        assertTrue(e.getMessage().contains("leaves 'fc.bias' out"), e.getMessage());
    }

    @Test
    void filesRoundTripAndReplayBitForBit(@TempDir Path dir) throws IOException {
        Model m = tiny();
        List<TorchName> names = tinyNames(m);
        XcheckExport.Result r = XcheckExport.run(m, "tiny", "tiny-peer", names, dir, 42, BATCH, DType.FLOAT32);
        assertEquals(6, r.parameters());
        assertEquals(2, r.buffers());

        Map<String, Tensor> weights = read(dir.resolve("weights.safetensors"));
        Map<String, Tensor> batch = read(dir.resolve("batch.safetensors"));
        Map<String, Tensor> grads = read(dir.resolve("grads.safetensors"));
        Map<String, Tensor> buffers = read(dir.resolve("buffers.safetensors"));
        assertEquals(m.namedParameters().keySet(), weights.keySet());
        assertEquals(List.of("conv.weight", "conv.bias", "bn.gamma", "bn.beta", "fc.weight", "fc.bias").stream().sorted().toList(),
                grads.keySet().stream().sorted().toList());
        assertEquals(List.of("bn.running_mean", "bn.running_var"), buffers.keySet().stream().sorted().toList());

        // Norm parameters and buffers are randomized, so 1/0 defaults cannot hide a swapped mapping.
        for (String k : List.of("bn.gamma", "bn.beta", "bn.running_mean", "bn.running_var")) {
            Tensor t = weights.get(k);
            assertNotEquals(t.getFlat(0), t.getFlat(1), k);
        }

        Tensor x = batch.get("x");
        assertArrayEquals(new int[] {BATCH, 2, 4, 4}, x.shape());
        for (int i = 0; i < x.numel(); i++) {
            assertTrue(x.getFlat(i) >= 0 && x.getFlat(i) < 1, "x in [0, 1)");
        }
        Tensor labelsT = batch.get("labels");
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            double v = labelsT.getFlat(i);
            assertTrue(v == Math.rint(v) && v >= 0 && v < 4, "label " + v);
            labels[i] = (int) v;
        }
        Tensor logits = batch.get("logits");
        assertArrayEquals(new int[] {BATCH, 4}, logits.shape());
        assertEquals(0, batch.get("loss").rank());
        // Mean cross-entropy recomputed by hand from the written logits and labels.
        double ce = 0;
        for (int i = 0; i < BATCH; i++) {
            double sum = 0;
            for (int j = 0; j < 4; j++) {
                sum += Math.exp(logits.getFlat(i * 4 + j));
            }
            ce += Math.log(sum) - logits.getFlat(i * 4 + labels[i]);
        }
        assertEquals(ce / BATCH, batch.get("loss").item(), 1e-6);
        assertEquals(r.loss(), batch.get("loss").item(), 0);

        // Replay on a fresh model loaded from weights.safetensors: same logits, loss, gradients and updated buffers.
        Model replay = tiny();
        replay.namedParameters().forEach((k, p) -> p.set(weights.get(k)));
        Tensor logits2 = replay.forward(ForwardContext.training(new SplittableRandom(0)), x);
        Tensor loss2 = Loss.crossEntropy().compute(logits2, labels);
        loss2.backward();
        assertArrayEquals(logits.toFloatArray(), logits2.toFloatArray());
        assertEquals(batch.get("loss").item(), loss2.item(), 0);
        for (Map.Entry<String, Parameter> e : replay.namedParameters().entrySet()) {
            Tensor expected = e.getValue().trainable() ? e.getValue().value().grad() : e.getValue().value();
            Tensor written = e.getValue().trainable() ? grads.get(e.getKey()) : buffers.get(e.getKey());
            assertArrayEquals(expected.toFloatArray(), written.toFloatArray(), e.getKey());
        }

        Map<?, ?> json = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("names.json")));
        assertEquals("tiny", json.get("model"));
        assertEquals("tiny-peer", json.get("peer_model"));
        assertEquals("F32", json.get("dtype"));
        assertEquals(42L, json.get("seed"));
        List<?> params = (List<?>) json.get("params");
        assertEquals(names.size(), params.size());
        for (int i = 0; i < names.size(); i++) {
            Map<?, ?> p = (Map<?, ?>) params.get(i);
            TorchName n = names.get(i);
            assertEquals(n, new TorchName((String) p.get("name"), (String) p.get("torch"), (Boolean) p.get("transpose"),
                    (Boolean) p.get("buffer")));
        }
    }

    /** In float64 the written gradients match central differences of the written loss (they belong to the right tensors). */
    @Test
    void float64GradientsMatchFiniteDifferences(@TempDir Path dir) throws IOException {
        Model m = tiny();
        XcheckExport.run(m, "tiny", "tiny", tinyNames(m), dir, 7, BATCH, DType.FLOAT64);
        Map<String, Tensor> weights = read(dir.resolve("weights.safetensors"));
        Map<String, Tensor> batch = read(dir.resolve("batch.safetensors"));
        Map<String, Tensor> grads = read(dir.resolve("grads.safetensors"));
        assertEquals(DType.FLOAT64, batch.get("x").dtype());
        int[] labels = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            labels[i] = (int) batch.get("labels").getFlat(i);
        }
        double h = 1e-5;
        for (String name : grads.keySet()) {
            Tensor g = grads.get(name);
            for (int idx : new int[] {0, g.numel() / 2, g.numel() - 1}) {
                double[] loss = new double[2];
                for (int s = 0; s < 2; s++) {
                    Model replay = tiny().to(DType.FLOAT64);
                    Map<String, Parameter> ps = replay.namedParameters();
                    ps.forEach((k, p) -> p.set(weights.get(k)));
                    Tensor v = ps.get(name).value();
                    v.setFlat(idx, v.getFlat(idx) + (s == 0 ? h : -h));
                    Tensor logits = replay.forward(ForwardContext.training(new SplittableRandom(0)), batch.get("x"));
                    loss[s] = Loss.crossEntropy().compute(logits, labels).item();
                }
                double numeric = (loss[0] - loss[1]) / (2 * h);
                double analytic = g.getFlat(idx);
                assertEquals(numeric, analytic, 1e-7 + 1e-5 * Math.abs(numeric), name + "[" + idx + "]");
            }
        }
    }

    @Test
    void sameSeedSameFilesDifferentSeedDifferentWeights(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a"), b = dir.resolve("b"), c = dir.resolve("c");
        Model ma = tiny(), mb = tiny(), mc = tiny();
        XcheckExport.run(ma, "tiny", "tiny", tinyNames(ma), a, 3, BATCH, DType.FLOAT32);
        XcheckExport.run(mb, "tiny", "tiny", tinyNames(mb), b, 3, BATCH, DType.FLOAT32);
        XcheckExport.run(mc, "tiny", "tiny", tinyNames(mc), c, 4, BATCH, DType.FLOAT32);
        for (String f : List.of("weights.safetensors", "batch.safetensors", "grads.safetensors", "buffers.safetensors", "names.json")) {
            assertEquals(-1, Files.mismatch(a.resolve(f), b.resolve(f)), f);
        }
        assertFalse(Files.mismatch(a.resolve("weights.safetensors"), c.resolve("weights.safetensors")) == -1);
    }
}
