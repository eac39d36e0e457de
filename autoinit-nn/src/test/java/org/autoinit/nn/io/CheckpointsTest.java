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
        assertEquals("load: 'fc1.weight' has shape [4, 8] in the file but [4, 6] in the model", e.getMessage());
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
}
