package org.autoinit.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.autoinit.nn.io.Json;
import org.autoinit.nn.io.Safetensors;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, evaluate and resume end to end on a small slice of the embedded data. */
class TrainCommandTest {
    /** A small, fast configuration (dropout on, so the resume test covers the dropout stream too). */
    private static List<String> small(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--model", "mlp", "--width", "32", "--dropout", "0.2", "--train-limit", "600",
                "--test-limit", "200", "--batch", "50", "--warmup", "5", "--out", out.toString()));
        a.addAll(List.of(extra));
        return a;
    }

    private static CliTestSupport.Result run(List<String> args) {
        return CliTestSupport.capture(() -> Main.run(args.toArray(new String[0])));
    }

    static double accuracy(String out) {
        Matcher m = Pattern.compile("(?m)^accuracy ([0-9.]+) \\((\\d+) examples\\)").matcher(out);
        assertTrue(m.find(), "no accuracy line in:\n" + out);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainWritesEveryFileAndPrintsTheEvaluation(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("run");
        var r = run(small(out, "--epochs", "2"));
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"config.json", "history.csv", "history.json", "model.safetensors", "evaluation.txt", "checkpoint/manifest.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f + " missing");
        }
        List<String> csv = Files.readAllLines(out.resolve("history.csv"));
        assertEquals(3, csv.size(), "header + 2 epochs: " + csv);
        assertTrue(csv.get(0).startsWith("epoch,step,train_loss,train_accuracy,val_loss,val_accuracy"), csv.get(0));
        assertEquals(2, ((List<?>) Json.parse(Files.readString(out.resolve("history.json")))).size());
        double acc = accuracy(r.out());
        assertTrue(acc >= 0 && acc <= 1, "accuracy " + acc);
        assertTrue(r.out().contains("(200 examples)"), r.out());
        assertTrue(r.out().contains("Ankle boot") && r.out().contains("confusion matrix"), "class names and confusion matrix:\n" + r.out());
        assertEquals(acc, Double.parseDouble(csv.get(2).split(",")[5]), 1e-4, "the last epoch's val_accuracy is the final evaluation's");
        assertEquals(acc, accuracy(Files.readString(out.resolve("evaluation.txt"))));
        Map<?, ?> cfg = (Map<?, ?>) Json.parse(Files.readString(out.resolve("config.json")));
        assertEquals("autoinit", cfg.get("init"));
        assertEquals("fashion-mnist-small", cfg.get("dataset"));

        var ev = CliTestSupport.capture(() -> Main.run("evaluate", "--checkpoint", out.toString()));
        assertEquals(0, ev.code(), ev.err());
        assertEquals(acc, accuracy(ev.out()), "evaluate re-derives the model and data from config.json");
        var evCk = CliTestSupport.capture(() -> Main.run("evaluate", "--checkpoint", out.resolve("checkpoint").toString()));
        assertEquals(acc, accuracy(evCk.out()), "the last checkpoint holds the final weights");
    }

    @Test
    void resumingAnInterruptedRunGivesTheUninterruptedWeightsExactly(@TempDir Path tmp) throws IOException {
        Path full = tmp.resolve("full"), split = tmp.resolve("split");
        assertEquals(0, run(small(full, "--epochs", "3")).code());
        var first = run(small(split, "--epochs", "3", "--stop-after", "1"));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("stopped: --stop-after 1"), first.out());
        assertEquals(2, Files.readAllLines(split.resolve("history.csv")).size());
        var resumed = CliTestSupport.capture(() -> Main.run("train", "--resume", split.toString()));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("resuming at epoch 2/3"), resumed.out());

        Map<String, Tensor> a = Safetensors.read(full.resolve("model.safetensors")).tensors();
        Map<String, Tensor> b = Safetensors.read(split.resolve("model.safetensors")).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).floatData(), b.get(k).floatData(), k + " differs after resume");
        }
        List<String> ha = Files.readAllLines(full.resolve("history.csv")), hb = Files.readAllLines(split.resolve("history.csv"));
        assertEquals(ha.size(), hb.size());
        for (int i = 1; i < ha.size(); i++) {
            // every column but the last (seconds) is identical
            assertEquals(ha.get(i).substring(0, ha.get(i).lastIndexOf(',')), hb.get(i).substring(0, hb.get(i).lastIndexOf(',')), "epoch " + i);
        }
    }

    @Test
    void badArgumentsAreUsageErrors(@TempDir Path tmp) {
        var r = CliTestSupport.capture(() -> Main.run("train", "--model", "resnet7", "--out", tmp.toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown model 'resnet7'"), r.err());
        r = CliTestSupport.capture(() -> Main.run("train", "--init", "magic", "--out", tmp.toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown init 'magic'"), r.err());
        r = CliTestSupport.capture(() -> Main.run("train", "--optimizer", "rmsprop", "--out", tmp.toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("optimizer must be sgd, adam or adamw"), r.err());
        r = CliTestSupport.capture(() -> Main.run("evaluate", "--checkpoint", tmp.resolve("nothing").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("does not exist"), r.err());
        r = CliTestSupport.capture(() -> Main.run("train", "--help"));
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("usage: ./autoinit train") && r.out().contains("--resume DIR"), r.out());
    }
}
