package org.autoinit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.autoinit.app.DataChoice;
import org.autoinit.app.LoaderBatchSource;
import org.autoinit.app.ModelSpec;
import org.autoinit.app.RunConfig;
import org.autoinit.nn.Model;
import org.autoinit.nn.io.Checkpoints;
import org.autoinit.nn.io.Json;
import org.autoinit.nn.train.EvaluationStats;
import org.autoinit.nn.train.Trainer;

/**
 * {@code ./autoinit evaluate}: accuracy, per-class precision/recall/F1 and the confusion matrix of saved weights
 * on a test set. The weights come from a run folder ({@code model.safetensors}, else its checkpoint), a
 * training-checkpoint folder, or a safetensors file; model and data settings from the run's {@code config.json}
 * when there is one, overridden by the options given.
 */
final class EvaluateCommand implements Command {
    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    public String summary() {
        return "evaluate saved weights on a test set: accuracy, per-class P/R/F1, confusion matrix";
    }

    static ArgParser parser() {
        ArgParser p = new ArgParser("evaluate", "Evaluates saved weights. --checkpoint is a run folder written by ./autoinit train, its"
                + " checkpoint/ folder, or a .safetensors file;\nmodel and data settings come from the run's config.json when present"
                + " (options given override it); a bare weights file needs --model (and the options it was built with).")
                .required("checkpoint", "FILE|DIR", "weights to evaluate");
        CliOptions.modelOptions(p, "default: from config.json");
        CliOptions.dataOptions(p, "default: from config.json, else fashion-mnist-small");
        return p.option("batch", "N", "evaluation batch size (default 500)");
    }

    @Override
    public int run(String[] args) {
        ArgParser parser = parser();
        Args a = parser.parse(args);
        PrintStream out = System.out;
        if (a.help()) {
            out.print(parser.usage());
            return 0;
        }
        Path given = Path.of(a.getString("checkpoint"));
        try {
            Path weights = weightsFile(given);
            RunConfig base = configNear(given);
            if (base == null && !a.has("model")) {
                throw new UsageException("evaluate: " + given + " has no config.json beside it; say which model the weights belong to with --model");
            }
            ModelSpec spec;
            try {
                spec = CliOptions.modelSpec(a, base == null ? null : base.model());
            } catch (IllegalArgumentException e) {
                throw new UsageException("evaluate: " + e.getMessage());
            }
            String[] d = CliOptions.data(a, base);
            DataChoice data = DataChoice.load(d[0], d[1] == null ? null : Path.of(d[1]))
                    .limit(0, a.getInt("test-limit", base == null ? 0 : base.testLimit()));
            Model model = spec.build(data.sampleShape(), data.numClasses());
            Checkpoints.loadWeights(model, weights);
            out.println("weights   " + weights);
            out.printf(Locale.ROOT, "model     %s, %,d parameters%n", spec, model.parameterCount(true));
            out.println("data      " + data.description());
            try (LoaderBatchSource test = LoaderBatchSource.inOrder(data.test(), a.getInt("batch", 500))) {
                EvaluationStats stats = Trainer.evaluate(model, test, data.numClasses());
                out.print(stats.render(data.test().classNames().toArray(new String[0])));
            }
            return 0;
        } catch (IOException e) {
            System.err.println("evaluate: " + e);
            return 1;
        } catch (IllegalArgumentException e) {
            if (e instanceof UsageException) {
                throw e;
            }
            System.err.println("evaluate: " + e.getMessage());
            return 1;
        }
    }

    /** The safetensors file holding the weights. */
    static Path weightsFile(Path p) throws IOException {
        if (Files.isRegularFile(p)) {
            return p;
        }
        if (!Files.isDirectory(p)) {
            throw new UsageException("evaluate: --checkpoint " + p + " does not exist");
        }
        if (Files.isRegularFile(p.resolve("model.safetensors"))) {
            return p.resolve("model.safetensors");
        }
        Path dir = Files.isRegularFile(p.resolve(Checkpoints.MANIFEST)) ? p : p.resolve("checkpoint");
        Path manifest = dir.resolve(Checkpoints.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new UsageException("evaluate: " + p + " holds neither model.safetensors nor a training checkpoint (" + Checkpoints.MANIFEST + ")");
        }
        if (!(Json.parse(Files.readString(manifest)) instanceof Map<?, ?> m) || !(m.get("weights") instanceof String w)) {
            throw new IllegalArgumentException("evaluate: " + manifest + " does not name a weights file");
        }
        return dir.resolve(w);
    }

    /** The run config of the run the weights belong to, or null. */
    static RunConfig configNear(Path p) throws IOException {
        Path dir = Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
        for (Path d : new Path[] {dir, dir.getParent()}) { // the run folder, or the run folder above checkpoint/
            if (d != null && Files.isRegularFile(d.resolve(RunConfig.FILE))) {
                return RunConfig.read(d);
            }
        }
        return null;
    }
}
