package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.testing.GradCheck;
import org.junit.jupiter.api.Test;

/** Embedding lookup: rows copied into the ids' shape, repeated ids scatter-add their gradients. */
class EmbeddingTest {

    @Test
    void forwardCopiesRowsIntoTheIdsShape() {
        for (DType dt : DType.values()) {
            Tensor w = Tensor.randn(new SplittableRandom(1), dt, 5, 3);
            int[] ids = {4, 0, 2, 2, 1, 4};
            Tensor out = Embedding.lookup(w, ids, 2, 3);
            assertArrayEquals(new int[] {2, 3, 3}, out.shape());
            assertEquals(dt, out.dtype());
            for (int i = 0; i < ids.length; i++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(w.get(ids[i], k), out.get(i / 3, i % 3, k), 0.0, dt + " id " + i + " dim " + k);
                }
            }
            assertArrayEquals(new int[] {6, 3}, Embedding.lookup(w, ids).shape(), "omitted ids shape means [ids.length]");
        }
    }

    @Test
    void repeatedIdsScatterAddTheirGradients() {
        Tensor w = Tensor.randn(new SplittableRandom(2), DType.FLOAT32, 6, 4).requiresGrad(true);
        int[] ids = {1, 3, 1, 1, 5};
        Tensor g = Tensor.randn(new SplittableRandom(3), DType.FLOAT32, 5, 4);
        Embedding.lookup(w, ids).backward(g, false);
        for (int v = 0; v < 6; v++) {
            for (int k = 0; k < 4; k++) {
                double want = 0;
                for (int i = 0; i < ids.length; i++) {
                    if (ids[i] == v) want += g.get(i, k);
                }
                assertEquals(want, w.grad().get(v, k), 1e-6, "row " + v + " dim " + k);
            }
        }
    }

    @Test
    void gradientCheck() {
        Tensor w = GradCheck.param(4, 5, 3).name("weight");
        int[] ids = {0, 4, 4, 2, 0, 0};
        GradCheck.check("embedding", in -> Embedding.lookup(in.get(0), ids, 3, 2), w);
    }

    @Test
    void errorsNameIdsAndShapes() {
        Tensor w = Tensor.zeros(DType.FLOAT32, 10, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Embedding.lookup(w, new int[] {1, 2, 3, 10}));
        assertEquals("embedding: id 10 at index 3 is out of range for 10 embeddings", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Embedding.lookup(w, new int[] {1, -2}));
        assertEquals("embedding: id -2 at index 1 is out of range for 10 embeddings", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Embedding.lookup(w, new int[] {1, 2, 3}, 2, 2));
        assertEquals("embedding: 3 ids do not fill ids shape [2, 2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Embedding.lookup(Tensor.zeros(DType.FLOAT32, 10), new int[] {1}));
        assertEquals("embedding: weight of shape [10] must have rank 2 (num_embeddings, dim)", e.getMessage());
    }
}
