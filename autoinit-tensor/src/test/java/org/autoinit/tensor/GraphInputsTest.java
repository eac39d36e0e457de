package org.autoinit.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link Tensor#inputs()} walks the recorded graph, also past ops recorded with an absent optional input. */
class GraphInputsTest {
    @Test
    void absentOptionalInputsAreLeftOutInsteadOfFailing() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor w = Tensor.of(new double[] {3, 4}, 2);
        Tensor out = Tensor.record("scale", x.copy(), g -> x.accumulateGrad(g), x, null, w);
        List<Tensor> ins = out.inputs();
        assertEquals(2, ins.size(), "the null (absent bias) is left out");
        assertSame(x, ins.get(0));
        assertSame(w, ins.get(1));
        assertTrue(x.inputs().isEmpty(), "a leaf has no inputs");
    }
}
