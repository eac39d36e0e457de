package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.testing.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Inverted dropout and channel dropout: masks, scaling, reproducibility, statistics, gradients. */
class DropoutTest {

    @Test
    void evalModeAndZeroPAreTheIdentityAndDrawNothing() {
        Tensor x = Tensor.randn(new SplittableRandom(1), DType.FLOAT32, 4, 5);
        SplittableRandom rng = new SplittableRandom(9);
        assertSame(x, Dropout.dropout(x, 0.5, false, rng));
        assertSame(x, Dropout.dropout(x, 0.0, true, rng));
        assertSame(x, Dropout.channelDropout(x, 0.5, false, rng));
        assertEquals(new SplittableRandom(9).nextLong(), rng.nextLong(), "no random numbers were consumed");
    }

    @ParameterizedTest(name = "p = {0}")
    @ValueSource(doubles = {0.1, 0.5, 0.9})
    void keptUnitsAreScaledAndDroppedAreZero(double p) {
        Tensor x = Tensor.randn(new SplittableRandom(2), DType.FLOAT64, 50, 40);
        Tensor y = Dropout.dropout(x, p, true, new SplittableRandom(3));
        // Replay the documented mask: one nextDouble() per element, kept when >= p.
        SplittableRandom replay = new SplittableRandom(3);
        for (int i = 0; i < x.numel(); i++) {
            boolean keep = replay.nextDouble() >= p;
            double want = keep ? x.getFlat(i) / (1 - p) : 0.0;
            assertEquals(want, y.getFlat(i), 1e-15 * Math.abs(want), "element " + i);
        }
    }

    @Test
    void sameSeedSameMaskDifferentSeedDifferentMask() {
        Tensor x = Tensor.ones(DType.FLOAT32, 1000);
        float[] a = Dropout.dropout(x, 0.3, true, new SplittableRandom(5)).toFloatArray();
        float[] b = Dropout.dropout(x, 0.3, true, new SplittableRandom(5)).toFloatArray();
        float[] c = Dropout.dropout(x, 0.3, true, new SplittableRandom(6)).toFloatArray();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    /** Fraction kept of 1e5 units ~ Binomial(n, 1 - p) / n: within 4 standard errors of 1 - p; mean preserved. */
    @ParameterizedTest(name = "p = {0}")
    @ValueSource(doubles = {0.2, 0.5, 0.8})
    void keptFractionIsOneMinusP(double p) {
        int n = 100_000;
        Tensor y = Dropout.dropout(Tensor.ones(DType.FLOAT32, n), p, true, new SplittableRandom(7));
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (y.getFlat(i) != 0) {
                kept++;
                assertEquals((float) (1 / (1 - p)), y.getFlat(i), 0.0);
            }
        }
        double se = Math.sqrt(p * (1 - p) / n);
        assertEquals(1 - p, kept / (double) n, 4 * se, "kept fraction for p = " + p);
    }

    @Test
    void gradientCheckWithAFixedMask() {
        Tensor x = GradCheck.param(8, 3, 7).name("x");
        GradCheck.check("dropout", in -> Dropout.dropout(in.get(0), 0.4, true, new SplittableRandom(11)), x);
        Tensor c = GradCheck.param(9, 2, 3, 2, 2).name("x");
        GradCheck.check("channel_dropout", in -> Dropout.channelDropout(in.get(0), 0.5, true, new SplittableRandom(12)), c);
    }

    @Test
    void gradientIsTheMaskTimesTheScale() {
        Tensor x = Tensor.randn(new SplittableRandom(13), DType.FLOAT32, 200).requiresGrad(true);
        Tensor y = Dropout.dropout(x, 0.25, true, new SplittableRandom(14));
        y.sum().backward();
        for (int i = 0; i < 200; i++) {
            double want = y.getFlat(i) == 0 ? 0 : (float) (1 / 0.75);
            assertEquals(want, x.grad().getFlat(i), 0.0, "element " + i);
        }
    }

    @Test
    void channelDropoutDropsWholeChannelsOnePerDraw() {
        int n = 200, c = 500, hw = 4;
        Tensor x = Tensor.ones(DType.FLOAT32, n, c, 2, 2);
        Tensor y = Dropout.channelDropout(x, 0.3, true, new SplittableRandom(15));
        SplittableRandom replay = new SplittableRandom(15);
        int kept = 0;
        for (int ch = 0; ch < n * c; ch++) {
            boolean keep = replay.nextDouble() >= 0.3;
            kept += keep ? 1 : 0;
            for (int k = 0; k < hw; k++) {
                assertEquals(keep ? (float) (1 / 0.7) : 0f, y.getFlat(ch * hw + k), 0.0, "channel " + ch);
            }
        }
        assertEquals(0.7, kept / (double) (n * c), 4 * Math.sqrt(0.3 * 0.7 / (n * c)));
    }

    @Test
    void pOfOneGivesZerosAndInvalidPIsRejected() {
        Tensor x = Tensor.randn(new SplittableRandom(16), DType.FLOAT64, 6).requiresGrad(true);
        Tensor y = Dropout.dropout(x, 1.0, true, new SplittableRandom(1));
        assertArrayEquals(new double[6], y.toDoubleArray(), 0.0);
        y.sum().backward();
        assertArrayEquals(new double[6], x.grad().toDoubleArray(), 0.0);
        for (double bad : new double[] {-0.1, 1.5, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Dropout.dropout(x, bad, true, new SplittableRandom(1)));
            assertEquals("dropout: probability has to be between 0 and 1, but got " + bad, e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Dropout.channelDropout(Tensor.zeros(DType.FLOAT32, 5), 0.5, true, new SplittableRandom(1)));
        assertEquals("channel_dropout: input of shape [5] must have rank >= 2 (N, C, ...)", e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Dropout.dropout(x, 2, false, null)).getMessage().contains("2.0"),
                "p is validated in eval mode too");
    }
}
