package org.autoinit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.autoinit.app.DataChoice;
import org.autoinit.experiments.Context;
import org.autoinit.experiments.Experiment;
import org.autoinit.experiments.ExperimentRunner;

/**
 * {@code ./autoinit experiment NAME}: runs one of the paper's claims on real data and writes a Markdown report,
 * a CSV of every run and an SVG plot into {@code results/NAME/}.
 */
final class ExperimentCommand implements Command {
    @Override
    public String name() {
        return "experiment";
    }

    @Override
    public String summary() {
        return "run an experiment (" + ExperimentRunner.all().stream().map(Experiment::name).collect(Collectors.joining(", "))
                + "); writes a report, CSV and SVG";
    }

    static ArgParser parser(String shownName) {
        StringBuilder list = new StringBuilder("Runs one experiment and writes <NAME>.md (report), <NAME>.csv (every run) and <NAME>.svg into --out.\n"
                + "usage: ./autoinit experiment NAME [options]   where NAME is one of:\n");
        for (Experiment e : ExperimentRunner.all()) {
            list.append("  ").append(Main.pad(e.name(), 12)).append(e.title()).append('\n');
        }
        list.append("Data: Fashion-MNIST from --data (default $AUTOINIT_DATA or ../shared/datasets) when present, else the embedded"
                + " 6,000/1,000 subset (the report says which).");
        return new ArgParser("experiment " + shownName, list.toString())
                .option("data", "DIR", "data folder holding fashion-mnist/ (or the IDX files themselves)")
                .option("dataset", "NAME", "use this dataset instead (e.g. fashion-mnist-small)")
                .flag("quick", "smoke-test setting: tiny subset, one seed, fewer configurations (well under 2 minutes)")
                .option("seeds", "N", "seeds 0..N-1 per configuration (default 2; 1 with --quick)")
                .option("out", "DIR", "results folder (default results/NAME)");
    }

    @Override
    public int run(String[] args) {
        PrintStream out = System.out;
        if (args.length == 0 || args[0].startsWith("-")) {
            ArgParser parser = parser("NAME");
            Args a = parser.parse(args);
            if (a.help()) {
                out.print(parser.usage());
                return 0;
            }
            throw new UsageException("experiment: name the experiment first, e.g. ./autoinit experiment activations; one of "
                    + ExperimentRunner.all().stream().map(Experiment::name).collect(Collectors.joining(", ")));
        }
        Optional<Experiment> found = ExperimentRunner.find(args[0]);
        if (found.isEmpty()) {
            throw new UsageException("experiment: unknown experiment '" + args[0] + "'; one of "
                    + ExperimentRunner.all().stream().map(Experiment::name).collect(Collectors.joining(", ")));
        }
        Experiment e = found.get();
        ArgParser parser = parser(e.name());
        Args a = parser.parse(Arrays.copyOfRange(args, 1, args.length));
        if (a.help()) {
            out.print(parser.usage());
            return 0;
        }
        boolean quick = a.flag("quick");
        int nSeeds = a.getInt("seeds", quick ? 1 : 2);
        if (nSeeds < 1) {
            throw new UsageException("experiment: --seeds must be >= 1, got " + nSeeds);
        }
        List<Long> seeds = new ArrayList<>();
        for (long s = 0; s < nSeeds; s++) seeds.add(s);
        Path outDir = Path.of(a.getString("out", Path.of("results", e.name()).toString()));
        try {
            DataChoice data = null;
            if (e.needsData()) {
                Path dir = a.has("data") ? Path.of(a.getString("data")) : null;
                data = a.has("dataset") ? DataChoice.load(a.getString("dataset"), dir) : DataChoice.fashionMnistOrEmbedded(dir);
                out.println("data: " + data.description());
                if (data.embedded() && !a.has("dataset")) {
                    out.println("note: full Fashion-MNIST not found under " + (dir != null ? dir : DataChoice.defaultDataDir())
                            + "; using the embedded subset (pass --data DIR for the full set)");
                }
            }
            out.println("experiment " + e.name() + (quick ? " (quick)" : "") + ": " + e.title() + "; seeds " + seeds);
            String command = "./autoinit experiment " + String.join(" ", args);
            ExperimentRunner.Written w = ExperimentRunner.run(e, new Context(data, quick, seeds, out), outDir, command);
            out.printf(java.util.Locale.ROOT, "%nexperiment %s finished in %.0f s; wrote%n  %s%n  %s%n  %s%n", e.name(), w.seconds(), w.report(), w.csv(),
                    w.svg());
            for (Path p : w.extras()) out.println("  " + p);
            return 0;
        } catch (IOException ex) {
            System.err.println("experiment: " + ex);
            return 1;
        }
    }
}
