package org.autoinit.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class DatasetTest {
    /** 4 samples of shape [1, 1, 2]: sample i holds (10i, 10i + 1). */
    private static Dataset four() {
        return new Dataset("four", new float[] {0, 1, 10, 11, 20, 21, 30, 31}, new int[] {1, 1, 2}, new int[] {2, 0, 1, 2}, 3);
    }

    @Test
    void featuresGathersRowsIntoABatchTensor() {
        Tensor t = four().features(new int[] {3, 1});
        assertEquals(DType.FLOAT32, t.dtype());
        assertArrayEquals(new int[] {2, 1, 1, 2}, t.shape());
        assertArrayEquals(new float[] {30, 31, 10, 11}, t.floatData());
        assertArrayEquals(new int[] {2, 0}, four().labels(new int[] {3, 1}));
    }

    @Test
    void subsetAndSelectCopyTheRightSamples() {
        Dataset s = four().subset(1, 3);
        assertEquals(2, s.size());
        assertArrayEquals(new float[] {10, 11, 20, 21}, s.rawFeatures());
        assertArrayEquals(new int[] {0, 1}, s.labels());
        assertArrayEquals(new int[] {1, 1, 2}, four().classCounts());
        assertEquals(List.of("0", "1", "2"), four().classNames());
        var e = assertThrows(IllegalArgumentException.class, () -> four().subset(2, 5));
        assertEquals("Dataset.subset: range [2, 5) is not within [0, 4)", e.getMessage());
        var e2 = assertThrows(IndexOutOfBoundsException.class, () -> four().features(new int[] {4}));
        assertEquals("Dataset 'four': sample index 4 is out of range [0, 4)", e2.getMessage());
    }

    @Test
    void constructorValidatesShapesAndLabels() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("d", new float[5], new int[] {1, 2, 2}, new int[] {0}, 2));
        assertEquals("Dataset 'd': 5 feature values do not hold 1 samples of shape [1, 2, 2] (need 4)", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("d", new float[2], new int[] {1}, new int[] {0, 2}, 2));
        assertEquals("Dataset 'd': label 2 of sample 1 is out of range [0, 2)", e2.getMessage());
    }

    @Test
    void stratifiedSplitTakesTheFirstFractionOfEachClassInFileOrder() {
        // Labels: 0 1 0 0 1 0 0 1 1 1  -> class 0 at 0,2,3,5,6 (5), class 1 at 1,4,7,8,9 (5).
        int[] labels = {0, 1, 0, 0, 1, 0, 0, 1, 1, 1};
        float[] x = new float[10];
        for (int i = 0; i < 10; i++) {
            x[i] = i;
        }
        Split s = Split.stratified(new Dataset("d", x, new int[] {1}, labels, 2), 0.6);
        // floor(0.6 * 5) = 3 per class to train: class 0 -> 0,2,3; class 1 -> 1,4,7.
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 7}, s.train().rawFeatures());
        assertArrayEquals(new float[] {5, 6, 8, 9}, s.test().rawFeatures());
        assertArrayEquals(new int[] {0, 0, 1, 1}, s.test().labels());
    }
}
