package org.autoinit.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.nn.Fans;
import org.autoinit.nn.init.Distribution;
import org.autoinit.nn.init.FanMode;
import org.autoinit.nn.init.VarianceScaling;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** AutoInit's own truncated-normal fill (a tight loop) draws exactly what the classic schemes' sampler draws. */
class WeightDistributionTest {
    @Test
    void truncatedNormalIsTheClassicSamplerBitForBit() {
        for (DType dt : DType.values()) {
            Tensor mine = Tensor.zeros(dt, 64, 3, 3, 3), classic = Tensor.zeros(dt, 64, 3, 3, 3);
            WeightDistribution.TRUNCATED_NORMAL.fill(mine, 0.037, new SplittableRandom(9));
            new VarianceScaling(0.037, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL).initialize(classic, new Fans(1, 1), new SplittableRandom(9));
            assertArrayEquals(classic.toDoubleArray(), mine.toDoubleArray(), 0.0, dt.toString());
        }
    }

    @Test
    void truncatedNormalHasTheRequestedVarianceAndBounds() {
        Tensor t = Tensor.zeros(DType.FLOAT64, 200_000);
        double var = 0.25;
        WeightDistribution.TRUNCATED_NORMAL.fill(t, var, new SplittableRandom(3));
        double[] x = t.toDoubleArray();
        double s = 0, q = 0, max = 0, bound = 2 * Math.sqrt(var) / 0.87962566103423978;
        for (double v : x) {
            s += v;
            q += v * v;
            max = Math.max(max, Math.abs(v));
        }
        double mean = s / x.length, v = q / x.length - mean * mean;
        // Truncated at 2 sigma_p: kurtosis ~2.6, SE(var) ~ var sqrt(1.6 / n).
        assertEquals(0, mean, 4 * Math.sqrt(var / x.length));
        assertEquals(var, v, 4 * var * Math.sqrt(1.6 / x.length));
        assertTrue(max <= bound, "max |w| " + max + " beyond the cut " + bound);
    }
}
