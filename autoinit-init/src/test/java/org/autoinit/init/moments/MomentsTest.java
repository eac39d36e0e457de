package org.autoinit.init.moments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MomentsTest {

    @Test
    void varianceAndFactories() {
        Moments m = Moments.of(2.0, 0.25);
        assertEquals(4.25, m.secondMoment(), 0.0);
        assertEquals(0.25, m.variance(), 0.0);
        assertEquals(0.5, m.std(), 0.0);
        assertEquals(new Moments(0, 1), Moments.standard());
    }

    @Test
    void shiftByAConstantKeepsTheVariance() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] x = new double[100_000];
        for (int i = 0; i < x.length; i++) x[i] = 0.8 + 1.5 * rng.nextGaussian() - 0.3;
        Moments m = Moments.of(0.8, 2.25).shift(-0.3);
        assertEquals(0.5, m.mean(), 1e-15);
        assertEquals(2.25, m.variance(), 1e-14);
        SampleStats.assertMatches("x - 0.3", m, x);
    }

    @Test
    void roundingBelowMeanSquaredIsClampedToZeroVariance() {
        double mean = 0.1;
        Moments m = new Moments(mean, mean * mean * (1 - 1e-12));
        assertEquals(0.0, m.variance(), 0.0);
    }

    @Test
    void invalidMomentsAreRejectedWithTheValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Moments(1.0, 0.5));
        assertEquals("Moments: second moment 0.5 is below mean^2 = 1.0 (mean 1.0); a variance cannot be negative", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Moments(Double.NaN, 1));
        assertEquals("Moments: mean and second moment must be finite, got mean=NaN, secondMoment=1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Moments(0, Double.POSITIVE_INFINITY));
        assertEquals("Moments: mean and second moment must be finite, got mean=0.0, secondMoment=Infinity", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Moments.of(0, -1));
        assertEquals("Moments.of: variance must be finite and >= 0, got -1.0 (mean 0.0)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Moments(1e200, 1e300), "mean^2 overflows past the second moment");
    }
}
