package org.autoinit.nn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.testing.GradCheck;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {
    private final CrossEntropy ce = new CrossEntropy();

    @Test
    void forwardMatchesTheNaiveFormula() {
        for (DType dt : DType.values()) {
            Tensor x = Tensor.of(new double[] {1, 2, 3, -1, 0, 1000}, 2, 3).to(dt);
            int[] y = {0, 2};
            // row 0: log(e^1 + e^2 + e^3) - 1; row 1: the huge logit is the label -> ~0 (stable: no overflow)
            double row0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
            double row1 = Math.log(Math.exp(-1001) + Math.exp(-1000) + 1);
            assertEquals((row0 + row1) / 2, ce.compute(x, y).item(), dt == DType.FLOAT32 ? 1e-6 : 1e-14, dt.toString());
        }
    }

    @Test
    void gradientCheck() {
        Tensor x = GradCheck.param(3, 4, 5);
        int[] y = {4, 0, 2, 2};
        GradCheck.check("cross_entropy", in -> ce.compute(in.get(0), y), x);
        // softmax - onehot, over N, by hand for one row
        Tensor z = Tensor.of(new double[] {0, 0}, 1, 2).requiresGrad(true);
        ce.compute(z, new int[] {1}).backward();
        assertEquals(List.of(0.5, -0.5), List.of(z.grad().getFlat(0), z.grad().getFlat(1)));
    }

    @Test
    void errorsNameTheOpAndShapes() {
        var a = assertThrows(IllegalArgumentException.class, () -> ce.compute(Tensor.zeros(DType.FLOAT32, 2, 3, 4), new int[] {0, 1}));
        assertEquals("cross_entropy: logits of shape [2, 3, 4] must have rank 2 (N, C)", a.getMessage());
        var b = assertThrows(IllegalArgumentException.class, () -> ce.compute(Tensor.zeros(DType.FLOAT32, 2, 3), new int[] {0}));
        assertEquals("cross_entropy: 1 labels for logits of shape [2, 3]", b.getMessage());
        var c = assertThrows(IllegalArgumentException.class, () -> ce.compute(Tensor.zeros(DType.FLOAT32, 2, 3), new int[] {0, 3}));
        assertEquals("cross_entropy: label 3 at position 1 is outside [0, 3)", c.getMessage());
    }
}
