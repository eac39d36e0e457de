package org.autoinit.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.LongFunction;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.optim.Adam;
import org.autoinit.nn.optim.Optimizer;
import org.autoinit.nn.testing.AllLayersModel;
import org.autoinit.nn.testing.Bits;
import org.autoinit.nn.testing.LayerClasses;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Save -> load round trips of every layer type (through {@link AllLayersModel}) and every zoo model with its
 * options: a model built and initialized with seed 1 is saved, a model built with seed 2 (so every tensor
 * differs, which is asserted) loads the file, and then parameters, buffers, eval outputs, training-mode
 * outputs and the BatchNorm statistics a training pass leaves behind must be bit for bit those of the
 * original. Training checkpoints add the optimizer state: one more Adam step on both must agree bit for bit.
 *
 * <p>{@link #everyLayerClassIsCovered()} scans the compiled autoinit-nn classes for concrete {@link Layer}
 * subclasses, so a new layer type fails the build until it is part of a round trip here.
 */
class RoundTripTest {
    @TempDir
    Path dir;

    /** Layer classes that went through a round trip in this JVM (checked after all tests). */
    private static final Set<String> COVERED = new TreeSet<>();

    // ------------------------------------------------------------------ fixtures

    private static ZooOptions.Builder zoo(long seed) {
        return ZooOptions.builder().seed(seed);
    }

    /** Gives every non-weight tensor seed-dependent values: init schemes set norms to 1/0, buffers to 1/0 for any seed. */
    static void perturb(Model m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Parameter p : m.namedParameters().values()) {
            Tensor v = p.value();
            for (int i = 0; i < v.numel(); i++) {
                double u = r.nextDouble();
                switch (p.kind()) {
                    case WEIGHT, EMBEDDING -> { } // from the seeded init scheme
                    // Positive, as a running variance or a merge coefficient must be; ~1 keeps deep nets finite.
                    case BUFFER, NORM_SCALE -> v.setFlat(i, 0.5 + u);
                    default -> v.setFlat(i, 0.2 * (u - 0.5));
                }
            }
        }
    }

    /** A batch of 3 samples of N(0, 1) for each model input (seeded). */
    private static Tensor[] batch(Model m, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor[] out = new Tensor[m.inputs().size()];
        for (int i = 0; i < out.length; i++) {
            int[] s = m.inputs().get(i).shape();
            int[] b = new int[s.length + 1];
            b[0] = 3;
            System.arraycopy(s, 0, b, 1, s.length);
            out[i] = Tensor.randn(r, DType.FLOAT32, b);
        }
        return out;
    }

    // ------------------------------------------------------------------ the checks

    private static void assertAllParametersBitEqual(Model a, Model b, String label) {
        Map<String, Parameter> pa = a.namedParameters(), pb = b.namedParameters();
        assertEquals(List.copyOf(pa.keySet()), List.copyOf(pb.keySet()), label + ": parameter names");
        for (Map.Entry<String, Parameter> e : pa.entrySet()) {
            Parameter q = pb.get(e.getKey());
            Bits.assertEqual(e.getValue().value(), q.value(), label + " " + e.getKey());
            assertEquals(e.getValue().trainable(), q.trainable(), label + " " + e.getKey() + " trainable");
            assertEquals(e.getValue().trainable(), q.value().requiresGrad(), label + " " + e.getKey() + " requiresGrad");
        }
    }

    /** Before loading, every non-empty tensor of the second model differs: the round trip then proves something. */
    private static void assertEveryTensorDiffers(Model a, Model b, String label) {
        for (Map.Entry<String, Parameter> e : a.namedParameters().entrySet()) {
            Tensor x = e.getValue().value(), y = b.namedParameters().get(e.getKey()).value();
            if (x.numel() > 0) {
                assertFalse(Arrays.equals(Bits.of(x), Bits.of(y)), label + ": " + e.getKey() + " is equal before loading; the fixture is too weak");
            }
        }
    }

    private static Map<String, Tensor> buffers(Model m) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        m.namedParameters().forEach((k, p) -> {
            if (p.kind() == org.autoinit.nn.ParamKind.BUFFER) out.put(k, p.value().copy());
        });
        return out;
    }

    /** Round trip of the weights file, then the outputs in eval and training mode. */
    private void weightsRoundTrip(String label, LongFunction<Model> build, Tensor[] x) throws IOException {
        Model a = build.apply(1);
        perturb(a, 11);
        Model b = build.apply(2);
        perturb(b, 22);
        assertEveryTensorDiffers(a, b, label);
        a.allLayers().forEach(l -> COVERED.add(l.getClass().getName()));

        Path file = dir.resolve(label + ".safetensors");
        Checkpoints.saveWeights(a, file);
        assertEquals(List.copyOf(a.namedParameters().keySet()).stream().sorted().toList(),
                Safetensors.read(file).tensors().keySet().stream().sorted().toList(), label + ": the file holds every parameter and buffer");
        Checkpoints.loadWeights(b, file);
        assertAllParametersBitEqual(a, b, label);

        Bits.assertEqual(a.forward(ForwardContext.eval(), x), b.forward(ForwardContext.eval(), x), label + " eval output");

        Map<String, Tensor> before = buffers(a);
        Tensor ta = a.forward(ForwardContext.training(new SplittableRandom(5)), x);
        Tensor tb = b.forward(ForwardContext.training(new SplittableRandom(5)), x);
        Bits.assertEqual(ta, tb, label + " training output");
        Map<String, Tensor> after = buffers(b);
        after.forEach((k, t) -> Bits.assertEqual(a.namedParameters().get(k).value(), t, label + " " + k + " after a training pass"));
        boolean hasBatchNorm = a.allLayers().stream().anyMatch(l -> l.getClass().getSimpleName().equals("BatchNorm"));
        if (hasBatchNorm) {
            assertTrue(after.entrySet().stream().anyMatch(e -> e.getKey().endsWith("running_mean")
                    && !Arrays.equals(Bits.of(e.getValue()), Bits.of(before.get(e.getKey())))), label + ": a training pass moves the running statistics");
        }
        Bits.assertEqual(a.forward(ForwardContext.eval(), x), b.forward(ForwardContext.eval(), x), label + " eval output after a training pass");
    }

    private static Tensor loss(Model m, Tensor[] x, long dropoutSeed) {
        Tensor y = m.forward(ForwardContext.training(new SplittableRandom(dropoutSeed)), x);
        return y.mul(y).mean();
    }

    /** A training checkpoint after one Adam step; the resumed copy must take the next step exactly as the original. */
    private void trainingRoundTrip(String label, LongFunction<Model> build, Tensor[] x) throws IOException {
        Model a = build.apply(1);
        perturb(a, 11);
        Optimizer oa = Adam.builder(Optimizer.trainable(a), 1e-3).build();
        loss(a, x, 7).backward();
        oa.step();
        oa.zeroGrad();
        Path ck = dir.resolve(label + "-ck");
        long[] rngData = {1, 2, 3, 4}, rngDrop = {5, 6, 7, -8};
        Checkpoints.saveTraining(ck, a, oa, new TrainingState(1, 1, 1e-3, rngData, rngDrop, List.of()));

        Model b = build.apply(2);
        perturb(b, 22);
        Optimizer ob = Adam.builder(Optimizer.trainable(b), 1e-3).build();
        assertTrue(ob.state().isEmpty());
        TrainingState st = Checkpoints.loadTraining(ck, b, ob);
        assertEquals(1, st.step());
        assertArrayEquals(rngDrop, st.dropoutRng());
        assertAllParametersBitEqual(a, b, label + " (training checkpoint)");
        assertEquals(List.copyOf(oa.state().keySet()), List.copyOf(ob.state().keySet()), label + ": optimizer slots");
        assertFalse(oa.state().isEmpty(), label + ": the optimizer has state to save");
        oa.state().forEach((k, t) -> Bits.assertEqual(t, ob.state().get(k), label + " optimizer " + k));

        Tensor la = loss(a, x, 8), lb = loss(b, x, 8);
        Bits.assertEqual(la, lb, label + " loss after resuming");
        la.backward();
        lb.backward();
        oa.step();
        ob.step();
        assertAllParametersBitEqual(a, b, label + " after one more step");
        oa.state().forEach((k, t) -> Bits.assertEqual(t, ob.state().get(k), label + " optimizer " + k + " after one more step"));
    }

    private void both(String label, LongFunction<Model> build) throws IOException {
        Model probe = build.apply(0);
        Tensor[] x = batch(probe, 3);
        weightsRoundTrip(label, build, x);
        trainingRoundTrip(label, build, x);
    }

    // ------------------------------------------------------------------ every layer type

    @Test
    void allLayersModel() throws IOException {
        LongFunction<Model> build = seed -> {
            Model m = AllLayersModel.build();
            org.autoinit.nn.init.InitScheme.pytorchDefault().apply(m, seed);
            return m;
        };
        Tensor[] x = AllLayersModel.batch(3, 4);
        weightsRoundTrip("all-layers", build, x);
        trainingRoundTrip("all-layers", build, x);
    }

    @Test
    void allLayersModelInFloat64() throws IOException {
        LongFunction<Model> build = seed -> {
            Model m = AllLayersModel.build();
            org.autoinit.nn.init.InitScheme.pytorchDefault().apply(m, seed);
            return m.to(DType.FLOAT64);
        };
        Tensor[] x = AllLayersModel.batch(3, 5);
        for (int i = 0; i < x.length; i++) x[i] = x[i].to(DType.FLOAT64);
        weightsRoundTrip("all-layers-f64", build, x);
    }

    // ------------------------------------------------------------------ every zoo model and option

    @Test
    void mlpAndDeepMlps() throws IOException {
        both("mlp", s -> Zoo.build("mlp", zoo(s).build()));
        both("mlp-bn-dropout", s -> Zoo.build("mlp", zoo(s).normalization(true).dropout(0.2).build()));
        both("deep-mlp", s -> Zoo.build("deep-mlp", zoo(s).build()));
        both("deep-mlp-bn", s -> Zoo.build("deep-mlp", zoo(s).normalization(true).depth(4).build()));
        both("deep-resmlp", s -> Zoo.build("deep-resmlp", zoo(s).build()));
        both("deep-resmlp-weightedsum", s -> Zoo.build("deep-resmlp", zoo(s).merge(ZooOptions.Merge.WEIGHTED_SUM).build()));
        both("deep-resmlp-bn-dropout", s -> Zoo.build("deep-resmlp", zoo(s).normalization(true).dropout(0.1).depth(4).build()));
    }

    @Test
    void convolutionalModels() throws IOException {
        both("cnn", s -> Zoo.build("cnn", zoo(s).build()));
        both("cnn-bn-dropout", s -> Zoo.build("cnn", zoo(s).normalization(true).dropout(0.25).build()));
        both("allcnnc", s -> Zoo.build("allcnnc", zoo(s).build()));
        both("allcnnc-bn", s -> Zoo.build("allcnnc", zoo(s).normalization(true).dropout(0.5).build()));
    }

    @Test
    void cifarResNets() throws IOException {
        both("resnet20", s -> Zoo.build("resnet20", zoo(s).build()));
        both("resnet20-weightedsum", s -> Zoo.build("resnet20", zoo(s).merge(ZooOptions.Merge.WEIGHTED_SUM).build()));
        both("resnet20-no-normalization", s -> Zoo.build("resnet20", zoo(s).normalization(false).build()));
        both("resnet20-no-norm-weightedsum-dropout", s -> Zoo.build("resnet20",
                zoo(s).normalization(false).merge(ZooOptions.Merge.WEIGHTED_SUM).dropout(0.1).build()));
        both("resnet56", s -> Zoo.build("resnet56", zoo(s).build()));
        both("resnet56-weightedsum-leaky", s -> Zoo.build("resnet56", zoo(s).merge(ZooOptions.Merge.WEIGHTED_SUM)
                .activation(org.autoinit.tensor.ops.ActivationKind.LEAKY_RELU).activationAlpha(0.2).build()));
    }

    @Test
    void resnet50() throws IOException {
        // The parameters do not depend on the image size (global average pool): 64x64 keeps the forward passes cheap.
        LongFunction<Model> build = s -> Zoo.build("resnet50", zoo(s).inputShape(3, 64, 64).build());
        Model probe = build.apply(0);
        assertEquals(25_557_032, probe.parameterCount(false));
        weightsRoundTrip("resnet50", build, batch(probe, 3));
    }

    @Test
    void visionTransformer() throws IOException {
        both("vit", s -> Zoo.build("vit", zoo(s).build()));
        both("vit-dropout", s -> Zoo.build("vit", zoo(s).dropout(0.1).depth(2).build()));
        both("vit-no-layernorm", s -> Zoo.build("vit", zoo(s).normalization(false).depth(2).build()));
    }

    /** Guards the zoo list: a new zoo model must get a round trip above. */
    @Test
    void zooNamesAreTheOnesCoveredHere() {
        assertEquals(List.of("mlp", "cnn", "allcnnc", "resnet20", "resnet56", "resnet50", "vit", "deep-mlp", "deep-resmlp"), Zoo.names(),
                "a zoo model was added or renamed: give it a round trip in RoundTripTest");
    }

    // ------------------------------------------------------------------ coverage of the layer package

    @Test
    void everyLayerClassIsCovered() throws Exception {
        List<String> all = LayerClasses.concrete();
        assertTrue(all.size() >= 29, "found only " + all + "; is the scan broken?");
        // The fixture model alone covers every layer type (the zoo models reuse them).
        Set<String> inFixture = new TreeSet<>();
        AllLayersModel.build().allLayers().forEach(l -> inFixture.add(l.getClass().getName()));
        List<String> missing = all.stream().filter(c -> !inFixture.contains(c)).toList();
        assertEquals(List.of(), missing, "layer classes without a save -> load round trip: add them to AllLayersModel");
    }

    @AfterAll
    static void roundTripsRanOverEveryLayerClass() throws Exception {
        // Only meaningful when the whole class ran (not a single method filtered with -Dtest=...#method).
        if (COVERED.size() > 20) {
            List<String> missing = LayerClasses.concrete().stream().filter(c -> !COVERED.contains(c)).toList();
            assertEquals(List.of(), missing, "layer classes that no round trip exercised");
        }
    }
}
