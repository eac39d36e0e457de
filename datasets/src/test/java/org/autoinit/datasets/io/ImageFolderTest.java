package org.autoinit.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.autoinit.datasets.Dataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {
    @TempDir
    Path root;

    private static final float EPS = 1e-6f;

    /** 8 wide x 4 high; the 2x2 block (bx, by) has colour (40*bx + 10*by, 200 - 40*bx, 7*by + 3). */
    private static int blockColour(int bx, int by, int channel) {
        return switch (channel) {
            case 0 -> 40 * bx + 10 * by;
            case 1 -> 200 - 40 * bx;
            default -> 7 * by + 3;
        };
    }

    private static BufferedImage pattern() {
        BufferedImage img = new BufferedImage(8, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                int r = blockColour(x / 2, y / 2, 0), g = blockColour(x / 2, y / 2, 1), b = blockColour(x / 2, y / 2, 2);
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private static BufferedImage uniform(int w, int h, int r, int g, int b) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    private void png(String cls, String file, BufferedImage img) throws IOException {
        Files.createDirectories(root.resolve(cls));
        assertTrue(ImageIO.write(img, "png", root.resolve(cls).resolve(file).toFile()));
    }

    @Test
    void classesAndFilesAreSortedAndPatternIsResizedAndCentreCropped() throws IOException {
        png("zebra", "b.png", uniform(6, 6, 10, 20, 30));
        png("zebra", "a.png", pattern());
        png("ant", "only.png", uniform(3, 5, 255, 0, 0));
        Files.writeString(root.resolve("zebra").resolve("notes.txt"), "not an image, skipped");
        Dataset d = ImageFolder.load(root, 2, ImageFolder.Color.RGB, "folder");
        assertEquals(List.of("ant", "zebra"), d.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, d.labels());
        assertArrayEquals(new int[] {3, 2, 2}, d.sampleShape());
        float[] x = d.rawFeatures();
        // Sample 1 is a.png: 8x4 shrinks by 2 to 4x2 (one value per block), then the centre crop keeps block columns 1 and 2.
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 2; y++) {
                for (int xx = 0; xx < 2; xx++) {
                    float want = blockColour(xx + 1, y, c) / 255f;
                    assertEquals(want, x[12 + c * 4 + y * 2 + xx], EPS, "c" + c + " y" + y + " x" + xx);
                }
            }
        }
        // Sample 0 (3x5 red) and sample 2 (uniform) stay uniform through any resize.
        for (int i = 0; i < 4; i++) {
            assertEquals(1f, x[i], EPS);
            assertEquals(0f, x[4 + i], EPS);
            assertEquals(10 / 255f, x[24 + i], EPS);
            assertEquals(30 / 255f, x[24 + 8 + i], EPS);
        }
    }

    @Test
    void greyModeUsesLumaAndGreyPngsAreReadExactly() throws IOException {
        png("c", "colour.png", uniform(4, 4, 200, 100, 50));
        BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        int[] v = {0, 17, 128, 255};
        for (int i = 0; i < 4; i++) {
            grey.getRaster().setSample(i % 2, i / 2, 0, v[i]);
        }
        png("c", "grey.png", grey);
        Dataset d = ImageFolder.load(root, 2, ImageFolder.Color.GREY, "g");
        assertArrayEquals(new int[] {1, 2, 2}, d.sampleShape());
        float luma = (0.299f * 200 + 0.587f * 100 + 0.114f * 50) / 255f;
        for (int i = 0; i < 4; i++) {
            assertEquals(luma, d.rawFeatures()[i], 1e-5f, "colour.png pixel " + i);
            assertEquals(v[i] / 255f, d.rawFeatures()[4 + i], EPS, "grey.png pixel " + i + " (no gamma conversion)");
        }
        Dataset rgb = ImageFolder.load(root, 2, ImageFolder.Color.RGB, "g");
        assertEquals(17 / 255f, rgb.rawFeatures()[12 + 4 + 1], EPS, "grey replicated into the green channel");
    }

    @Test
    void unreadableImageNamesTheFile() throws IOException {
        png("a", "good.png", uniform(2, 2, 1, 2, 3));
        Path bad = root.resolve("a").resolve("broken.png");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        var e = assertThrows(DatasetFormatException.class, () -> ImageFolder.load(root, 2, ImageFolder.Color.RGB, "x"));
        assertTrue(e.getMessage().startsWith(bad + ": unreadable image"), e.getMessage());
        assertEquals(bad.toString(), e.source());

        byte[] real = Files.readAllBytes(root.resolve("a").resolve("good.png"));
        Files.write(bad, java.util.Arrays.copyOf(real, real.length / 2)); // a PNG cut in half
        var e2 = assertThrows(DatasetFormatException.class, () -> ImageFolder.load(root, 2, ImageFolder.Color.RGB, "x"));
        assertTrue(e2.getMessage().startsWith(bad + ": unreadable image"), e2.getMessage());
    }

    @Test
    void emptyClassFolderAndMissingClassesAreErrors() throws IOException {
        var e = assertThrows(DatasetFormatException.class, () -> ImageFolder.load(root, 2, ImageFolder.Color.RGB, "x"));
        assertTrue(e.getMessage().contains("has no class sub-folders"), e.getMessage());
        png("a", "1.png", uniform(2, 2, 1, 2, 3));
        Files.createDirectories(root.resolve("b"));
        var e2 = assertThrows(DatasetFormatException.class, () -> ImageFolder.load(root, 2, ImageFolder.Color.RGB, "x"));
        assertEquals(root.resolve("b") + ": class folder holds no .png/.jpg/.jpeg images", e2.getMessage());
    }
}
