package org.autoinit.datasets.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.autoinit.datasets.Dataset;

/**
 * The CIFAR binary format: fixed-size records of label byte(s) followed by 3072 pixel bytes, the 1024
 * red, then 1024 green, then 1024 blue values of a 32x32 image, rows first. That is exactly
 * {@code [3, 32, 32]} channel-first order, so pixels are copied straight through, scaled to [0, 1].
 * CIFAR-10 records have one label byte; CIFAR-100 records have a coarse (20 classes) and a fine
 * (100 classes) label byte. Files may be raw or gzip.
 */
public final class Cifar {
    public static final int PIXELS = 3 * 32 * 32;

    /** Which label of a record to use. */
    public enum Labels {
        /** CIFAR-10: one label byte, 10 classes. */
        CIFAR10(1, 0, 10),
        /** CIFAR-100 coarse label (first byte): 20 superclasses. */
        CIFAR100_COARSE(2, 0, 20),
        /** CIFAR-100 fine label (second byte): 100 classes. */
        CIFAR100_FINE(2, 1, 100);

        final int labelBytes;
        final int which;
        final int numClasses;

        Labels(int labelBytes, int which, int numClasses) {
            this.labelBytes = labelBytes;
            this.which = which;
            this.numClasses = numClasses;
        }

        /** Bytes per record: label bytes plus 3072 pixels. */
        public int recordSize() {
            return labelBytes + PIXELS;
        }

        public int numClasses() {
            return numClasses;
        }
    }

    /** The CIFAR-10 class names, in label order. */
    public static final List<String> CIFAR10_CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

    private Cifar() {}

    /**
     * Reads and concatenates the records of the given files (e.g. data_batch_1.bin ... data_batch_5.bin),
     * validating every file: its size must be a whole number of records and every label in range.
     */
    public static Dataset load(List<Path> files, Labels labels, String name) throws IOException {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("Cifar.load: no files given for " + name);
        }
        int rec = labels.recordSize();
        List<byte[]> raw = new ArrayList<>();
        long total = 0;
        for (Path file : files) {
            byte[] bytes;
            try (ByteReader r = ByteReader.open(file)) {
                bytes = r.readAll(labels + " records");
                if (bytes.length == 0) {
                    throw r.errorAt(0, "empty file: no " + labels + " records");
                }
                if (bytes.length % rec != 0) {
                    long lastStart = (long) bytes.length / rec * rec;
                    throw r.errorAt(lastStart, "truncated file: " + bytes.length + " bytes is not a whole number of " + rec
                            + "-byte " + labels + " records; the last record starts here and has only "
                            + (bytes.length - lastStart) + " bytes");
                }
                for (int i = 0, n = bytes.length / rec; i < n; i++) {
                    int label = bytes[i * rec + labels.which] & 0xff;
                    if (label >= labels.numClasses) {
                        throw r.errorAt((long) i * rec + labels.which, "label " + label + " of record " + i
                                + " is out of range [0, " + labels.numClasses + ") for " + labels);
                    }
                }
            }
            raw.add(bytes);
            total += bytes.length / rec;
        }
        if (total * PIXELS > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Cifar.load: " + total + " images are too many to hold in one array");
        }
        float[] x = new float[(int) total * PIXELS];
        int[] y = new int[(int) total];
        int at = 0;
        for (byte[] bytes : raw) {
            for (int i = 0, n = bytes.length / rec; i < n; i++, at++) {
                y[at] = bytes[i * rec + labels.which] & 0xff;
                int src = i * rec + labels.labelBytes;
                int dst = at * PIXELS;
                for (int p = 0; p < PIXELS; p++) {
                    x[dst + p] = (bytes[src + p] & 0xff) / 255f;
                }
            }
        }
        List<String> names = labels == Labels.CIFAR10 ? CIFAR10_CLASSES : null;
        return new Dataset(name, x, new int[] {3, 32, 32}, y, labels.numClasses, names);
    }
}
