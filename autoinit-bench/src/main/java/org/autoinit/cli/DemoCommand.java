package org.autoinit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

import org.autoinit.app.Demo;

/** {@code ./autoinit demo}: PyTorch default vs AutoInit on a deep plain network, offline, in about a minute. */
final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "train a deep plain MLP twice (PyTorch default init vs AutoInit) on the embedded data; moment traces and an HTML report";
    }

    static ArgParser parser() {
        Demo.Settings d = Demo.Settings.defaults();
        return new ArgParser("demo", "Trains the same deep network (784 -> 128 x 24 -> 10, ReLU, no normalization) twice on the embedded"
                + " Fashion-MNIST subset,\nonce with PyTorch's default initialization and once with AutoInit; prints the moment traces at"
                + " initialization and the\naccuracies side by side, and writes an HTML report with the plots. Offline and deterministic.")
                .option("epochs", "N", "training epochs for each network (default " + d.epochs() + ")")
                .option("lr", "X", String.format(Locale.ROOT, "SGD learning rate, momentum 0.9, cosine schedule (default %s)", d.lr()))
                .option("seed", "S", "seed of the inits, data order and trace (default " + d.seed() + ")")
                .option("out", "DIR", "report folder (default " + d.out() + ")")
                .flag("quick", "a seconds-long run: 1 epoch on 1,000 images (for smoke tests; not a result)");
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
        Demo.Settings d = Demo.Settings.defaults();
        Demo.Settings s = new Demo.Settings(a.getInt("epochs", d.epochs()), 0, 0, a.getLong("seed", d.seed()), a.getDouble("lr", d.lr()),
                Path.of(a.getString("out", d.out().toString())));
        if (s.epochs() < 1 || !(s.lr() > 0)) {
            throw new UsageException("demo: need --epochs >= 1 and --lr > 0");
        }
        if (a.flag("quick")) {
            s = new Demo.Settings(a.has("epochs") ? s.epochs() : 1, 1000, 500, s.seed(), s.lr(), s.out());
        }
        long t0 = System.nanoTime();
        try {
            Demo.run(s, out);
        } catch (IOException e) {
            System.err.println("demo: " + e);
            return 1;
        }
        out.printf(Locale.ROOT, "demo finished in %.0f s%n", (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
