package org.autoinit.datasets.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.autoinit.datasets.Dataset;
import org.junit.jupiter.api.Test;

class AugmentTest {
    private static float[] distinctImages(int n, int c, int h, int w) {
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1; // all distinct and non-zero, so shifts are identifiable
        }
        return x;
    }

    /** The image shifted by (dy, dx) with zero fill, computed with a plain loop: out[y][x] = in[y+dy][x+dx]. */
    private static float[] shifted(float[] in, int off, int c, int h, int w, int dy, int dx) {
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int sy = y + dy, sx = x + dx;
                    out[(ch * h + y) * w + x] = sy >= 0 && sy < h && sx >= 0 && sx < w ? in[off + (ch * h + sy) * w + sx] : 0;
                }
            }
        }
        return out;
    }

    @Test
    void randomCropIsAShiftWithinThePaddingPerSample() {
        int n = 64, c = 2, h = 5, w = 6, pad = 2, per = c * h * w;
        float[] orig = distinctImages(n, c, h, w);
        float[] batch = new RandomCrop(pad).apply(orig.clone(), n, new int[] {c, h, w}, new SplittableRandom(5));
        Set<String> shifts = new HashSet<>();
        for (int s = 0; s < n; s++) {
            float[] got = Arrays.copyOfRange(batch, s * per, (s + 1) * per);
            String found = null;
            for (int dy = -pad; dy <= pad && found == null; dy++) {
                for (int dx = -pad; dx <= pad && found == null; dx++) {
                    if (Arrays.equals(got, shifted(orig, s * per, c, h, w, dy, dx))) {
                        found = dy + "," + dx;
                    }
                }
            }
            assertTrue(found != null, "sample " + s + " is not a shift of its input by at most " + pad);
            shifts.add(found);
        }
        // 64 draws from 25 equally likely shifts: seeing fewer than 15 distinct ones has probability < 1e-6.
        assertTrue(shifts.size() >= 15, "only " + shifts.size() + " distinct shifts");
        assertArrayEquals(batch, new RandomCrop(pad).apply(orig.clone(), n, new int[] {c, h, w}, new SplittableRandom(5)),
                "same seed, same crops");
        assertArrayEquals(orig, new RandomCrop(0).apply(orig.clone(), n, new int[] {c, h, w}, new SplittableRandom(5)),
                "no padding, no change");
    }

    @Test
    void horizontalFlipMirrorsRowsWithTheGivenProbability() {
        int n = 400, c = 3, h = 2, w = 5, per = c * h * w;
        float[] orig = distinctImages(n, c, h, w);
        float[] all = new HorizontalFlip(1).apply(orig.clone(), n, new int[] {c, h, w}, new SplittableRandom(1));
        for (int s = 0; s < n; s += 37) {
            for (int row = 0; row < c * h; row++) {
                for (int x = 0; x < w; x++) {
                    assertEquals(orig[s * per + row * w + (w - 1 - x)], all[s * per + row * w + x]);
                }
            }
        }
        assertArrayEquals(orig, new HorizontalFlip(0).apply(orig.clone(), n, new int[] {c, h, w}, new SplittableRandom(1)));
        float[] half = new HorizontalFlip(0.5).apply(orig.clone(), n, new int[] {c, h, w}, new SplittableRandom(1));
        int flipped = 0;
        for (int s = 0; s < n; s++) {
            boolean same = Arrays.equals(Arrays.copyOfRange(half, s * per, (s + 1) * per), Arrays.copyOfRange(orig, s * per, (s + 1) * per));
            boolean mirrored = Arrays.equals(Arrays.copyOfRange(half, s * per, (s + 1) * per), Arrays.copyOfRange(all, s * per, (s + 1) * per));
            assertTrue(same ^ mirrored, "sample " + s + " is either untouched or mirrored");
            flipped += mirrored ? 1 : 0;
        }
        // Binomial(400, 0.5): sd 10; 5 sd either side.
        assertTrue(Math.abs(flipped - 200) <= 50, flipped + " of 400 flipped");
    }

    @Test
    void imageTransformsRejectNonImageShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new RandomCrop(4).apply(new float[784], 1, new int[] {784}, new SplittableRandom(1)));
        assertEquals("RandomCrop: sample shape [784] must have rank 3 (C, H, W)", e.getMessage());
    }

    @Test
    void flattenChangesOnlyTheShape() {
        assertArrayEquals(new int[] {784}, new Flatten().outputShape(new int[] {1, 28, 28}));
        Dataset d = new Dataset("d", new float[] {1, 2, 3, 4}, new int[] {1, 2, 2}, new int[] {0}, 1);
        Dataset f = Flatten.apply(d);
        assertArrayEquals(new int[] {4}, f.sampleShape());
        assertArrayEquals(d.rawFeatures(), f.rawFeatures());
    }

    @Test
    void shufflingIsAPermutationAndDeterministicPerSeed() {
        int[] a = Shuffle.permutation(1000, new SplittableRandom(42));
        int[] b = Shuffle.permutation(1000, new SplittableRandom(42));
        int[] c = Shuffle.permutation(1000, new SplittableRandom(43));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, sorted[i]);
        }
        Dataset d = new Dataset("d", new float[] {0, 1, 2, 3}, new int[] {1}, new int[] {0, 1, 2, 3}, 4);
        Dataset s = Shuffle.shuffled(d, new SplittableRandom(7));
        for (int i = 0; i < 4; i++) {
            assertEquals(s.label(i), (int) s.rawFeatures()[i], "features travel with their labels");
        }
    }

    @Test
    void shufflingIsUniformOverPermutations() {
        // 24 permutations of 4 items, 24,000 draws: each count ~ Binomial(24000, 1/24), mean 1000, sd ~ 31.
        int[] counts = new int[24];
        SplittableRandom rng = new SplittableRandom(3);
        for (int t = 0; t < 24_000; t++) {
            int[] p = Shuffle.permutation(4, rng);
            int code = 0;
            for (int v : p) {
                code = code * 4 + v;
            }
            counts[rank(code)]++;
        }
        for (int k = 0; k < 24; k++) {
            assertTrue(Math.abs(counts[k] - 1000) < 160, "permutation " + k + " drawn " + counts[k] + " times");
        }
    }

    private static final int[] CODES = new int[24];

    static {
        int k = 0;
        for (int code = 0; code < 256; code++) {
            int[] d = {code >> 6 & 3, code >> 4 & 3, code >> 2 & 3, code & 3};
            if (Arrays.stream(d).distinct().count() == 4) {
                CODES[k++] = code;
            }
        }
    }

    private static int rank(int code) {
        return Arrays.binarySearch(CODES, code);
    }
}
