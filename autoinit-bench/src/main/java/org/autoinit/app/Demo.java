package org.autoinit.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.autoinit.init.AutoInit;
import org.autoinit.init.InitReport;
import org.autoinit.init.trace.Trace;
import org.autoinit.nn.Model;
import org.autoinit.nn.train.EpochMetrics;
import org.autoinit.nn.train.EvaluationStats;
import org.autoinit.nn.train.History;
import org.autoinit.nn.train.Trainer;
import org.autoinit.nn.train.TrainingDivergedException;
import org.autoinit.nn.train.TrainingListener;
import org.autoinit.tensor.Tensor;

/**
 * The README's main command: the same deep plain network (784 -> 128 x 24 -> 10, ReLU, no normalization) on
 * the embedded Fashion-MNIST subset, initialized once with PyTorch's default and once with AutoInit. Prints
 * both moment traces at initialization (AutoInit's prediction and the measured variance of every weighted
 * layer's output, and of the gradient reaching it), trains both with the same settings, prints the
 * accuracies side by side and writes an HTML report with the plots.
 */
public final class Demo {
    /** The two initializations compared, in display order. */
    static final List<String> INITS = List.of("pytorch", "autoinit");
    static final String[] LABELS = {"PyTorch default", "AutoInit"};

    /**
     * @param trainLimit training samples used (0 = all 6,000)
     * @param testLimit  test samples used (0 = all 1,000)
     */
    public record Settings(int epochs, int trainLimit, int testLimit, long seed, double lr, Path out) {
        /** The README setting: 20 epochs on the whole embedded subset, SGD 0.005, seed 0, into results/demo. */
        public static Settings defaults() {
            return new Settings(20, 0, 0, 0, 0.005, Path.of("results", "demo"));
        }

        /** A seconds-long run for smoke tests: 1 epoch on 1,000 images. */
        public Settings quick() {
            return new Settings(1, 1000, 500, seed, lr, out);
        }
    }

    /** What the demo produced: one entry per init in {@link #INITS} order. */
    public record Result(List<Double> accuracies, List<Trace> traces, List<History> histories, Path report) {}

    private Demo() {}

    public static Result run(Settings s, PrintStream out) throws IOException {
        DataChoice data = DataChoice.load(DataChoice.EMBEDDED, null).limit(s.trainLimit(), s.testLimit());
        ModelSpec spec = new ModelSpec("deep-mlp", "relu", 24, 128, null, false, null);
        TrainSettings ts = new TrainSettings("sgd", s.lr(), 0.9, 0, "cosine", 50, s.epochs(), 128, 0);
        out.println("AutoInit demo: the same deep plain network, initialized two ways");
        out.println("  data      " + data.description());
        out.println("  model     784 -> 128 x 24 -> 10, ReLU, no normalization (zoo deep-mlp)");
        out.println("  training  " + ts + ", seed " + s.seed());
        Tensor probe = Inits.sample(data.train(), 512);

        List<Model> models = new ArrayList<>();
        List<Trace> traces = new ArrayList<>();
        for (int i = 0; i < INITS.size(); i++) {
            Model m = spec.build(data.sampleShape(), data.numClasses());
            InitReport report = Inits.apply(INITS.get(i), m, s.seed(), data.train());
            if (report == null) {
                report = AutoInit.builder().seed(s.seed()).build().predict(m); // what moment propagation predicts for these weights
            }
            traces.add(Trace.measure(LABELS[i] + " init: deep ReLU MLP 24 x 128", m, report, new Tensor[] {probe}, Trace.randomProjection(s.seed()), s.seed()));
            models.add(m);
        }
        out.println();
        out.print(momentTable(traces));

        List<Double> acc = new ArrayList<>();
        List<History> histories = new ArrayList<>();
        List<EvaluationStats> stats = new ArrayList<>();
        for (int i = 0; i < INITS.size(); i++) {
            out.printf(Locale.ROOT, "%ntraining with the %s initialization%n", LABELS[i]);
            try (LoaderBatchSource train = LoaderBatchSource.training(data.train(), ts.batch());
                 LoaderBatchSource test = LoaderBatchSource.inOrder(data.test(), 500)) {
                Model m = models.get(i);
                Trainer t = Trainer.builder().optimizer(ts.newOptimizer(m)).schedule(ts.newSchedule(train.batchesPerEpoch())).seed(s.seed())
                        .listener(epochPrinter(out)).build();
                History h;
                try {
                    h = t.fit(m, train, test, ts.epochs());
                } catch (TrainingDivergedException e) {
                    out.println("  diverged: " + e.getMessage());
                    h = new History();
                }
                EvaluationStats st = Trainer.evaluate(m, test, data.numClasses());
                histories.add(h);
                stats.add(st);
                acc.add(st.accuracy());
            }
        }
        out.println();
        out.printf(Locale.ROOT, "%-10s %16s %10s%n", "test set", LABELS[0], LABELS[1]);
        out.printf(Locale.ROOT, "%-10s %16.4f %10.4f%n", "accuracy", stats.get(0).accuracy(), stats.get(1).accuracy());
        out.printf(Locale.ROOT, "%-10s %16.4f %10.4f%n", "macro F1", stats.get(0).macroF1(), stats.get(1).macroF1());
        Path report = DemoReport.write(s.out(), data, ts, traces, histories, stats, LABELS);
        out.println();
        out.println("report: " + report.toAbsolutePath().normalize() + " (open it in a browser; plots also as .svg beside it)");
        return new Result(acc, traces, histories, report);
    }

    /** Weighted layers only: predicted and measured output variance, and the gradient variance, for both inits. */
    static String momentTable(List<Trace> traces) {
        StringBuilder sb = new StringBuilder();
        sb.append("moment trace at initialization (512 training images; variance over batch and units of each weighted layer's output,\n"
                + "predicted by moment propagation and measured; gradient variance: backward pass of a random unit-variance projection)\n");
        sb.append(String.format(Locale.ROOT, "%-6s | %-35s | %-35s%n", "", "PyTorch default", "AutoInit"));
        sb.append(String.format(Locale.ROOT, "%-6s | %10s %10s %13s | %10s %10s %13s%n", "layer", "predicted", "measured", "gradient var", "predicted",
                "measured", "gradient var"));
        List<Trace.Row> a = weighted(traces.get(0)), b = weighted(traces.get(1));
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Trace.Row x = a.get(i), y = b.get(i);
            sb.append(String.format(Locale.ROOT, "%-6s | %10s %10s %13s | %10s %10s %13s%n", x.node(), g(x.predictedVariance()), g(x.measuredVariance()),
                    g(x.gradVariance()), g(y.predictedVariance()), g(y.measuredVariance()), g(y.gradVariance())));
        }
        return sb.toString();
    }

    static List<Trace.Row> weighted(Trace t) {
        return t.rows().stream().filter(Trace.Row::weighted).toList();
    }

    static String g(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3g", v);
    }

    private static TrainingListener epochPrinter(PrintStream out) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(int epoch, EpochMetrics m) {
                out.printf(Locale.ROOT, "  epoch %2d  train loss %.4f  acc %.4f  test acc %.4f  (%.1fs)%n", epoch + 1, m.trainLoss(), m.trainAccuracy(),
                        m.valAccuracy(), m.seconds());
            }
        };
    }
}
