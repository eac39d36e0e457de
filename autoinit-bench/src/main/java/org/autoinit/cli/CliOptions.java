package org.autoinit.cli;

import org.autoinit.app.DataChoice;
import org.autoinit.app.Inits;
import org.autoinit.app.ModelSpec;
import org.autoinit.app.RunConfig;
import org.autoinit.app.TrainSettings;

/** Turns the options shared by train and evaluate into a {@link RunConfig}: given options, else a base config, else defaults. */
final class CliOptions {
    private CliOptions() {}

    /** Model options: --model --activation --depth --width --dropout --normalization --merge. */
    static ArgParser modelOptions(ArgParser p, String modelDefault) {
        return p.option("model", "NAME", "zoo model (" + modelDefault + "): mlp, cnn, allcnnc, resnet20, resnet56, resnet50, vit, deep-mlp, deep-resmlp")
                .option("activation", "NAME", "hidden activation (model default otherwise): relu, gelu, swish, selu, tanh, ...")
                .option("depth", "N", "hidden layers / blocks (model default otherwise)")
                .option("width", "N", "hidden width (model default otherwise)")
                .option("dropout", "P", "dropout rate (default none)")
                .option("normalization", "on|off", "normalization layers on or off: batch norm, or the transformer's LayerNorms (model default otherwise)")
                .option("merge", "NAME", "residual join: add or weighted-sum (default add)");
    }

    /** Data options: --dataset --data --train-limit --test-limit. */
    static ArgParser dataOptions(ArgParser p, String datasetDefault) {
        return p.option("dataset", "NAME", "dataset (" + datasetDefault + "): fashion-mnist-small (embedded), fashion-mnist, mnist, mnist-10k, uci-digits, cifar10")
                .option("data", "DIR", "data folder holding <dataset>/ (default $AUTOINIT_DATA or ../shared/datasets), or, without"
                        + " --dataset, a folder of train-/t10k- IDX files")
                .option("train-limit", "N", "use the first N training samples only (default all)")
                .option("test-limit", "N", "use the first N test samples only (default all)");
    }

    static ModelSpec modelSpec(Args a, ModelSpec base) {
        ModelSpec bm = base == null ? ModelSpec.of("mlp") : base;
        return new ModelSpec(a.getString("model", bm.model()), str(a, "activation", bm.activation()),
                a.has("depth") ? Integer.valueOf(a.getInt("depth")) : bm.depth(), a.has("width") ? Integer.valueOf(a.getInt("width")) : bm.width(),
                a.has("dropout") ? Double.valueOf(a.getDouble("dropout")) : bm.dropout(), normalization(a, bm.normalization()),
                str(a, "merge", bm.merge()));
    }

    /** {dataset, dataDir} from the options, else from the base config, else the embedded subset. */
    static String[] data(Args a, RunConfig base) {
        if (a.has("dataset") || a.has("data")) {
            return new String[] {a.has("dataset") ? a.getString("dataset") : null, a.has("data") ? a.getString("data") : null};
        }
        return base == null ? new String[] {DataChoice.EMBEDDED, null} : new String[] {base.dataset(), base.dataDir()};
    }

    static RunConfig runConfig(Args a, RunConfig base) {
        ModelSpec spec = modelSpec(a, base == null ? null : base.model());
        String init = a.getString("init", base == null ? "autoinit" : base.init());
        Inits.check(init);
        String[] data = data(a, base);
        String dataset = data[0], dataDir = data[1];
        TrainSettings bt = base == null ? null : base.training();
        String opt = a.getString("optimizer", bt == null ? "sgd" : bt.optimizer());
        double defaultLr = bt != null && bt.optimizer().equals(opt) ? bt.lr() : opt.equals("sgd") ? 0.01 : 0.001;
        TrainSettings t = new TrainSettings(opt, a.getDouble("lr", defaultLr), a.getDouble("momentum", bt == null ? 0.9 : bt.momentum()),
                a.getDouble("weight-decay", bt == null ? 0 : bt.weightDecay()), a.getString("schedule", bt == null ? "cosine" : bt.schedule()),
                a.getInt("warmup", bt == null ? 100 : bt.warmup()), a.getInt("epochs", bt == null ? 5 : bt.epochs()),
                a.getInt("batch", bt == null ? 128 : bt.batch()), a.getDouble("clip", bt == null ? 0 : bt.clipNorm()));
        return new RunConfig(spec, init, a.getLong("seed", base == null ? 0 : base.seed()), dataset, dataDir,
                a.getInt("train-limit", base == null ? 0 : base.trainLimit()), a.getInt("test-limit", base == null ? 0 : base.testLimit()), t);
    }

    private static String str(Args a, String name, String fallback) {
        return a.has(name) ? a.getString(name) : fallback;
    }

    private static Boolean normalization(Args a, Boolean fallback) {
        if (!a.has("normalization")) {
            return fallback;
        }
        String v = a.getString("normalization");
        return switch (v) {
            case "on", "true", "yes" -> Boolean.TRUE;
            case "off", "false", "no" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("--normalization takes on or off, got '" + v + "'");
        };
    }
}
