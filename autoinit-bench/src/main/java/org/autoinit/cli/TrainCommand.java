package org.autoinit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.autoinit.app.DataChoice;
import org.autoinit.app.Inits;
import org.autoinit.app.LoaderBatchSource;
import org.autoinit.app.ModelSpec;
import org.autoinit.app.RunConfig;
import org.autoinit.app.TrainSettings;
import org.autoinit.init.InitReport;
import org.autoinit.nn.Model;
import org.autoinit.nn.io.AtomicFiles;
import org.autoinit.nn.io.Checkpoints;
import org.autoinit.nn.optim.Optimizer;
import org.autoinit.nn.train.CheckpointListener;
import org.autoinit.nn.train.ConsoleProgress;
import org.autoinit.nn.train.EpochMetrics;
import org.autoinit.nn.train.EvaluationStats;
import org.autoinit.nn.train.Trainer;
import org.autoinit.nn.train.TrainingDivergedException;
import org.autoinit.nn.train.TrainingListener;
import org.autoinit.nn.train.TrainingRun;

/**
 * {@code ./autoinit train}: trains a zoo model on a dataset with a named initialization, writing into the run
 * folder {@code config.json}, a training checkpoint ({@code checkpoint/}, every epoch), {@code history.csv} and
 * {@code history.json} (every epoch), the final weights {@code model.safetensors} and {@code evaluation.txt}.
 * {@code --resume DIR} continues a run exactly where its last checkpoint left it.
 */
final class TrainCommand implements Command {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a zoo model on a dataset with a chosen init; checkpoints, history, final evaluation";
    }

    static ArgParser parser() {
        ArgParser p = new ArgParser("train", "Trains a zoo model; writes config.json, checkpoint/, history.csv|json, model.safetensors and "
                + "evaluation.txt into --out.\nWith --resume DIR every setting comes from DIR/config.json (options given override it, "
                + "e.g. --epochs to train longer).");
        CliOptions.modelOptions(p, "default mlp");
        CliOptions.dataOptions(p, "default fashion-mnist-small");
        return p.option("init", "NAME", "initialization (default autoinit): " + String.join(", ", org.autoinit.app.Inits.names()))
                .option("optimizer", "NAME", "sgd (momentum 0.9), adam or adamw (default sgd)")
                .option("lr", "X", "peak learning rate (default 0.01 for sgd, 0.001 for adam/adamw)")
                .option("momentum", "M", "SGD momentum (default 0.9)")
                .option("weight-decay", "W", "weight decay (default 0; adamw: decoupled)")
                .option("schedule", "NAME", "cosine, constant or step (default cosine)")
                .option("warmup", "N", "linear warm-up steps, capped at a tenth of the run (default 100)")
                .option("epochs", "N", "epochs (default 5)")
                .option("batch", "N", "batch size (default 128)")
                .option("clip", "X", "clip the global gradient norm to X (default off)")
                .option("seed", "S", "seed of the init, data order and dropout (default 0)")
                .option("stop-after", "N", "stop after N epochs in total, keeping the checkpoint (continue later with --resume)")
                .option("out", "DIR", "run folder (default runs/<model>-<dataset>-<init>-s<seed>; with --resume, DIR)")
                .option("resume", "DIR", "continue the run in DIR (a run folder or its checkpoint/ folder)");
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
        try {
            return train(a, out);
        } catch (IOException e) {
            System.err.println("train: " + e);
            return 1;
        } catch (UncheckedIOException e) {
            System.err.println("train: " + e.getCause());
            return 1;
        }
    }

    private static int train(Args a, PrintStream out) throws IOException {
        Path resumeDir = a.has("resume") ? resumeRunDir(Path.of(a.getString("resume"))) : null;
        RunConfig base = resumeDir != null ? RunConfig.read(resumeDir) : null;
        RunConfig cfg;
        try {
            cfg = CliOptions.runConfig(a, base);
        } catch (IllegalArgumentException e) {
            throw new UsageException("train: " + e.getMessage());
        }
        Path outDir = a.has("out") ? Path.of(a.getString("out")) : resumeDir != null ? resumeDir
                : Path.of("runs", String.format(Locale.ROOT, "%s-%s-%s-s%d", cfg.model().model(), cfg.dataset() == null ? "data" : cfg.dataset(),
                        cfg.init(), cfg.seed()));
        DataChoice data = cfg.loadData();
        out.println("data      " + data.description());
        Model model = cfg.model().build(data.sampleShape(), data.numClasses());
        out.printf(Locale.ROOT, "model     %s, %,d parameters%n", cfg.model(), model.parameterCount(true));
        long t0 = System.nanoTime();
        InitReport report = Inits.apply(cfg.init(), model, cfg.seed(), data.train());
        out.printf(Locale.ROOT, "init      %s (seed %d) in %.2fs%s%n", cfg.init(), cfg.seed(), (System.nanoTime() - t0) / 1e9,
                report == null ? "" : String.format(Locale.ROOT, ": %d weighted layers scaled to output variance %s", report.weightedEntries().size(),
                        report.signalVariance()));
        out.println("training  " + cfg.training());
        out.println("output    " + outDir);
        cfg.write(outDir);

        Optimizer optimizer = cfg.training().newOptimizer(model);
        Path checkpoint = outDir.resolve("checkpoint");
        try (LoaderBatchSource train = LoaderBatchSource.training(data.train(), cfg.training().batch());
             LoaderBatchSource test = LoaderBatchSource.inOrder(data.test(), 500)) {
            Trainer trainer = Trainer.builder().optimizer(optimizer).schedule(cfg.training().newSchedule(train.batchesPerEpoch()))
                    .clipNorm(cfg.training().clipNorm()).seed(cfg.seed()).listener(new ConsoleProgress())
                    .listener(new CheckpointListener(checkpoint)).listener(historyWriter(outDir))
                    .listener(stopAfter(a.getInt("stop-after", Integer.MAX_VALUE))).build();
            try {
                if (resumeDir != null) {
                    Path from = resumeDir.resolve("checkpoint");
                    trainer.resume(from, model, train, test, cfg.training().epochs());
                } else {
                    trainer.fit(model, train, test, cfg.training().epochs());
                }
            } catch (TrainingDivergedException e) {
                System.err.println("train: " + e.getMessage());
                System.err.println("train: lower --lr, add --clip, or try another --init; the last good checkpoint is in " + checkpoint);
                return 1;
            }
            Checkpoints.saveWeights(model, outDir.resolve("model.safetensors"));
            EvaluationStats stats = Trainer.evaluate(model, test, data.numClasses());
            String table = stats.render(data.test().classNames().toArray(new String[0]));
            AtomicFiles.writeString(outDir.resolve("evaluation.txt"), "test set: " + data.description() + "\n" + table);
            out.println();
            out.println("test set evaluation:");
            out.print(table);
            out.println("wrote " + outDir.resolve("model.safetensors") + ", history.csv, history.json, evaluation.txt, checkpoint/");
        }
        return 0;
    }

    /** A run folder from a --resume argument: the folder itself, or the parent of a checkpoint folder. */
    private static Path resumeRunDir(Path p) {
        if (Files.isRegularFile(p.resolve(RunConfig.FILE))) {
            return p;
        }
        if (Files.isRegularFile(p.resolve(Checkpoints.MANIFEST)) && p.getParent() != null && Files.isRegularFile(p.getParent().resolve(RunConfig.FILE))) {
            return p.getParent();
        }
        throw new UsageException("train: --resume " + p + " is not a run folder (no " + RunConfig.FILE + ")");
    }

    /** Requests a stop once {@code epochs} epochs are complete (the checkpoint listener then saves). */
    static TrainingListener stopAfter(int epochs) {
        return new TrainingListener() {
            private TrainingRun run;

            @Override
            public void onTrainStart(TrainingRun r) {
                run = r;
            }

            @Override
            public void onEpochEnd(int epoch, EpochMetrics metrics) {
                if (epoch + 1 >= epochs && epoch + 1 < run.epochs()) {
                    run.requestStop("--stop-after " + epochs + "; continue with --resume");
                }
            }
        };
    }

    /** Rewrites history.csv and history.json after every epoch, so an interrupted run keeps its curve. */
    static TrainingListener historyWriter(Path dir) {
        return new TrainingListener() {
            private TrainingRun run;

            @Override
            public void onTrainStart(TrainingRun r) {
                run = r;
            }

            @Override
            public void onEpochEnd(int epoch, EpochMetrics metrics) {
                try {
                    run.history().writeCsv(dir.resolve("history.csv"));
                    run.history().writeJson(dir.resolve("history.json"));
                } catch (IOException e) {
                    throw new UncheckedIOException("train: could not write the history into " + dir, e);
                }
            }
        };
    }
}
