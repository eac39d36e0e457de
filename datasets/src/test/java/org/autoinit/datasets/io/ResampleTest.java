package org.autoinit.datasets.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ResampleTest {
    private static final float EPS = 1e-6f;

    @Test
    void shrinkByTwoAveragesPairs() {
        Resample.Taps t = Resample.taps(4, 2);
        assertArrayEquals(new int[] {0, 1}, t.index()[0]);
        assertArrayEquals(new int[] {2, 3}, t.index()[1]);
        assertArrayEquals(new float[] {0.5f, 0.5f}, t.weight()[0], EPS);
        assertArrayEquals(new float[] {0.5f, 0.5f}, t.weight()[1], EPS);
    }

    @Test
    void fractionalShrinkWeighsPartialOverlap() {
        // 3 -> 2: output 0 covers source [0, 1.5), output 1 covers [1.5, 3).
        Resample.Taps t = Resample.taps(3, 2);
        assertArrayEquals(new int[] {0, 1}, t.index()[0]);
        assertArrayEquals(new float[] {2f / 3, 1f / 3}, t.weight()[0], EPS);
        assertArrayEquals(new int[] {1, 2}, t.index()[1]);
        assertArrayEquals(new float[] {1f / 3, 2f / 3}, t.weight()[1], EPS);
    }

    @Test
    void enlargeInterpolatesWithAlignedCentres() {
        // 2 -> 4: source positions -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
        float[] out = Resample.resize(new float[] {10, 30}, 1, 1, 2, 1, 4);
        assertArrayEquals(new float[] {10, 15, 25, 30}, out, EPS);
    }

    @Test
    void twoDimensionalShrinkGivesBlockMeansPerChannel() {
        float[] img = new float[2 * 16];
        for (int i = 0; i < 32; i++) {
            img[i] = i;
        }
        float[] out = Resample.resize(img, 2, 4, 4, 2, 2);
        float[] expect = new float[8];
        for (int c = 0; c < 2; c++) {
            for (int by = 0; by < 2; by++) {
                for (int bx = 0; bx < 2; bx++) {
                    float s = 0;
                    for (int dy = 0; dy < 2; dy++) {
                        for (int dx = 0; dx < 2; dx++) {
                            s += img[c * 16 + (2 * by + dy) * 4 + 2 * bx + dx];
                        }
                    }
                    expect[c * 4 + by * 2 + bx] = s / 4;
                }
            }
        }
        assertArrayEquals(expect, out, EPS);
        float[] same = {1, 2, 3, 4};
        assertSame(same, Resample.resize(same, 1, 2, 2, 2, 2), "no work when the size is unchanged");
    }

    @Test
    void shorterSideResizeThenCentreCrop() {
        // 4 high x 8 wide, value = column index: shrink to 2x4 (pairs of columns), keep the middle 2 columns.
        float[] img = new float[32];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 8; x++) {
                img[y * 8 + x] = x;
            }
        }
        float[] dst = new float[5 + 4];
        Resample.resizeShorterSideAndCenterCrop(img, 1, 4, 8, 2, dst, 5);
        // Shrunk columns are (0+1)/2, (2+3)/2, (4+5)/2, (6+7)/2 = 0.5, 2.5, 4.5, 6.5; the centre two are 2.5, 4.5.
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 2.5f, 4.5f, 2.5f, 4.5f}, dst, EPS);
        // Tall image: the crop is vertical.
        float[] tall = new float[8 * 2];
        for (int y = 0; y < 8; y++) {
            tall[y * 2] = y;
            tall[y * 2 + 1] = y;
        }
        float[] out = new float[1];
        Resample.resizeShorterSideAndCenterCrop(tall, 1, 8, 2, 1, out, 0);
        // 8 high x 2 wide -> 4 x 1 (row pairs: 0.5, 2.5, 4.5, 6.5); the crop starts at row (4 - 1) / 2 = 1.
        assertEquals(2.5f, out[0], EPS);
    }
}
