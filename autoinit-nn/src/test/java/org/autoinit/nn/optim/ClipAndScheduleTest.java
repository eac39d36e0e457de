package org.autoinit.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ClipAndScheduleTest {

    private static Tensor withGrad(double[] value, double[] grad) {
        Tensor p = Tensor.of(value.clone(), value.length).requiresGrad(true);
        if (grad != null) p.accumulateGrad(Tensor.of(grad.clone(), grad.length));
        return p;
    }

    @Test
    void clipScalesByMaxNormOverNormPlusEpsAndReturnsTheNorm() {
        Tensor a = withGrad(new double[] {0, 0}, new double[] {3, 4});
        Tensor b = withGrad(new double[] {0}, new double[] {12});
        Tensor none = withGrad(new double[] {0}, null);
        double norm = GradClip.clipGradNorm(List.of(a, b, none), 6.5);
        assertEquals(13.0, norm, 0); // sqrt(9 + 16 + 144)
        double coef = 6.5 / (13.0 + 1e-6);
        assertArrayEquals(new double[] {3 * coef, 4 * coef}, a.grad().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {12 * coef}, b.grad().toDoubleArray(), 1e-15);
        assertEquals(6.5, GradClip.globalNorm(List.of(a, b)), 1e-6);
    }

    @Test
    void clipLeavesSmallGradientsAndNonFiniteNormsAlone() {
        Tensor a = withGrad(new double[] {0, 0}, new double[] {3, 4});
        assertEquals(5.0, GradClip.clipGradNorm(List.of(a), 100), 0);
        assertArrayEquals(new double[] {3, 4}, a.grad().toDoubleArray(), 0);
        Tensor bad = withGrad(new double[] {0, 0}, new double[] {Double.NaN, 4});
        assertTrue(Double.isNaN(GradClip.clipGradNorm(List.of(a, bad), 1)));
        assertArrayEquals(new double[] {3, 4}, a.grad().toDoubleArray(), 0);
        Tensor f = Tensor.zeros(DType.FLOAT32, 2).requiresGrad(true);
        f.accumulateGrad(Tensor.of(new float[] {3, 4}, 2));
        assertEquals(5.0, GradClip.globalNorm(List.of(f)), 0);
        assertThrows(IllegalArgumentException.class, () -> GradClip.clipGradNorm(List.of(a), 0));
    }

    @Test
    void schedulesAtSpecificSteps() {
        LrSchedule c = LrSchedule.constant(0.3);
        assertEquals(0.3, c.lr(0), 0);
        assertEquals(0.3, c.lr(1_000_000), 0);

        LrSchedule s = LrSchedule.step(0.1, 10, 0.5);
        assertEquals(0.1, s.lr(0), 0);
        assertEquals(0.1, s.lr(9), 0);
        assertEquals(0.05, s.lr(10), 0);
        assertEquals(0.025, s.lr(25), 1e-17);

        LrSchedule w = LrSchedule.warmupCosine(1.0, 4, 12);
        assertEquals(0.25, w.lr(0), 0);
        assertEquals(0.5, w.lr(1), 0);
        assertEquals(1.0, w.lr(3), 0);
        assertEquals(1.0, w.lr(4), 0);              // cos(0)
        assertEquals(0.5, w.lr(8), 1e-15);          // cos(pi/2)
        assertEquals(0.03806023374435663, w.lr(11), 1e-15); // (1 + cos(7pi/8)) / 2
        assertEquals(0.0, w.lr(12), 0);
        assertEquals(0.0, w.lr(100), 0);

        var e = assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(1.0, 5, 5));
        assertEquals("warmupCosine: need 0 <= warmup steps < total steps, got 5 and 5", e.getMessage());
    }
}
