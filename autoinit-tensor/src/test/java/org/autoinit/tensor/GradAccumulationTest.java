package org.autoinit.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.autoinit.tensor.ops.Activations;
import org.junit.jupiter.api.Test;

/**
 * Gradient accumulation when an intermediate first receives a gradient that shares another tensor's storage (add
 * passes its upstream through) and then a freshly allocated one (accumulateGradOwned): the sum is right, bit for
 * bit, and the shared storage (here the caller's upstream) is left untouched.
 */
class GradAccumulationTest {
    @Test
    void sharedThenOwnedContributionSumsWithoutTouchingTheSharedStorage() {
        SplittableRandom r = new SplittableRandom(7);
        for (DType dt : DType.values()) {
            Tensor x = Tensor.randn(r, dt, 3, 5).requiresGrad(true);
            Tensor h = x.mul(2.0);                     // intermediate: its gradient is not retained
            Tensor out = h.add(Activations.relu(h));   // h gets g (shared via add), then g * [h > 0] (owned, from relu)
            Tensor up = Tensor.randn(r, dt, 3, 5);
            Tensor upBefore = up.copy();
            out.backward(up, false);
            for (int i = 0; i < 15; i++) {
                assertEquals(upBefore.getFlat(i), up.getFlat(i), 0.0, "upstream must not be modified");
                double g = up.getFlat(i), mask = h.getFlat(i) > 0 ? 1 : 0;
                double want = dt == DType.FLOAT32 ? 2f * (float) ((float) g + (float) (g * mask)) : 2 * (g + g * mask);
                assertEquals(want, x.grad().getFlat(i), 0.0, dt + " element " + i);
            }
        }
    }

    @Test
    void retainedIntermediateGradientsStayCorrect() {
        Tensor x = Tensor.of(new double[] {-1, 2, -3, 4}, 4).requiresGrad(true);
        Tensor h = x.mul(3.0).retainGrad();
        Tensor out = h.add(Activations.relu(h));
        out.backward(Tensor.of(new double[] {1, 1, 1, 1}, 4), false);
        assertArrayEquals(new double[] {1, 2, 1, 2}, h.grad().doubleData(), 0.0);
        assertArrayEquals(new double[] {3, 6, 3, 6}, x.grad().doubleData(), 0.0);
    }
}
