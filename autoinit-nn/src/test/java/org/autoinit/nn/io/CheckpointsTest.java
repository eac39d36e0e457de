package org.autoinit.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.init.InitScheme;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.optim.Adam;
import org.autoinit.nn.optim.Optimizer;
import org.autoinit.nn.optim.Sgd;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    @TempDir
    Path dir;

    private static Model model(int hidden, long seed, boolean secondBias) {
        Node in = Model.input("x", 4);
        Node h = new Dense("fc1", hidden).apply(in);
        Node out = (secondBias ? new Dense("fc2", 2) : Dense.builder(2).name("fc2").bias(false).build()).apply(h);
        Model m = Model.of(in, out);
        InitScheme.pytorchDefault().apply(m, seed);
        return m;
    }

    @Test
    void weightsRoundTripGivesEqualParametersAndOutputs() throws IOException {
        Model a = model(8, 1, true), b = model(8, 2, true);
        Path f = dir.resolve("w.safetensors");
        Checkpoints.saveWeights(a, f);
        assertEquals(Map.of("format", "autoinit-weights", "format_version", "1"), Safetensors.read(f).metadata());
        Tensor before = b.namedParameters().get("fc1.weight").value();
        Checkpoints.loadWeights(b, f);
        assertTrue(before == b.namedParameters().get("fc1.weight").value(), "loaded in place (optimizers keep their tensors)");
        a.namedParameters().forEach((k, p) -> assertArrayEquals(p.value().floatData(), b.namedParameters().get(k).value().floatData(), 0f, k));
        Tensor x = Tensor.randn(new java.util.SplittableRandom(3), DType.FLOAT32, 5, 4);
        assertArrayEquals(a.forward(ForwardContext.eval(), x).floatData(), b.forward(ForwardContext.eval(), x).floatData(), 0f);
    }

    @Test
    void mismatchesAreReportedAndChangeNothing() throws IOException {
        Path f = dir.resolve("w.safetensors");
        Checkpoints.saveWeights(model(8, 1, true), f);
        Model narrow = model(6, 2, true);
        float[] keep = narrow.namedParameters().get("fc2.weight").value().floatData().clone();
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadWeights(narrow, f));
        assertEquals("load: 3 mismatches between the model and " + f + ": 'fc1.weight' has shape [4, 8] in the file but [4, 6] in the model; "
                + "'fc1.bias' has shape [8] in the file but [6] in the model; 'fc2.weight' has shape [8, 2] in the file but [6, 2] in the model",
                e.getMessage());
        assertArrayEquals(keep, narrow.namedParameters().get("fc2.weight").value().floatData(), 0f);

        var extra = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadWeights(model(8, 2, false), f));
        assertEquals("load: 'fc2.bias' is in " + f + " but not in the model", extra.getMessage());

        Path noBias = dir.resolve("nobias.safetensors");
        Checkpoints.saveWeights(model(8, 1, false), noBias);
        var missing = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadWeights(model(8, 2, true), noBias));
        assertEquals("load: 'fc2.bias' is in the model but not in " + noBias, missing.getMessage());

        var dtype = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadWeights(model(8, 2, true).to(DType.FLOAT64), f));
        assertEquals("load: 'fc1.weight' has dtype float32 in the file but float64 in the model; convert the model with to(FLOAT32) first",
                dtype.getMessage());
    }


    @Test
    void trainingCheckpointKeepsOnlyTheLatestStepAndValidatesTheManifest() throws IOException {
        Model m = model(8, 1, true);
        Optimizer opt = Adam.builder(Optimizer.trainable(m), 0.01).build();
        m.forward(ForwardContext.eval(), Tensor.ones(DType.FLOAT32, 2, 4)).sum().backward();
        opt.step();
        long[] rngA = {1, 2, 3, 4}, rngB = {-1, Long.MIN_VALUE, 7, 8};
        Path ck = dir.resolve("ck");
        Checkpoints.saveTraining(ck, m, opt, new TrainingState(1, 5, 0.01, rngA, rngB, List.of()));
        Checkpoints.saveTraining(ck, m, opt, new TrainingState(2, 10, 0.01, rngA, rngB, List.of()));
        try (Stream<Path> s = Files.list(ck)) {
            assertEquals(List.of("manifest.json", "optimizer-step000010.safetensors", "weights-step000010.safetensors"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Model m2 = model(8, 9, true);
        Optimizer opt2 = Adam.builder(Optimizer.trainable(m2), 0.01).build();
        TrainingState st = Checkpoints.loadTraining(ck, m2, opt2);
        assertEquals(2, st.epoch());
        assertEquals(10, st.step());
        assertArrayEquals(rngB, st.dropoutRng(), "64-bit words survive JSON exactly");
        assertEquals(opt.state().keySet(), opt2.state().keySet());
        assertArrayEquals(opt.state().get("fc1.weight.exp_avg").floatData(), opt2.state().get("fc1.weight.exp_avg").floatData(), 0f);

        var wrongOpt = assertThrows(IllegalArgumentException.class,
                () -> Checkpoints.loadTraining(ck, m2, Sgd.builder(Optimizer.trainable(m2), 0.1).build()));
        assertTrue(wrongOpt.getMessage().startsWith("checkpoint: optimizer state was saved by Adam but the optimizer is SGD"), wrongOpt.getMessage());

        Files.writeString(ck.resolve("manifest.json"), Files.readString(ck.resolve("manifest.json")).replace("\"format_version\": 1", "\"format_version\": 2"));
        var version = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadTraining(ck, m2, opt2));
        assertTrue(version.getMessage().startsWith("checkpoint: format_version 2 is not supported (this library reads version 1)"), version.getMessage());
    }

    /** An optimizer whose state cannot be written (an invalid tensor name): the save fails after the weights file. */
    private static final class UnsavableState extends Optimizer {
        UnsavableState(Model m) {
            super("Adam", Optimizer.trainable(m), 0.01);
        }

        @Override
        protected void update(String name, Tensor param, Tensor grad) {}

        @Override
        protected Map<String, Boolean> slotKinds() {
            return Map.of();
        }

        @Override
        public java.util.LinkedHashMap<String, Tensor> state() {
            java.util.LinkedHashMap<String, Tensor> s = new java.util.LinkedHashMap<>();
            s.put("__metadata__", Tensor.zeros(DType.FLOAT32, 1));
            return s;
        }
    }

    private static void step(Model m, Optimizer opt) {
        opt.zeroGrad();
        m.forward(ForwardContext.eval(), Tensor.ones(DType.FLOAT32, 2, 4)).sum().backward();
        opt.step();
    }

    private static Map<String, float[]> values(Model m) {
        Map<String, float[]> out = new java.util.LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> out.put(k, p.value().floatData().clone()));
        return out;
    }

    private static void assertValues(Map<String, float[]> want, Model m, String what) {
        want.forEach((k, v) -> assertArrayEquals(v, m.namedParameters().get(k).value().floatData(), 0f, what + ": " + k));
    }

    @Test
    void failedSavesNeverDamageTheLastGoodCheckpointEvenAtTheSameStep() throws IOException {
        Model m = model(8, 1, true);
        Optimizer opt = Adam.builder(Optimizer.trainable(m), 0.01).build();
        step(m, opt);
        Path ck = dir.resolve("ck");
        long[] rng = {1, 2, 3, 4};
        Checkpoints.saveTraining(ck, m, opt, new TrainingState(1, 10, 0.01, rng, rng, List.of()));
        Map<String, float[]> good = values(m);
        float[] goodSlot = opt.state().get("fc1.weight.exp_avg").floatData().clone();
        String goodManifest = Files.readString(ck.resolve("manifest.json"));

        step(m, opt); // the model moves on; the saves below must not leak these weights into the checkpoint
        for (long step : new long[] {10, 20}) {
            assertThrows(IllegalArgumentException.class,
                    () -> Checkpoints.saveTraining(ck, m, new UnsavableState(m), new TrainingState(2, step, 0.01, rng, rng, List.of())));
            Thread.currentThread().interrupt(); // the first write of the save fails with ClosedByInterruptException
            try {
                assertThrows(IOException.class, () -> Checkpoints.saveTraining(ck, m, opt, new TrainingState(2, step, 0.01, rng, rng, List.of())));
            } finally {
                Thread.interrupted();
            }
            assertEquals(goodManifest, Files.readString(ck.resolve("manifest.json")), "step " + step);
            Model back = model(8, 7, true);
            Optimizer backOpt = Adam.builder(Optimizer.trainable(back), 0.01).build();
            TrainingState st = Checkpoints.loadTraining(ck, back, backOpt);
            assertEquals(1, st.epoch());
            assertEquals(10, st.step());
            assertValues(good, back, "after a failed save at step " + step);
            assertArrayEquals(goodSlot, backOpt.state().get("fc1.weight.exp_avg").floatData(), 0f);
        }

        // A successful save at the same step replaces the checkpoint and removes every other data file.
        Checkpoints.saveTraining(ck, m, opt, new TrainingState(2, 10, 0.01, rng, rng, List.of()));
        Model back = model(8, 7, true);
        Checkpoints.loadTraining(ck, back, Adam.builder(Optimizer.trainable(back), 0.01).build());
        assertValues(values(m), back, "after the second save at step 10");
        try (Stream<Path> s = Files.list(ck)) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(3, names.size(), names.toString());
            assertEquals("manifest.json", names.get(0));
            assertTrue(names.get(1).startsWith("optimizer-step000010") && names.get(2).startsWith("weights-step000010"), names.toString());
        }
    }

    @Test
    void damagedCheckpointDirectoriesGivePreciseMessages() throws IOException {
        Model m = model(8, 1, true);
        Optimizer opt = Adam.builder(Optimizer.trainable(m), 0.01).build();
        step(m, opt);
        Path ck = dir.resolve("ck");
        Checkpoints.saveTraining(ck, m, opt, new TrainingState(1, 3, 0.01, new long[4], new long[4], List.of(Map.of("loss", 0.5))));
        Path manifest = ck.resolve("manifest.json");
        String text = Files.readString(manifest);
        String where = " (" + manifest + ")";
        Model m2 = model(8, 2, true);
        Optimizer o2 = Adam.builder(Optimizer.trainable(m2), 0.01).build();

        Files.delete(ck.resolve("weights-step000003.safetensors"));
        var missing = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadTraining(ck, m2, o2));
        assertEquals("checkpoint: the manifest names weights-step000003.safetensors, which is missing from " + ck + where, missing.getMessage());
        Checkpoints.saveTraining(ck, m, opt, new TrainingState(1, 3, 0.01, new long[4], new long[4], List.of(Map.of("loss", 0.5))));
        text = Files.readString(manifest); // the optimizer file of step 3 was still there: the new files are "-1"
        assertTrue(text.contains("\"weights\": \"weights-step000003-1.safetensors\""), text);

        Files.writeString(manifest, text.replaceFirst("\"rng\": \\{", "\"rng\": 5, \"x\": {"));
        var rng = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadTraining(ck, m2, o2));
        assertEquals("checkpoint: manifest needs an \"rng\" object" + where, rng.getMessage());

        Files.writeString(manifest, text.replace("\"loss\": 0.5", "\"loss\": 0.5}, 7, {\"loss\": 1"));
        var history = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadTraining(ck, m2, o2));
        assertEquals("checkpoint: every \"history\" entry must be an object, got 7" + where, history.getMessage());

        Files.writeString(manifest, text.replace("weights-step000003-1.safetensors", "../w.safetensors"));
        var path = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadTraining(ck, m2, o2));
        assertEquals("checkpoint: manifest needs a file name \"weights\"" + where, path.getMessage());

        // Optimizer state of another model: the first mismatching slot (file order: by name) is named; nothing changes.
        Files.writeString(manifest, text);
        Model wide = model(9, 2, true);
        Optimizer wideOpt = Adam.builder(Optimizer.trainable(wide), 0.01).build();
        float[] keep = wide.namedParameters().get("fc1.weight").value().floatData().clone();
        var shape = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadTraining(ck, wide, wideOpt));
        assertEquals("Adam.loadState: 'fc1.bias.exp_avg' has shape [8] but [9] is expected", shape.getMessage());
        assertArrayEquals(keep, wide.namedParameters().get("fc1.weight").value().floatData(), 0f);
        assertTrue(wideOpt.state().isEmpty());
    }
}
