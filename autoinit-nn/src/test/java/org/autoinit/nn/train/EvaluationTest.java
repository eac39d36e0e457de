package org.autoinit.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    @Test
    void statsMatchAHandCountedConfusionMatrix() {
        Evaluation ev = new Evaluation(4);
        // First batch as logits (argmax per row), second as predicted classes.
        float[] logits = {
            5, 1, 0, 0,   // label 0 -> 0
            0, 3, 1, 0,   // label 0 -> 1
            2, 2, 1, 0,   // label 0 -> 0 (tie: first index)
            0, 1, 0, 0,   // label 1 -> 1
        };
        ev.add(Tensor.of(logits, 4, 4), new int[] {0, 0, 0, 1});
        ev.add(new int[] {2, 2, 2, 0, 2, 1, 0}, new int[] {1, 2, 2, 2, 2, 1, 1});
        // rows = label, columns = predicted; class 3 never appears.
        long[][] want = {{2, 1, 0, 0}, {1, 2, 1, 0}, {1, 0, 3, 0}, {0, 0, 0, 0}};
        EvaluationStats s = ev.stats();
        for (int i = 0; i < 4; i++) assertArrayEquals(want[i], s.confusion()[i], "row " + i);
        assertEquals(11, s.count());
        assertEquals(7.0 / 11, s.accuracy(), 1e-15);
        assertArrayEquals(new double[] {2.0 / 4, 2.0 / 3, 3.0 / 4, 0}, s.precision(), 1e-15);
        assertArrayEquals(new double[] {2.0 / 3, 2.0 / 4, 3.0 / 4, 0}, s.recall(), 1e-15);
        assertArrayEquals(new double[] {4.0 / 7, 4.0 / 7, 3.0 / 4, 0}, s.f1(), 1e-15);
        assertEquals((4.0 / 7 + 4.0 / 7 + 3.0 / 4) / 4, s.macroF1(), 1e-15);

        String text = s.render(new String[] {"cat", "dog", "bird", "fish"});
        assertTrue(text.startsWith("accuracy 0.6364 (11 examples), macro F1 0.4732\n"), text);
        assertTrue(text.contains("dog       0.6667     0.5000     0.5714          4\n"), text);
        assertTrue(text.contains("bird       1      0      3      0\n"), text);
    }

    @Test
    void emptyAndInvalidInput() {
        Evaluation ev = new Evaluation(3);
        assertTrue(Double.isNaN(ev.stats().accuracy()));
        var e = assertThrows(IllegalArgumentException.class, () -> ev.add(new int[] {0, 3}, new int[] {0, 1}));
        assertEquals("Evaluation.add: prediction 3 at position 1 is outside [0, 3)", e.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> ev.add(Tensor.of(new float[4], 2, 2), new int[] {0, 1}));
        assertEquals("Evaluation.add: logits of shape [2, 2] must be [N, 3]", s.getMessage());
        assertEquals(0, ev.count(), "a rejected batch adds nothing");
    }
}
