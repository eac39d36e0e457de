package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;
import org.junit.jupiter.api.Test;

/** Forward values against naive loops, autodiff semantics, and error messages. */
class CoreOpsForwardTest {

    @Test
    void broadcastAddGradientsSumOverBroadcastDims() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 3, 1).requiresGrad(true);
        Tensor y = Tensor.zeros(DType.FLOAT64, 1, 4).requiresGrad(true);
        x.add(y).sum().backward();
        assertArrayEquals(new double[] {4, 4, 4}, x.grad().toDoubleArray());
        assertArrayEquals(new double[] {3, 3, 3, 3}, y.grad().toDoubleArray());
    }

    @Test
    void reusedNodeAccumulates() {
        Tensor x = Tensor.of(new double[] {1.5, -2}, 2).requiresGrad(true);
        x.mul(x).sum().backward();
        assertArrayEquals(new double[] {3, -4}, x.grad().toDoubleArray());
        x.mul(x).sum().backward(); // gradients accumulate across backward calls
        assertArrayEquals(new double[] {6, -8}, x.grad().toDoubleArray());
    }

    @Test
    void matmulMatchesNaiveLoopsInBothDTypes() {
        SplittableRandom r = new SplittableRandom(3);
        int m = 37, k = 53, n = 29;
        for (DType dt : DType.values()) {
            Tensor a = Tensor.randn(r, dt, 2, m, k), b = Tensor.randn(r, dt, k, n);
            Tensor c = a.matmul(b);
            for (int bi = 0; bi < 2; bi++)
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) s += a.get(bi, i, p) * b.get(p, j);
                        assertEquals(s, c.get(bi, i, j), dt == DType.FLOAT32 ? 1e-4 : 1e-10, dt + " at " + bi + "," + i + "," + j);
                    }
        }
    }

    @Test
    void matmulShapeErrorNamesBothShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(DType.FLOAT32, 32, 784).matmul(Tensor.zeros(DType.FLOAT32, 256, 10)));
        assertEquals("matmul: shapes (32x784) and (256x10) cannot be multiplied", e.getMessage());
    }

    @Test
    void broadcastErrorNamesOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(DType.FLOAT32, 2, 3).add(Tensor.zeros(DType.FLOAT32, 4)));
        assertEquals("add: shapes [2, 3] and [4] cannot be broadcast (size 3 vs 4 at dimension 1)", e.getMessage());
    }

    @Test
    void reductionsMatchLoops() {
        Tensor x = Tensor.randn(new SplittableRandom(5), DType.FLOAT64, 3, 4, 5);
        Tensor s = x.sum(false, 0, 2);
        Tensor mx = x.max(false, 1);
        for (int j = 0; j < 4; j++) {
            double acc = 0;
            for (int i = 0; i < 3; i++) for (int k = 0; k < 5; k++) acc += x.get(i, j, k);
            assertEquals(acc, s.get(j), 1e-12);
        }
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 5; k++) {
                double best = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < 4; j++) best = Math.max(best, x.get(i, j, k));
                assertEquals(best, mx.get(i, k), 0);
            }
        Tensor am = x.argmax(1);
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 5; k++) assertEquals(mx.get(i, k), x.get(i, (int) am.get(i, k), k), 0);
    }

    @Test
    void noGradScopeRecordsNothing() {
        Tensor x = Tensor.ones(DType.FLOAT32, 2).requiresGrad(true);
        Tensor y;
        try (var s = GradMode.noGrad()) {
            y = x.mul(x);
        }
        assertEquals(false, y.requiresGrad());
        assertEquals(true, x.mul(x).requiresGrad());
    }

    @Test
    void graphReleasedAfterBackwardUnlessRetained() {
        Tensor x = Tensor.ones(DType.FLOAT64, 2).requiresGrad(true);
        Tensor y = x.mul(x).sum();
        y.backward(Tensor.ones(DType.FLOAT64), true);
        y.backward(Tensor.ones(DType.FLOAT64), false);
        assertArrayEquals(new double[] {4, 4}, x.grad().toDoubleArray());
        y.backward(Tensor.ones(DType.FLOAT64), false); // graph gone: only the root gets a gradient now
        assertArrayEquals(new double[] {4, 4}, x.grad().toDoubleArray());
    }

    @Test
    void detachCutsTheGraph() {
        Tensor x = Tensor.ones(DType.FLOAT64, 2).requiresGrad(true);
        Tensor y = x.mul(x).detach();
        assertEquals(false, y.requiresGrad());
    }

    @Test
    void whereNeverLeaksTheOtherBranch() {
        Tensor a = Tensor.of(new float[] {1, Float.NaN}, 2);
        Tensor b = Tensor.of(new float[] {Float.POSITIVE_INFINITY, 5}, 2);
        Tensor w = Elementwise.where(Tensor.of(new float[] {1, 0}, 2), a, b);
        assertArrayEquals(new float[] {1, 5}, w.toFloatArray());
    }
}
