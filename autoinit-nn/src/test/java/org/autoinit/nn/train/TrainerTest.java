package org.autoinit.nn.train;

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

import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.optim.AdamW;
import org.autoinit.nn.optim.LrSchedule;
import org.autoinit.nn.optim.Optimizer;
import org.autoinit.nn.optim.Sgd;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    private static final Batch TRAIN = TestModels.data(96, 1);
    private static final Batch VAL = TestModels.data(48, 2);

    @TempDir
    Path dir;

    /** Records every batch loss. */
    static final class LossLog implements TrainingListener {
        final List<Double> losses = new ArrayList<>();

        @Override
        public void onBatchEnd(long step, double loss, double accuracy, double samplesPerSec) {
            losses.add(loss);
        }
    }


    private static Trainer.Builder adamTrainer(Model m, long seed, LossLog log) {
        Optimizer opt = AdamW.builder(Optimizer.trainable(m), 0.01).build();
        return Trainer.builder().optimizer(opt).seed(seed).clipNorm(5.0)
                .schedule(LrSchedule.warmupCosine(0.02, 4, 24)).listener(log);
    }

    /** Every parameter and buffer (BatchNorm running statistics included) equal bit for bit. */
    private static void assertSameWeights(Model a, Model b, String c) {
        for (Map.Entry<String, Parameter> e : a.namedParameters().entrySet()) {
            float[] x = e.getValue().value().floatData();
            float[] y = b.namedParameters().get(e.getKey()).value().floatData();
            assertArrayEquals(x, y, 0f, c + ": " + e.getKey());
        }
    }

    @Test
    void sameSeedGivesSameLossesAndWeightsBitForBit() {
        LossLog a = new LossLog(), b = new LossLog(), c = new LossLog();
        Model ma = TestModels.mlp(5, null), mb = TestModels.mlp(5, null), mc = TestModels.mlp(5, null);
        adamTrainer(ma, 7, a).build().fit(ma, TestModels.source(TRAIN, 16, true), TestModels.source(VAL, 16, false), 3);
        adamTrainer(mb, 7, b).build().fit(mb, TestModels.source(TRAIN, 16, true), TestModels.source(VAL, 16, false), 3);
        adamTrainer(mc, 8, c).build().fit(mc, TestModels.source(TRAIN, 16, true), TestModels.source(VAL, 16, false), 3);
        assertEquals(18, a.losses.size());
        assertEquals(a.losses, b.losses);
        assertSameWeights(ma, mb, "same seed");
        assertNotEquals(a.losses, c.losses, "another seed shuffles and drops differently");
    }

    @Test
    void trainingLearnsTheSyntheticTask() {
        Model m = TestModels.mlp(3, null);
        Optimizer opt = Sgd.builder(Optimizer.trainable(m), 0.1).momentum(0.9).build();
        History h = Trainer.builder().optimizer(opt).seed(1).build()
                .fit(m, TestModels.source(TRAIN, 16, true), TestModels.source(VAL, 16, false), 15);
        assertEquals(15, h.size());
        double[] loss = h.series("train_loss");
        assertTrue(loss[14] < 0.5 * loss[0], "loss " + loss[0] + " -> " + loss[14]);
        assertTrue(h.last().valAccuracy() > 0.8, "val accuracy " + h.last().valAccuracy());
        assertEquals(15 * 6, h.last().step());
        EvaluationStats s = Trainer.evaluate(m, TestModels.source(VAL, 16, false), 3);
        assertEquals(h.last().valAccuracy(), s.accuracy(), 1e-12, "validation accuracy agrees with Evaluation");
        assertEquals(48, s.count());
    }

    @Test
    void resumingFromACheckpointEqualsAnUninterruptedRun() throws IOException {
        LossLog full = new LossLog();
        Model mFull = TestModels.mlp(5, null);
        History hFull = adamTrainer(mFull, 11, full).build()
                .fit(mFull, TestModels.source(TRAIN, 16, true), TestModels.source(VAL, 16, false), 4);

        LossLog first = new LossLog();
        Model mA = TestModels.mlp(5, null);
        Path ckpt = dir.resolve("ckpt");
        adamTrainer(mA, 11, first).listener(new CheckpointListener(ckpt)).build()
                .fit(mA, TestModels.source(TRAIN, 16, true), TestModels.source(VAL, 16, false), 2);

        LossLog second = new LossLog();
        Model mB = TestModels.mlp(12345, null); // different init: everything must come from the checkpoint
        History hB = adamTrainer(mB, 999, second).build() // different seed: the generator states come from the checkpoint too
                .resume(ckpt, mB, TestModels.source(TRAIN, 16, true), TestModels.source(VAL, 16, false), 4);

        List<Double> joined = new ArrayList<>(first.losses);
        joined.addAll(second.losses);
        assertEquals(full.losses, joined);
        assertSameWeights(mFull, mB, "resumed");
        assertEquals(4, hB.size());
        assertArrayEquals(hFull.series("train_loss"), hB.series("train_loss"), 0);
        assertArrayEquals(hFull.series("val_loss"), hB.series("val_loss"), 0);
        assertArrayEquals(hFull.series("lr"), hB.series("lr"), 0);
    }

    @Test
    void aNonFiniteOutputNamesTheFirstNodeAndStep() {
        Model m = TestModels.mlp(1, new TestModels.Poison("poison", 3));
        Trainer t = Trainer.builder().optimizer(Sgd.builder(Optimizer.trainable(m), 0.1).build()).build();
        var e = assertThrows(TrainingDivergedException.class, () -> t.fit(m, TestModels.source(TRAIN, 16, false), null, 1));
        assertEquals("poison", e.where());
        assertEquals(2, e.step());
        assertTrue(e.getMessage().startsWith("training diverged at step 2 (epoch 0, batch 2): the output of node 'poison' (Poison) has 256 "
                + "non-finite value(s) out of 256 (first: NaN at flat index 0)"), e.getMessage());
    }

    @Test
    void aNonFiniteOutputThatTheReRunDoesNotReproduceIsReportedAsTheLoss() {
        Model m = TestModels.mlp(1, new TestModels.Poison("poison", 3, true));
        Trainer t = Trainer.builder().optimizer(Sgd.builder(Optimizer.trainable(m), 0.1).build()).build();
        var e = assertThrows(TrainingDivergedException.class, () -> t.fit(m, TestModels.source(TRAIN, 16, false), null, 1));
        assertEquals("loss", e.where());
        assertEquals(2, e.step());
        assertTrue(e.getMessage().contains("the loss is NaN"), e.getMessage());
    }

    @Test
    void aNonFiniteGradientNamesTheLayerClosestToTheOutput() {
        Model m = TestModels.mlp(1, new TestModels.NanGrad("nan_grad"));
        Trainer t = Trainer.builder().optimizer(Sgd.builder(Optimizer.trainable(m), 0.1).build()).build();
        var e = assertThrows(TrainingDivergedException.class, () -> t.fit(m, TestModels.source(TRAIN, 16, false), null, 1));
        assertEquals("fc1.weight", e.where());
        assertTrue(e.getMessage().startsWith("training diverged at step 0 (epoch 0, batch 0): the gradient of 'fc1.weight' (layer 'fc1', Dense) has 96"),
                e.getMessage());
        assertFalse(Float.isNaN(m.namedParameters().get("fc1.weight").value().floatData()[0]), "no step was taken with NaN");
    }

    @Test
    void aNonFiniteLossIsReported() {
        Model m = TestModels.mlp(1, null);
        Trainer t = Trainer.builder().optimizer(Sgd.builder(Optimizer.trainable(m), 0.1).build())
                .loss((out, labels) -> out.sum().mul(Double.POSITIVE_INFINITY)).build();
        var e = assertThrows(TrainingDivergedException.class, () -> t.fit(m, TestModels.source(TRAIN, 16, false), null, 1));
        assertEquals("loss", e.where());
        assertTrue(e.getMessage().contains("the loss is "), e.getMessage());
    }

    @Test
    void earlyStoppingStopsWhenTheMetricPlateaus() {
        // Learning rate 0 and no batch norm (whose running statistics would still move the validation loss): the
        // validation loss never changes, so epoch 0 stays the best.
        org.autoinit.nn.Node in = Model.input("x", 6);
        Model m = Model.of(in, new org.autoinit.nn.layers.Dense("fc2", 3).apply(org.autoinit.nn.layers.Activation.relu().apply(
                new org.autoinit.nn.layers.Dense("fc1", 16).apply(in))));
        org.autoinit.nn.init.InitScheme.pytorchDefault().apply(m, 1);
        EarlyStopping es = new EarlyStopping("val_loss", 2, 0.0);
        History h = Trainer.builder().optimizer(Sgd.builder(Optimizer.trainable(m), 0.0).build()).listener(es).build()
                .fit(m, TestModels.source(TRAIN, 32, false), TestModels.source(VAL, 16, false), 10);
        for (var e : h.epochs()) {
            assertEquals(h.epochs().get(0).valLoss(), e.valLoss(), 0, "epoch " + e.epoch());
        }
        assertEquals(3, h.size());
        assertEquals(0, es.bestEpoch());
        assertEquals(h.epochs().get(0).valLoss(), es.best(), 0);
    }

    @Test
    void historyWritesCsvAndJson() throws IOException {
        Model m = TestModels.mlp(1, null);
        History h = Trainer.builder().optimizer(Sgd.builder(Optimizer.trainable(m), 0.05).build()).build()
                .fit(m, TestModels.source(TRAIN, 32, false), null, 2);
        h.writeCsv(dir.resolve("h.csv"));
        h.writeJson(dir.resolve("h.json"));
        List<String> lines = Files.readAllLines(dir.resolve("h.csv"));
        assertEquals("epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds", lines.get(0));
        assertEquals(3, lines.size());
        assertTrue(lines.get(2).startsWith("1,6," + h.last().trainLoss() + "," + h.last().trainAccuracy() + ",,,0.05,"), lines.get(2));
        History back = History.fromJsonList((List<?>) org.autoinit.nn.io.Json.parse(Files.readString(dir.resolve("h.json"))));
        assertEquals(h.epochs().get(1).trainLoss(), back.epochs().get(1).trainLoss(), 0);
        assertTrue(Double.isNaN(back.epochs().get(1).valLoss()));
    }

    @Test
    void consolePrintsOneLinePerEpochOffATerminalAndABarOnOne() {
        for (boolean tty : new boolean[] {false, true}) {
            var bytes = new java.io.ByteArrayOutputStream();
            var out = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8);
            Model m = TestModels.mlp(1, null);
            Trainer.builder().optimizer(Sgd.builder(Optimizer.trainable(m), 0.05).build()).listener(new ConsoleProgress(out, tty)).build()
                    .fit(m, TestModels.source(TRAIN, 32, false), TestModels.source(VAL, 16, false), 2);
            String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
            String[] lines = text.replaceAll("\r[^\r\n]*\u001b\\[K", "").split("\n");
            assertEquals(2, lines.length, text);
            assertTrue(lines[0].matches("epoch 1/2 step 3 loss \\d\\.\\d{4} acc \\d\\.\\d{4} val_loss \\d\\.\\d{4} val_acc \\d\\.\\d{4} lr 0\\.0500 \\d+\\.\\ds"), lines[0]);
            assertEquals(tty, text.contains("\r"), "carriage returns only on a terminal");
        }
    }

    @Test
    void progressBarLayout() {
        Model m = TestModels.mlp(1, null);
        ConsoleProgress p = new ConsoleProgress(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), true);
        String[] bars = new String[1];
        TrainingListener capture = new TrainingListener() {
            @Override
            public void onBatchEnd(long step, double loss, double accuracy, double samplesPerSec) {
                if (bars[0] == null) bars[0] = p.bar(3, 6, 1234);
            }
        };
        Trainer.builder().optimizer(Sgd.builder(Optimizer.trainable(m), 0.05).build()).listener(p).listener(capture).build()
                .fit(m, TestModels.source(TRAIN, 32, false), null, 1);
        String bar = bars[0];
        assertTrue(bar.matches("epoch 1/1 \\[={14}> {15}\\] 3/6 ETA \\d+:\\d\\d loss \\d\\.\\d{4} acc \\d\\.\\d{4} 1234 samples/s"), bar);
        assertEquals("1:01:05", ConsoleProgress.clock(3665));
        assertEquals("2:05", ConsoleProgress.clock(125));
    }
}
