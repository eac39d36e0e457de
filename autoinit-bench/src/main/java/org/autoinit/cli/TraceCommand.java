package org.autoinit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.autoinit.init.InitReport;
import org.autoinit.init.baselines.InitMethod;
import org.autoinit.init.baselines.InitSchemes;
import org.autoinit.init.moments.ActivationMoments;
import org.autoinit.init.trace.Trace;
import org.autoinit.nn.Model;
import org.autoinit.nn.io.Json;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * {@code ./autoinit trace --model NAME [--init NAME] ...}: initializes a zoo model, runs one training-mode
 * forward pass of N(0, 1) inputs and one backward pass, and reports every node's measured output mean and
 * variance and gradient variance, beside AutoInit's predictions (for {@code --init autoinit}).
 */
final class TraceCommand implements Command {
    @Override
    public String name() {
        return "trace";
    }

    @Override
    public String summary() {
        return "per-layer predicted vs measured mean/variance (and gradient variance) of a zoo model after an init";
    }

    @Override
    public int run(String[] args) {
        ArgParser parser = new ArgParser(name(), summary() + ". Inputs are N(0, 1) of the model's input shape; the loss is a fixed random "
                + "projection of the output (unit-variance gradient at the output).")
                .required("model", "NAME", String.join(", ", Zoo.names()))
                .option("init", "NAME", String.join(", ", InitSchemes.names()) + " (default autoinit)")
                .option("baseline", "NAME", "also trace this init and draw its measured values beside (SVG/HTML)")
                .option("activation", "NAME", "activation of the model (default the model's own)")
                .flag("centred", "centred activations f(x) - E[f(z)], z ~ N(0, 1) (\"AutoInit++\"; needs --activation)")
                .option("depth", "N", "model depth option (see the zoo)")
                .option("width", "N", "model width option (see the zoo)")
                .option("dropout", "P", "dropout rate inside the model (default 0)")
                .option("normalization", "on|off", "normalization layers on or off (batch norm; vit: its LayerNorms); default the model's")
                .option("samples", "N", "batch size of the traced pass (default 256; 64 for conv nets and vit, 8 for resnet50)")
                .option("seed", "S", "seed of the init, the inputs and dropout (default 0)")
                .flag("json", "print JSON: {\"model\", \"init\", \"layers\": [{\"name\", \"type\", \"weighted\", \"predictedMean\", "
                        + "\"predictedVariance\", \"measuredMean\", \"measuredVariance\", \"gradVariance\"}]}")
                .option("svg", "FILE", "write a standalone SVG plot")
                .option("html", "FILE", "write an HTML page with the plot and a table");
        Args a = parser.parse(args);
        PrintStream out = System.out;
        if (a.help()) {
            out.print(parser.usage());
            return 0;
        }
        String modelName = a.getString("model");
        ZooOptions.Builder zb = ZooOptions.builder();
        if (a.has("activation")) {
            ActivationKind kind;
            try {
                kind = ActivationKind.fromId(a.getString("activation"));
            } catch (IllegalArgumentException e) {
                throw new UsageException(name() + ": " + e.getMessage());
            }
            zb.activation(kind);
            if (a.flag("centred")) {
                zb.activationShift(ActivationMoments.centringShift(kind, kind.defaultAlpha()));
            }
        } else if (a.flag("centred")) {
            throw new UsageException(name() + ": --centred needs --activation (the shift E[f(z)] depends on f)");
        }
        if (a.has("depth")) {
            zb.depth(positive(a, "depth"));
        }
        if (a.has("width")) {
            zb.width(positive(a, "width"));
        }
        double dropout = a.getDouble("dropout", 0);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new UsageException(name() + ": --dropout must be in [0, 1), got " + dropout);
        }
        zb.dropout(dropout);
        if (a.has("normalization")) {
            switch (a.getString("normalization")) {
                case "on" -> zb.normalization(true);
                case "off" -> zb.normalization(false);
                default -> throw new UsageException(name() + ": --normalization takes on or off, got '" + a.getString("normalization") + "'");
            }
        }
        long seed = a.getLong("seed", 0);
        int samples = a.has("samples") ? positive(a, "samples") : defaultSamples(modelName);
        if (samples < 2) {
            throw new UsageException(name() + ": --samples must be at least 2");
        }
        ZooOptions opts = zb.seed(seed).build();
        String initName = a.getString("init", "autoinit");
        Trace trace = traced(modelName, opts, method(initName), samples, seed);
        Trace baseline = a.has("baseline") ? traced(modelName, opts, method(a.getString("baseline")), samples, seed) : null;
        if (a.has("svg")) {
            write(a.getString("svg"), trace.toSvg(baseline));
        }
        if (a.has("html")) {
            write(a.getString("html"), trace.toHtml(baseline));
        }
        if (a.flag("json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", modelName);
            json.put("init", initName);
            List<Object> layers = new ArrayList<>();
            for (Trace.Row r : trace.rows()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("name", r.node());
                l.put("type", r.type());
                l.put("weighted", r.weighted());
                l.put("predictedMean", r.predictedMean());
                l.put("predictedVariance", r.predictedVariance());
                l.put("measuredMean", r.measuredMean());
                l.put("measuredVariance", r.measuredVariance());
                l.put("gradVariance", r.gradVariance());
                layers.add(l);
            }
            json.put("layers", layers);
            out.println(Json.write(json));
        } else {
            out.print(table(trace));
        }
        return 0;
    }

    private InitMethod method(String init) {
        try {
            return InitSchemes.byName(init);
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage());
        }
    }

    private Trace traced(String modelName, ZooOptions opts, InitMethod init, int samples, long seed) {
        Model m = build(name(), modelName, opts);
        Tensor[] data = Trace.gaussianInputs(m, samples, seed + 1);
        InitReport report = init.initialize(m, seed, init.needsData() ? data : new Tensor[0]);
        return Trace.measure(modelName + " / " + init.name(), m, report, data, Trace.randomProjection(seed + 2), seed + 3);
    }

    /** Builds a zoo model, turning the zoo's errors into usage errors of {@code command}. */
    static Model build(String command, String model, ZooOptions opts) {
        try {
            return Zoo.build(model, opts);
        } catch (IllegalArgumentException e) {
            throw new UsageException(command + ": " + e.getMessage());
        }
    }

    static int defaultSamples(String model) {
        return switch (model.toLowerCase(Locale.ROOT)) {
            case "mlp", "deep-mlp", "deep-resmlp" -> 256;
            case "resnet50" -> 8;
            default -> 64;
        };
    }

    private int positive(Args a, String opt) {
        int v = a.getInt(opt);
        if (v < 1) {
            throw new UsageException(name() + ": --" + opt + " must be positive, got " + v);
        }
        return v;
    }

    private static void write(String file, String text) {
        try {
            Path p = Path.of(file);
            Path dir = p.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("trace: cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String table(Trace t) {
        StringBuilder sb = new StringBuilder(t.title()).append('\n');
        sb.append(String.format(Locale.ROOT, "%-28s %-22s %1s %10s %10s %10s %10s %10s%n", "node", "type", "W", "pred mean", "meas mean", "pred var",
                "meas var", "grad var"));
        for (Trace.Row r : t.rows()) {
            sb.append(String.format(Locale.ROOT, "%-28s %-22s %1s %10s %10s %10s %10s %10s%n", r.node(), r.type(), r.weighted() ? "*" : "",
                    num(r.predictedMean()), num(r.measuredMean()), num(r.predictedVariance()), num(r.measuredVariance()), num(r.gradVariance())));
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }
}
