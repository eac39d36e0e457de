package org.autoinit.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.autoinit.datasets.Dataset;
import org.autoinit.datasets.Datasets;
import org.autoinit.datasets.Split;
import org.autoinit.datasets.fetch.Fetcher;
import org.autoinit.datasets.io.Idx;
import org.autoinit.datasets.transform.Normalizer;

/**
 * The data a command trains on: a named dataset ({@link Datasets#load}) or a folder of IDX files,
 * standardized per channel with statistics of the training split (so inputs have mean 0 and variance 1,
 * the moments AutoInit assumes by default), optionally cut to the first samples.
 *
 * @param name        dataset name, e.g. "fashion-mnist" (for a plain IDX folder, the folder name)
 * @param train       normalized training split
 * @param test        normalized test split
 * @param description one line for the console and reports (where the data came from, sizes)
 */
public record DataChoice(String name, Dataset train, Dataset test, String description) {
    /** The embedded subset, available offline. */
    public static final String EMBEDDED = "fashion-mnist-small";

    /**
     * The data folder used when none is given: {@code $AUTOINIT_DATA} if set, else {@code ../shared/datasets}
     * (the project's shared folder, relative to the project root the launcher runs from) if it exists, else the
     * download cache.
     */
    public static Path defaultDataDir() {
        String env = System.getenv("AUTOINIT_DATA");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path shared = Path.of("..", "shared", "datasets");
        return Files.isDirectory(shared) ? shared : Fetcher.defaultCacheDir();
    }

    /** True when {@code dir} directly holds {@code train-images-idx3-ubyte.gz} and friends. */
    static boolean isIdxFolder(Path dir) {
        return Files.isRegularFile(dir.resolve("train-images-idx3-ubyte.gz")) && Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz"));
    }

    /**
     * Loads {@code dataset} from {@code dataDir} (null: {@link #defaultDataDir()}). With {@code dataset} null,
     * {@code dataDir} must directly hold a train/t10k IDX pair (as a Fashion-MNIST folder does).
     */
    public static DataChoice load(String dataset, Path dataDir) throws IOException {
        Split split;
        String name;
        String where;
        if (dataset == null) {
            if (dataDir == null || !isIdxFolder(dataDir)) {
                throw new IllegalArgumentException("data: give --dataset NAME (one of " + String.join(", ", Datasets.names())
                        + "), or --data DIR pointing at a folder with train-/t10k-{images-idx3,labels-idx1}-ubyte.gz");
            }
            Dataset tr = Idx.load(dataDir.resolve("train-images-idx3-ubyte.gz"), dataDir.resolve("train-labels-idx1-ubyte.gz"), "train");
            Dataset te = Idx.load(dataDir.resolve("t10k-images-idx3-ubyte.gz"), dataDir.resolve("t10k-labels-idx1-ubyte.gz"), "test");
            name = dataDir.toAbsolutePath().normalize().getFileName().toString();
            split = new Split(tr, te);
            where = dataDir.toString();
        } else {
            Path dir = dataDir != null ? dataDir : defaultDataDir();
            split = Datasets.load(dataset, dir);
            name = dataset;
            where = dataset.equals(EMBEDDED) ? "embedded in the datasets jar" : dir.toString();
        }
        Normalizer norm = Normalizer.fit(split.train());
        String desc = String.format(java.util.Locale.ROOT, "%s (%s): %,d train / %,d test samples of shape %s, %d classes, standardized"
                + " with train mean %.4f std %.4f", name, where, split.train().size(), split.test().size(),
                java.util.Arrays.toString(split.train().sampleShape()), split.train().numClasses(), norm.mean()[0], norm.std()[0]);
        return new DataChoice(name, norm.apply(split.train()), norm.apply(split.test()), desc);
    }

    /** The full Fashion-MNIST under {@code dataDir} (default folder when null) if present, else the embedded subset. */
    public static DataChoice fashionMnistOrEmbedded(Path dataDir) throws IOException {
        Path dir = dataDir != null ? dataDir : defaultDataDir();
        if (isIdxFolder(dir.resolve("fashion-mnist"))) {
            return load("fashion-mnist", dir);
        }
        if (isIdxFolder(dir)) {
            return load(null, dir);
        }
        return load(EMBEDDED, null);
    }

    /** The first {@code trainLimit} / {@code testLimit} samples (class-interleaved files keep their balance); 0 = all. */
    public DataChoice limit(int trainLimit, int testLimit) {
        Dataset tr = trainLimit > 0 && trainLimit < train.size() ? train.subset(0, trainLimit) : train;
        Dataset te = testLimit > 0 && testLimit < test.size() ? test.subset(0, testLimit) : test;
        if (tr == train && te == test) {
            return this;
        }
        return new DataChoice(name, tr, te, description + String.format(java.util.Locale.ROOT, "; using the first %,d train / %,d test",
                tr.size(), te.size()));
    }

    public int[] sampleShape() {
        return train.sampleShape();
    }

    public int numClasses() {
        return train.numClasses();
    }

    /** True for the embedded subset (experiments say so in their reports). */
    public boolean embedded() {
        return name.equals(EMBEDDED);
    }
}
