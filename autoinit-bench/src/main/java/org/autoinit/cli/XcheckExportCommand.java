package org.autoinit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.autoinit.nn.Model;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.DType;
import org.autoinit.xcheck.PeerModels;
import org.autoinit.xcheck.TorchName;
import org.autoinit.xcheck.XcheckExport;

/**
 * {@code ./autoinit xcheck-export --model NAME --out DIR [--seed S] [--batch N] [--dtype f32|f64]}: one
 * training-mode step of a zoo model written for {@code scripts/torch_xcheck.py} (see {@link XcheckExport}).
 */
final class XcheckExportCommand implements Command {
    @Override
    public String name() {
        return "xcheck-export";
    }

    @Override
    public String summary() {
        return "write one training step of a zoo model (weights, batch, logits, loss, gradients) for the PyTorch cross-check";
    }

    @Override
    public int run(String[] args) {
        ArgParser parser = new ArgParser(name(), summary() + ". Then run /usr/bin/python3 scripts/torch_xcheck.py DIR,"
                + " or scripts/xcheck.sh for every model.")
                .required("model", "NAME", "zoo model with a PyTorch peer twin: " + String.join(", ", PeerModels.names()))
                .required("out", "DIR", "directory to write (created if missing; existing files are replaced)")
                .option("seed", "S", "seed of the initialization and the batch (default 0)")
                .option("batch", "N", "batch size (default the peer's: mlp 128, cnn 64, others 32)")
                .option("dtype", "f32|f64", "precision of the model and the files (default f32)");
        Args a = parser.parse(args);
        PrintStream out = System.out;
        if (a.help()) {
            out.print(parser.usage());
            return 0;
        }
        String model = a.getString("model");
        String peer;
        try {
            peer = PeerModels.peerKey(model);
        } catch (IllegalArgumentException e) {
            throw new UsageException(name() + ": " + e.getMessage().replaceFirst("^xcheck: ", ""));
        }
        int batch = a.getInt("batch", PeerModels.peerBatch(model));
        if (batch <= 0) {
            throw new UsageException(name() + ": --batch must be positive, got " + batch);
        }
        DType dtype = switch (a.getString("dtype", "f32").toLowerCase(Locale.ROOT)) {
            case "f32", "float32" -> DType.FLOAT32;
            case "f64", "float64" -> DType.FLOAT64;
            default -> throw new UsageException(name() + ": --dtype must be f32 or f64, got '" + a.getString("dtype") + "'");
        };
        long seed = a.getLong("seed", 0);
        Path dir = Path.of(a.getString("out"));

        // Built without an init scheme: XcheckExport initializes from the seed itself.
        Model m = Zoo.build(model, ZooOptions.builder().init(null).build());
        List<TorchName> names = PeerModels.mapping(model, m);
        try {
            XcheckExport.Result r = XcheckExport.run(m, model, peer, names, dir, seed, batch, dtype);
            out.printf(Locale.ROOT, "xcheck-export: %s (peer %s), batch %d, %s, seed %d: loss %.7f, %d gradients, %d buffers -> %s%n",
                    model, peer, batch, dtype == DType.FLOAT32 ? "F32" : "F64", seed, r.loss(), r.parameters(), r.buffers(), dir);
            return 0;
        } catch (IOException e) {
            System.err.println("autoinit xcheck-export: cannot write " + dir + ": " + e.getMessage());
            return 1;
        }
    }
}
