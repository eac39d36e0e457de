package org.autoinit.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.autoinit.datasets.fetch.Fetcher;
import org.autoinit.datasets.io.Cifar;
import org.autoinit.datasets.io.Idx;

/**
 * Loads a dataset by name as a train/test {@link Split}, features scaled to [0, 1]:
 * <ul>
 * <li>{@code fashion-mnist-small}: embedded in this library (6,000 train / 1,000 test, balanced), no files needed;
 * <li>{@code fashion-mnist}: {@code <dataDir>/fashion-mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz};
 * <li>{@code mnist}: the same layout under {@code <dataDir>/mnist/}, or, if that is absent, {@code mnist-10k};
 * <li>{@code mnist-10k}: {@code <dataDir>/mnist-10k/{images-idx3,labels-idx1}-ubyte.gz}, 10,000 digits without
 *     a published split, split 80/20 per class with {@link Split#stratified} (7,996 / 2,004);
 * <li>{@code uci-digits}: same layout under {@code <dataDir>/uci-digits/}, 1,797 8x8 images with pixels
 *     0..16 (scaled by 1/16), split 80/20 per class with {@link Split#stratified} (1,433 / 364);
 * <li>{@code cifar10}: {@code <dataDir>/cifar-10-batches-bin/{data_batch_1..5,test_batch}.bin} (the official
 *     binary archive extracted; {@link org.autoinit.datasets.fetch.Sources#download} produces it).
 * </ul>
 * {@code dataDir} null means {@link Fetcher#defaultCacheDir()}. The IDX layout is that of the project's
 * shared data folder ({@code ../shared/datasets} from the project root).
 */
public final class Datasets {
    /** Fashion-MNIST class names, in label order. */
    public static final List<String> FASHION_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String EMBEDDED = "/org/autoinit/datasets/fashion-mnist-small/";
    private static final double NO_SPLIT_TRAIN_FRACTION = 0.8;

    private Datasets() {}

    /** The names {@link #load} accepts. */
    public static List<String> names() {
        return List.of("fashion-mnist-small", "fashion-mnist", "mnist", "mnist-10k", "uci-digits", "cifar10");
    }

    public static Split load(String name, Path dataDir) throws IOException {
        Path dir = dataDir != null ? dataDir : Fetcher.defaultCacheDir();
        return switch (name) {
            case "fashion-mnist-small" -> embedded();
            case "fashion-mnist" -> idxSplit(dir.resolve("fashion-mnist"), name, FASHION_CLASSES);
            case "mnist" -> Files.isDirectory(dir.resolve("mnist"))
                    ? idxSplit(dir.resolve("mnist"), name, null)
                    : unsplit(dir.resolve("mnist-10k"), "mnist-10k", 255);
            case "mnist-10k" -> unsplit(dir.resolve("mnist-10k"), name, 255);
            case "uci-digits" -> unsplit(dir.resolve("uci-digits"), name, 16);
            case "cifar10" -> cifar10(dir);
            default -> throw new IllegalArgumentException("Datasets.load: unknown dataset '" + name + "'; known: " + names());
        };
    }

    private static Split embedded() throws IOException {
        Dataset train = resource("train", "fashion-mnist-small/train");
        Dataset test = resource("t10k", "fashion-mnist-small/test");
        return new Split(train, test);
    }

    private static Dataset resource(String prefix, String name) throws IOException {
        String images = EMBEDDED + prefix + "-images-idx3-ubyte.gz";
        String labels = EMBEDDED + prefix + "-labels-idx1-ubyte.gz";
        try (InputStream im = open(images); InputStream lb = open(labels)) {
            Dataset d = Idx.load(im, "classpath:" + images, lb, "classpath:" + labels, name, 10, 255);
            return new Dataset(name, d.rawFeatures(), d.sampleShape(), d.labels(), 10, FASHION_CLASSES);
        }
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = Datasets.class.getResourceAsStream(resource);
        if (in == null) {
            throw new NoSuchFileException("classpath:" + resource, null, "embedded dataset resource missing from the datasets jar");
        }
        return in;
    }

    private static Split idxSplit(Path dir, String name, List<String> classes) throws IOException {
        Dataset train = idx(dir, "train-", name + "/train", 255, classes);
        Dataset test = idx(dir, "t10k-", name + "/test", 255, classes);
        return new Split(train, test);
    }

    private static Split unsplit(Path dir, String name, int pixelMax) throws IOException {
        return Split.stratified(idx(dir, "", name, pixelMax, null), NO_SPLIT_TRAIN_FRACTION);
    }

    private static Dataset idx(Path dir, String prefix, String name, int pixelMax, List<String> classes) throws IOException {
        Path images = require(dir.resolve(prefix + "images-idx3-ubyte.gz"));
        Path labels = require(dir.resolve(prefix + "labels-idx1-ubyte.gz"));
        Dataset d = Idx.load(images, labels, name, 10, pixelMax);
        return classes == null ? d : new Dataset(name, d.rawFeatures(), d.sampleShape(), d.labels(), 10, classes);
    }

    private static Split cifar10(Path dir) throws IOException {
        Path bin = dir.resolve("cifar-10-batches-bin");
        List<Path> train = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            train.add(require(bin.resolve("data_batch_" + i + ".bin")));
        }
        Path test = require(bin.resolve("test_batch.bin"));
        return new Split(Cifar.load(train, Cifar.Labels.CIFAR10, "cifar10/train"),
                Cifar.load(List.of(test), Cifar.Labels.CIFAR10, "cifar10/test"));
    }

    private static Path require(Path file) throws NoSuchFileException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "dataset file not found; put it there (see Datasets for the"
                    + " expected layout) or download it with org.autoinit.datasets.fetch.Sources");
        }
        return file;
    }
}
