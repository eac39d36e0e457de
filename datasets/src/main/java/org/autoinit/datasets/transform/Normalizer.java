package org.autoinit.datasets.transform;

import java.util.Arrays;
import java.util.random.RandomGenerator;

import org.autoinit.datasets.Dataset;

/**
 * Per-channel standardization {@code x' = (x - mean_c) / std_c}, with the statistics fitted on the
 * training split only (so nothing about the test set leaks into preprocessing). The channel is the
 * first axis of the sample shape: colour channel for {@code [C, H, W]} images, feature for {@code [F]}
 * table rows. {@code std_c} is the population standard deviation over all samples and positions of
 * channel c; a constant channel (std 0) is left centred but unscaled.
 */
public final class Normalizer implements BatchTransform {
    private final double[] mean;
    private final double[] std;

    public Normalizer(double[] mean, double[] std) {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("Normalizer: mean and std must have the same positive length, got "
                    + mean.length + " and " + std.length);
        }
        for (double s : std) {
            if (!(s >= 0) || Double.isInfinite(s)) {
                throw new IllegalArgumentException("Normalizer: std must be finite and >= 0, got " + Arrays.toString(std));
            }
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Computes per-channel mean and std over the whole dataset (two passes, in double). */
    public static Normalizer fit(Dataset train) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("Normalizer.fit: dataset '" + train.name() + "' is empty");
        }
        int[] shape = train.sampleShape();
        int channels = shape[0];
        int plane = train.sampleSize() / channels;
        float[] x = train.rawFeatures();
        double count = (double) train.size() * plane;
        double[] mean = new double[channels];
        double[] var = new double[channels];
        for (int s = 0; s < train.size(); s++) {
            for (int c = 0; c < channels; c++) {
                int base = (s * channels + c) * plane;
                double acc = 0;
                for (int p = 0; p < plane; p++) {
                    acc += x[base + p];
                }
                mean[c] += acc;
            }
        }
        for (int c = 0; c < channels; c++) {
            mean[c] /= count;
        }
        for (int s = 0; s < train.size(); s++) {
            for (int c = 0; c < channels; c++) {
                int base = (s * channels + c) * plane;
                double m = mean[c];
                double acc = 0;
                for (int p = 0; p < plane; p++) {
                    double d = x[base + p] - m;
                    acc += d * d;
                }
                var[c] += acc;
            }
        }
        double[] std = new double[channels];
        for (int c = 0; c < channels; c++) {
            std[c] = Math.sqrt(var[c] / count);
        }
        return new Normalizer(mean, std);
    }

    public double[] mean() {
        return mean.clone();
    }

    public double[] std() {
        return std.clone();
    }

    /** A normalized copy of a dataset (train or test, always with the statistics fitted on train). */
    public Dataset apply(Dataset d) {
        float[] x = d.rawFeatures().clone();
        apply(x, d.size(), d.sampleShape(), null);
        return d.withFeatures(x, d.sampleShape());
    }

    @Override
    public float[] apply(float[] batch, int batchSize, int[] sampleShape, RandomGenerator rng) {
        if (sampleShape[0] != mean.length) {
            throw new IllegalArgumentException("Normalizer: fitted for " + mean.length + " channels but samples of shape "
                    + Arrays.toString(sampleShape) + " have " + sampleShape[0]);
        }
        int channels = mean.length;
        int plane = 1;
        for (int i = 1; i < sampleShape.length; i++) {
            plane *= sampleShape[i];
        }
        float[] shift = new float[channels];
        float[] scale = new float[channels];
        for (int c = 0; c < channels; c++) {
            shift[c] = (float) mean[c];
            scale[c] = (float) (std[c] > 0 ? 1 / std[c] : 1);
        }
        for (int s = 0; s < batchSize; s++) {
            for (int c = 0; c < channels; c++) {
                int base = (s * channels + c) * plane;
                float m = shift[c];
                float k = scale[c];
                for (int p = 0; p < plane; p++) {
                    batch[base + p] = (batch[base + p] - m) * k;
                }
            }
        }
        return batch;
    }

    @Override
    public String toString() {
        return "Normalizer(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
