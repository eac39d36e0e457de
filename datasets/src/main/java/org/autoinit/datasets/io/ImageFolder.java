package org.autoinit.datasets.io;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.autoinit.datasets.Dataset;
import org.autoinit.tensor.parallel.Parallel;

/**
 * A folder of images with one sub-folder per class (the Imagenette / torchvision ImageFolder layout):
 * {@code root/<class>/<image>.png|jpg|jpeg}. Classes are the sub-folder names in sorted order, so label
 * {@code k} is the k-th name; images within a class are taken in sorted file-name order. Each image is
 * scaled so its shorter side is {@code size} and centre-cropped to {@code size x size} (see
 * {@link Resample}), giving samples of shape {@code [3, size, size]} (RGB) or {@code [1, size, size]}
 * (grey, ITU-R 601 luma {@code 0.299 R + 0.587 G + 0.114 B}), values in [0, 1]. Alpha is ignored.
 * Files with other extensions and hidden files are skipped; an image that cannot be decoded is an error.
 */
public final class ImageFolder {
    /** Output colour mode. */
    public enum Color {
        RGB(3), GREY(1);

        final int channels;

        Color(int channels) {
            this.channels = channels;
        }
    }

    private ImageFolder() {}

    /** Loads every image under {@code root}; see the class comment for the layout and preprocessing. */
    public static Dataset load(Path root, int size, Color color, String name) throws IOException {
        if (size <= 0) {
            throw new IllegalArgumentException("ImageFolder.load: size must be positive, got " + size);
        }
        if (!Files.isDirectory(root)) {
            throw new IOException("ImageFolder.load: " + root + " is not a directory");
        }
        List<Path> classDirs = sortedChildren(root, true);
        if (classDirs.isEmpty()) {
            throw DatasetFormatException.inFile(root.toString(), "has no class sub-folders (expected root/<class>/<image>.png)", null);
        }
        List<String> classNames = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path dir : classDirs) {
            List<Path> images = sortedChildren(dir, false).stream().filter(ImageFolder::isImage).toList();
            if (images.isEmpty()) {
                throw DatasetFormatException.inFile(dir.toString(), "class folder holds no .png/.jpg/.jpeg images", null);
            }
            for (Path f : images) {
                files.add(f);
                labels.add(classNames.size());
            }
            classNames.add(dir.getFileName().toString());
        }
        int c = color.channels;
        int per = Math.multiplyExact(Math.multiplyExact(c, size), size);
        float[] x = new float[Math.multiplyExact(files.size(), per)];
        try {
            // Decoding dominates; images are independent and land at fixed offsets, so order is unaffected.
            Parallel.forRange(files.size(), 4, (from, to) -> {
                for (int i = from; i < to; i++) {
                    try {
                        decodeInto(files.get(i), color, size, x, i * per);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        return new Dataset(name, x, new int[] {c, size, size}, y, classNames.size(), classNames);
    }

    private static List<Path> sortedChildren(Path dir, boolean dirs) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> dirs ? Files.isDirectory(p) : Files.isRegularFile(p))
                    .sorted()
                    .toList();
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
    }

    /** Decodes one image, converts it to channel-first floats in [0, 1], resizes and crops it into {@code dst}. */
    static void decodeInto(Path file, Color color, int size, float[] dst, int off) throws IOException {
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(in);
        } catch (IOException e) {
            throw DatasetFormatException.inFile(file.toString(), "unreadable image: " + e.getMessage(), e);
        }
        if (img == null) {
            throw DatasetFormatException.inFile(file.toString(), "unreadable image: no PNG/JPEG decoder recognises its content", null);
        }
        int h = img.getHeight();
        int w = img.getWidth();
        float[] chw = toChannelsFirst(img, color);
        Resample.resizeShorterSideAndCenterCrop(chw, color.channels, h, w, size, dst, off);
    }

    static float[] toChannelsFirst(BufferedImage img, Color color) {
        int h = img.getHeight();
        int w = img.getWidth();
        int plane = h * w;
        float[] out = new float[color.channels * plane];
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        boolean grey = cm.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_GRAY && raster.getNumBands() <= 2;
        if (grey) {
            // Read grey samples directly: getRGB would push them through a linear-to-sRGB conversion.
            float max = (1 << cm.getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = raster.getSample(x, y, 0) / max;
                    for (int ch = 0; ch < color.channels; ch++) {
                        out[ch * plane + y * w + x] = v;
                    }
                }
            }
            return out;
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            float r = ((argb[i] >> 16) & 0xff) / 255f;
            float g = ((argb[i] >> 8) & 0xff) / 255f;
            float b = (argb[i] & 0xff) / 255f;
            if (color == Color.RGB) {
                out[i] = r;
                out[plane + i] = g;
                out[2 * plane + i] = b;
            } else {
                out[i] = 0.299f * r + 0.587f * g + 0.114f * b;
            }
        }
        return out;
    }
}
