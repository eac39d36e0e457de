package org.autoinit.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.autoinit.nn.io.AtomicFiles;
import org.autoinit.tensor.blas.BlasInfo;

/** The experiment registry, and the writer of an experiment's report, CSV and plot into its results folder. */
public final class ExperimentRunner {
    private static final List<Experiment> ALL = List.of(new ActivationsExperiment(), new DropoutExperiment(), new ResidualExperiment(),
            new ConvExperiment(), new TransformerExperiment(), new OverheadExperiment());

    private ExperimentRunner() {}

    public static List<Experiment> all() {
        return ALL;
    }

    public static Optional<Experiment> find(String name) {
        return ALL.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    /** The files written for one experiment. */
    public record Written(Path report, Path csv, Path svg, List<Path> extras, double seconds) {}

    /**
     * Runs {@code e} and writes {@code <name>.md} (setup, tables, notes), {@code <name>.csv} (one row per run),
     * {@code <name>.svg} and the experiment's extra files into {@code out}.
     */
    public static Written run(Experiment e, Context ctx, Path out, String command) throws IOException {
        long t0 = System.nanoTime();
        ExperimentResult r = e.run(ctx);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.createDirectories(out);
        String n = e.name();
        Path md = out.resolve(n + ".md"), csv = out.resolve(n + ".csv"), svg = out.resolve(n + ".svg");
        AtomicFiles.writeString(csv, r.runs().csv());
        AtomicFiles.writeString(svg, r.svg());
        List<Path> extras = new ArrayList<>();
        for (Map.Entry<String, String> x : r.extras().entrySet()) {
            Path p = out.resolve(x.getKey());
            AtomicFiles.writeString(p, x.getValue());
            extras.add(p);
        }
        AtomicFiles.writeString(md, report(e, ctx, r, command, seconds));
        return new Written(md, csv, svg, extras, seconds);
    }

    static String report(Experiment e, Context ctx, ExperimentResult r, String command, double seconds) {
        StringBuilder sb = new StringBuilder("# ").append(e.title()).append("\n\n");
        sb.append("- command: `").append(command).append("`").append(ctx.quick() ? " (quick smoke-test setting: tiny subset, not a result)" : "")
                .append('\n');
        sb.append("- date: ").append(LocalDate.now()).append(String.format(Locale.ROOT, "; wall time %.0f s%n", seconds));
        sb.append("- machine: ").append(machine()).append('\n');
        for (String s : r.settings()) sb.append("- ").append(s).append('\n');
        sb.append("\n## Result\n\n").append(r.summary().markdown()).append('\n');
        sb.append("![").append(e.name()).append("](").append(e.name()).append(".svg)\n\n");
        r.sections().forEach((h, body) -> sb.append("## ").append(h).append("\n\n").append(body).append('\n'));
        sb.append("Per-run numbers: `").append(e.name()).append(".csv`").append(r.extras().isEmpty() ? "" : "; also " + String.join(", ",
                r.extras().keySet().stream().map(x -> "`" + x + "`").toList())).append(".\n");
        return sb.toString();
    }

    /** CPU model, cores, Java and BLAS backend. */
    public static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: keep "unknown CPU"
        }
        return String.format(Locale.ROOT, "%s, %d cores, Java %s, BLAS %s (OPENBLAS_CORETYPE %s)", cpu, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), BlasInfo.backendName(), BlasInfo.openblasCoreType());
    }
}
