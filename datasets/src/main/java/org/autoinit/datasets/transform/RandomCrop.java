package org.autoinit.datasets.transform;

import java.util.random.RandomGenerator;

/**
 * The standard CIFAR augmentation: pad each image with {@code padding} zeros on every side, then cut
 * an {@code H x W} window at a uniformly random offset in {@code [0, 2 * padding]} along each axis, drawn
 * independently per sample. Equivalent to shifting the image by up to {@code padding} pixels and
 * filling the uncovered border with zeros (applied before normalization, zero means black).
 */
public final class RandomCrop implements BatchTransform {
    private final int padding;

    public RandomCrop(int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("RandomCrop: padding must be >= 0, got " + padding);
        }
        this.padding = padding;
    }

    @Override
    public float[] apply(float[] batch, int batchSize, int[] sampleShape, RandomGenerator rng) {
        BatchTransform.requireImage("RandomCrop", sampleShape);
        int c = sampleShape[0], h = sampleShape[1], w = sampleShape[2];
        int per = c * h * w;
        float[] tmp = new float[per];
        for (int s = 0; s < batchSize; s++) {
            // Offsets of the window in padded coordinates, minus padding: the source shift.
            int dy = rng.nextInt(2 * padding + 1) - padding;
            int dx = rng.nextInt(2 * padding + 1) - padding;
            if (dy == 0 && dx == 0) {
                continue;
            }
            int base = s * per;
            System.arraycopy(batch, base, tmp, 0, per);
            java.util.Arrays.fill(batch, base, base + per, 0f);
            int x0 = Math.max(0, -dx), x1 = Math.min(w, w - dx);
            for (int ch = 0; ch < c; ch++) {
                for (int y = Math.max(0, -dy); y < Math.min(h, h - dy); y++) {
                    if (x1 > x0) {
                        System.arraycopy(tmp, (ch * h + y + dy) * w + x0 + dx, batch, base + (ch * h + y) * w + x0, x1 - x0);
                    }
                }
            }
        }
        return batch;
    }
}
