package org.autoinit.datasets.io;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPOutputStream;

import org.autoinit.datasets.Dataset;

/**
 * The IDX format of MNIST and Fashion-MNIST, raw or gzip (detected by the magic bytes 1f 8b).
 * Images: magic 0x00000803, then count, rows, cols as big-endian uint32, then count*rows*cols uint8
 * pixels row-major. Labels: magic 0x00000801, count, then count uint8 labels.
 */
public final class Idx {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private Idx() {}

    /** Raw IDX images: {@code count} images of {@code rows x cols} uint8 pixels. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        public Images {
            if ((long) count * rows * cols != pixels.length) {
                throw new IllegalArgumentException("Idx.Images: " + pixels.length + " pixels for " + count + " images of " + rows + "x" + cols);
            }
        }
    }

    /** Loads an MNIST-style dataset: 10 classes, pixels 0..255 scaled to [0, 1], samples of shape [1, rows, cols]. */
    public static Dataset load(Path images, Path labels, String name) throws IOException {
        return load(images, labels, name, 10, 255);
    }

    /**
     * Loads images and labels, checks they pair up, and scales pixels by {@code 1 / pixelMax} (255 for
     * MNIST, 16 for UCI digits); a pixel above {@code pixelMax} or a label outside {@code [0, numClasses)}
     * is an error naming the file and byte offset.
     */
    public static Dataset load(Path images, Path labels, String name, int numClasses, int pixelMax) throws IOException {
        Images im;
        try (ByteReader r = ByteReader.open(images)) {
            im = readImages(r, pixelMax);
        }
        int[] lab;
        try (ByteReader r = ByteReader.open(labels)) {
            lab = readLabels(r, numClasses);
        }
        return toDataset(im, images.toString(), lab, labels.toString(), name, numClasses, pixelMax);
    }

    /** As {@link #load(Path, Path, String, int, int)} from streams (e.g. classpath resources) named in messages. */
    public static Dataset load(InputStream images, String imagesSource, InputStream labels, String labelsSource,
                               String name, int numClasses, int pixelMax) throws IOException {
        Images im;
        try (ByteReader r = ByteReader.of(images, imagesSource)) {
            im = readImages(r, pixelMax);
        }
        int[] lab;
        try (ByteReader r = ByteReader.of(labels, labelsSource)) {
            lab = readLabels(r, numClasses);
        }
        return toDataset(im, imagesSource, lab, labelsSource, name, numClasses, pixelMax);
    }

    /** Reads and validates an images file. */
    public static Images readImages(Path file) throws IOException {
        try (ByteReader r = ByteReader.open(file)) {
            return readImages(r, 255);
        }
    }

    /** Reads and validates a labels file; every label must be in {@code [0, numClasses)}. */
    public static int[] readLabels(Path file, int numClasses) throws IOException {
        try (ByteReader r = ByteReader.open(file)) {
            return readLabels(r, numClasses);
        }
    }

    static Images readImages(ByteReader r, int pixelMax) throws IOException {
        if (pixelMax <= 0 || pixelMax > 255) {
            throw new IllegalArgumentException("Idx: pixelMax must be in [1, 255], got " + pixelMax);
        }
        expectMagic(r, IMAGES_MAGIC, "images");
        int count = r.u32("image count");
        long dimsAt = r.offset();
        int rows = r.u32("row count");
        int cols = r.u32("column count");
        if (rows == 0 || cols == 0) {
            throw r.errorAt(dimsAt, "image size " + rows + "x" + cols + " must be positive");
        }
        long n = (long) count * rows * cols;
        if (n > Integer.MAX_VALUE - 8) {
            throw r.errorAt(4, count + " images of " + rows + "x" + cols + " are too many to hold in one array");
        }
        byte[] pixels = new byte[(int) n];
        r.readFully(pixels, 0, pixels.length, "pixels of " + count + " images of " + rows + "x" + cols);
        r.expectEnd(count + " images");
        if (pixelMax < 255) {
            for (int i = 0; i < pixels.length; i++) {
                if ((pixels[i] & 0xff) > pixelMax) {
                    throw r.errorAt(16L + i, "pixel value " + (pixels[i] & 0xff) + " of image " + i / (rows * cols)
                            + " exceeds the maximum " + pixelMax + " expected for this dataset");
                }
            }
        }
        return new Images(count, rows, cols, pixels);
    }

    static int[] readLabels(ByteReader r, int numClasses) throws IOException {
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("Idx: numClasses must be in [1, 256] for byte labels, got " + numClasses);
        }
        expectMagic(r, LABELS_MAGIC, "labels");
        int count = r.u32("label count");
        long start = r.offset();
        byte[] raw = new byte[count];
        r.readFully(raw, 0, count, count + " labels");
        r.expectEnd(count + " labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = raw[i] & 0xff;
            if (labels[i] >= numClasses) {
                throw r.errorAt(start + i, "label " + labels[i] + " of sample " + i + " is out of range [0, " + numClasses + ")");
            }
        }
        return labels;
    }

    private static void expectMagic(ByteReader r, int expected, String kind) throws IOException {
        int magic = r.u32("magic number");
        if (magic != expected) {
            String hint = magic == IMAGES_MAGIC ? " (this is an IDX images file)"
                    : magic == LABELS_MAGIC ? " (this is an IDX labels file)" : "";
            throw r.errorAt(0, String.format("wrong magic number 0x%08x%s, expected 0x%08x for IDX %s", magic, hint, expected, kind));
        }
    }

    private static Dataset toDataset(Images im, String imagesSource, int[] labels, String labelsSource,
                                     String name, int numClasses, int pixelMax) throws DatasetFormatException {
        if (labels.length != im.count()) {
            throw DatasetFormatException.atOffset(labelsSource, 4, "holds " + labels.length + " labels but "
                    + imagesSource + " holds " + im.count() + " images", null);
        }
        byte[] p = im.pixels();
        float[] x = new float[p.length];
        float[] value = new float[256]; // v / pixelMax, correctly rounded
        for (int v = 0; v < 256; v++) {
            value[v] = (float) v / pixelMax;
        }
        for (int i = 0; i < p.length; i++) {
            x[i] = value[p[i] & 0xff];
        }
        return new Dataset(name, x, new int[] {1, im.rows(), im.cols()}, labels, numClasses);
    }

    /** Writes an images file (gzip if {@code gzip}), via a temp file renamed into place. */
    public static void writeImages(Path file, Images images, boolean gzip) throws IOException {
        write(file, gzip, out -> {
            out.writeInt(IMAGES_MAGIC);
            out.writeInt(images.count());
            out.writeInt(images.rows());
            out.writeInt(images.cols());
            out.write(images.pixels());
        });
    }

    /** Writes a labels file (gzip if {@code gzip}), via a temp file renamed into place. */
    public static void writeLabels(Path file, int[] labels, boolean gzip) throws IOException {
        write(file, gzip, out -> {
            out.writeInt(LABELS_MAGIC);
            out.writeInt(labels.length);
            for (int l : labels) {
                if (l < 0 || l > 255) {
                    throw new IllegalArgumentException("Idx.writeLabels: label " + l + " does not fit in a byte");
                }
                out.writeByte(l);
            }
        });
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static void write(Path file, boolean gzip, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(tmp);
                 OutputStream z = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
                 DataOutputStream out = new DataOutputStream(new BufferedOutputStream(z, 1 << 16))) {
                body.write(out);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
