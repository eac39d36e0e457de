package org.autoinit.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.autoinit.tensor.Tensor;

/**
 * An in-memory labelled dataset: {@code size()} samples of float32 features, each of shape
 * {@link #sampleShape()} (e.g. {@code [1, 28, 28]} for a grey image, {@code [F]} for a table row),
 * stored contiguously sample after sample, and one class label in {@code [0, numClasses)} per sample.
 *
 * <p>The constructor wraps the feature array without copying it (Fashion-MNIST is 188 MB as floats);
 * treat it as read-only. Every method that returns a smaller or transformed dataset returns a new one.
 */
public final class Dataset {
    private final String name;
    private final float[] x;
    private final int[] sampleShape;
    private final int sampleSize;
    private final int[] labels;
    private final int numClasses;
    private final List<String> classNames;

    /** A dataset whose classes are named "0", "1", ... */
    public Dataset(String name, float[] x, int[] sampleShape, int[] labels, int numClasses) {
        this(name, x, sampleShape, labels, numClasses, null);
    }

    /**
     * @param classNames one name per class (e.g. folder names), or null for "0", "1", ...
     * @throws IllegalArgumentException if the shapes do not match or a label is out of range
     */
    public Dataset(String name, float[] x, int[] sampleShape, int[] labels, int numClasses, List<String> classNames) {
        if (name == null || x == null || sampleShape == null || labels == null) {
            throw new IllegalArgumentException("Dataset: name, x, sampleShape and labels must not be null");
        }
        if (sampleShape.length == 0) {
            throw new IllegalArgumentException("Dataset '" + name + "': sample shape must have rank >= 1, got []");
        }
        long size = 1;
        for (int d : sampleShape) {
            if (d <= 0) {
                throw new IllegalArgumentException("Dataset '" + name + "': sample shape " + Arrays.toString(sampleShape)
                        + " must have positive dimensions");
            }
            size *= d;
        }
        if (size * labels.length != x.length) {
            throw new IllegalArgumentException("Dataset '" + name + "': " + x.length + " feature values do not hold "
                    + labels.length + " samples of shape " + Arrays.toString(sampleShape) + " (need " + size * labels.length + ")");
        }
        if (numClasses <= 0) {
            throw new IllegalArgumentException("Dataset '" + name + "': numClasses must be positive, got " + numClasses);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("Dataset '" + name + "': label " + labels[i] + " of sample " + i
                        + " is out of range [0, " + numClasses + ")");
            }
        }
        if (classNames != null && classNames.size() != numClasses) {
            throw new IllegalArgumentException("Dataset '" + name + "': " + classNames.size() + " class names for "
                    + numClasses + " classes");
        }
        this.name = name;
        this.x = x;
        this.sampleShape = sampleShape.clone();
        this.sampleSize = (int) size;
        this.labels = labels;
        this.numClasses = numClasses;
        List<String> names = new ArrayList<>(numClasses);
        for (int c = 0; c < numClasses; c++) {
            names.add(classNames == null ? Integer.toString(c) : classNames.get(c));
        }
        this.classNames = List.copyOf(names);
    }

    public String name() {
        return name;
    }

    /** Number of samples. */
    public int size() {
        return labels.length;
    }

    /** Shape of one sample, without the batch dimension. */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    /** Number of feature values per sample (product of the sample shape). */
    public int sampleSize() {
        return sampleSize;
    }

    public int numClasses() {
        return numClasses;
    }

    public List<String> classNames() {
        return classNames;
    }

    /** The backing feature array, sample after sample (no copy: do not modify). */
    public float[] rawFeatures() {
        return x;
    }

    /** Label of one sample. */
    public int label(int i) {
        return labels[i];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** The labels of the given samples, in the given order. */
    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = labels[checkIndex(indices[i])];
        }
        return out;
    }

    /** The features of the given samples as a float32 tensor {@code [B, ...sampleShape]} (a copy). */
    public Tensor features(int[] indices) {
        float[] out = new float[indices.length * sampleSize];
        gather(indices, out);
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = indices.length;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return Tensor.of(out, shape);
    }

    /** Copies the features of the given samples, one after another, into {@code out}. */
    public void gather(int[] indices, float[] out) {
        if (out.length < indices.length * sampleSize) {
            throw new IllegalArgumentException("Dataset.gather: buffer of " + out.length + " floats is too small for "
                    + indices.length + " samples of " + sampleSize);
        }
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(x, checkIndex(indices[i]) * sampleSize, out, i * sampleSize, sampleSize);
        }
    }

    /** Samples {@code [from, to)} as a new dataset (copied). */
    public Dataset subset(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException("Dataset.subset: range [" + from + ", " + to + ") is not within [0, " + size() + ")");
        }
        return new Dataset(name, Arrays.copyOfRange(x, from * sampleSize, to * sampleSize), sampleShape,
                Arrays.copyOfRange(labels, from, to), numClasses, classNames);
    }

    /** The given samples, in the given order (repeats allowed), as a new dataset. */
    public Dataset select(int[] indices) {
        float[] out = new float[indices.length * sampleSize];
        gather(indices, out);
        return new Dataset(name, out, sampleShape, labels(indices), numClasses, classNames);
    }

    /** The same samples and labels with other features (e.g. normalized or reshaped); no copy. */
    public Dataset withFeatures(float[] newX, int[] newSampleShape) {
        return new Dataset(name, newX, newSampleShape, labels, numClasses, classNames);
    }

    /** The same data under another name. */
    public Dataset named(String newName) {
        return new Dataset(newName, x, sampleShape, labels, numClasses, classNames);
    }

    /** Number of samples of each class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= labels.length) {
            throw new IndexOutOfBoundsException("Dataset '" + name + "': sample index " + i + " is out of range [0, " + labels.length + ")");
        }
        return i;
    }

    @Override
    public String toString() {
        return "Dataset '" + name + "': " + size() + " samples of shape " + Arrays.toString(sampleShape) + ", " + numClasses + " classes";
    }
}
