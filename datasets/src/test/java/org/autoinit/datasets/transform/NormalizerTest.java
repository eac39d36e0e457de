package org.autoinit.datasets.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.autoinit.datasets.Dataset;
import org.junit.jupiter.api.Test;

class NormalizerTest {
    @Test
    void statisticsMatchHandComputationPerChannel() {
        // 2 samples of [2 channels, 2 pixels]: channel 0 values 1,3,5,7; channel 1 values 10,10,20,20.
        float[] x = {1, 3, 10, 10, 5, 7, 20, 20};
        Dataset train = new Dataset("t", x, new int[] {2, 1, 2}, new int[] {0, 1}, 2);
        Normalizer n = Normalizer.fit(train);
        // Channel 0: mean 4, population variance ((9 + 1 + 1 + 9) / 4) = 5. Channel 1: mean 15, variance 25.
        assertArrayEquals(new double[] {4, 15}, n.mean(), 1e-12);
        assertArrayEquals(new double[] {Math.sqrt(5), 5}, n.std(), 1e-12);
        Dataset z = n.apply(train);
        double s5 = Math.sqrt(5);
        float[] expect = {(float) (-3 / s5), (float) (-1 / s5), -1, -1, (float) (1 / s5), (float) (3 / s5), 1, 1};
        assertArrayEquals(expect, z.rawFeatures(), 1e-6f);
        assertEquals(1f, x[0], "the input dataset is not modified");
    }

    @Test
    void testSplitUsesTrainStatistics() {
        Dataset train = new Dataset("train", new float[] {0, 2}, new int[] {1}, new int[] {0, 0}, 1);
        Dataset test = new Dataset("test", new float[] {4}, new int[] {1}, new int[] {0}, 1);
        Normalizer n = Normalizer.fit(train); // mean 1, std 1
        assertArrayEquals(new float[] {3}, n.apply(test).rawFeatures());
    }

    @Test
    void constantChannelIsCentredNotDividedByZero() {
        Dataset d = new Dataset("c", new float[] {7, 7, 7}, new int[] {1}, new int[] {0, 0, 0}, 1);
        Normalizer n = Normalizer.fit(d);
        assertArrayEquals(new float[] {0, 0, 0}, n.apply(d).rawFeatures());
    }

    @Test
    void tabularFeaturesAreStandardizedIndependently() {
        // Samples of shape [3]: each feature is its own channel.
        float[] x = {1, 100, 0, 3, 300, 0};
        Normalizer n = Normalizer.fit(new Dataset("tab", x, new int[] {3}, new int[] {0, 0}, 1));
        assertArrayEquals(new double[] {2, 200, 0}, n.mean(), 1e-12);
        assertArrayEquals(new double[] {1, 100, 0}, n.std(), 1e-12);
    }

    @Test
    void channelCountMismatchIsReported() {
        Normalizer n = new Normalizer(new double[] {0, 0, 0}, new double[] {1, 1, 1});
        var e = assertThrows(IllegalArgumentException.class, () -> n.apply(new float[784], 1, new int[] {784}, null));
        assertEquals("Normalizer: fitted for 3 channels but samples of shape [784] have 784", e.getMessage());
    }
}
