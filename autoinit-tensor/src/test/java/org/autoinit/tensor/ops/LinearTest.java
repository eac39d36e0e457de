package org.autoinit.tensor.ops;

import static org.autoinit.tensor.testing.GradCheck.check;
import static org.autoinit.tensor.testing.GradCheck.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.Test;

/** The fused {@code x W + b}: naive loops, float64 gradient checks, and the same bits as matmul + add in float32. */
class LinearTest {

    @Test
    void forwardMatchesNaiveLoops() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            SplittableRandom r = new SplittableRandom(1);
            Tensor x = Tensor.randn(r, dt, 2, 3, 4), w = Tensor.randn(r, dt, 4, 5), b = Tensor.randn(r, dt, 5);
            Tensor y = Linear.linear(x, w, b), y0 = Linear.linear(x, w, null);
            assertArrayEquals(new int[] {2, 3, 5}, y.shape());
            assertEquals(dt, y.dtype());
            double tol = dt == DType.FLOAT64 ? 1e-12 : 1e-5;
            for (int i = 0; i < 6; i++) {
                for (int j = 0; j < 5; j++) {
                    double s = 0;
                    for (int p = 0; p < 4; p++) s += x.getFlat(i * 4 + p) * w.getFlat(p * 5 + j);
                    assertEquals(s + b.getFlat(j), y.getFlat(i * 5 + j), tol, dt + " y[" + i + "," + j + "]");
                    assertEquals(s, y0.getFlat(i * 5 + j), tol, dt + " no bias y[" + i + "," + j + "]");
                }
            }
        }
    }

    @Test
    void gradientsFloat64() {
        check("linear 3x4 @ 4x5 + b", in -> Linear.linear(in.get(0), in.get(1), in.get(2)), param(1, 3, 4), param(2, 4, 5), param(3, 5));
        check("linear rank 3, no bias", in -> Linear.linear(in.get(0), in.get(1), null), param(4, 2, 3, 4), param(5, 4, 2));
        check("linear vector input", in -> Linear.linear(in.get(0), in.get(1), in.get(2)), param(6, 4), param(7, 4, 3), param(8, 3));
        check("linear one unit", in -> Linear.linear(in.get(0), in.get(1), in.get(2)), param(9, 5, 3), param(10, 3, 1), param(11, 1));
    }

    @Test
    void float32IsMatmulPlusBiasBitForBitOnOneAndTwoThreads() {
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                SplittableRandom r = new SplittableRandom(2);
                // 600 x 100 outputs: the bias loops and the column sums are split over the threads.
                Tensor xv = Tensor.randn(r, DType.FLOAT32, 2, 300, 24), wv = Tensor.randn(r, DType.FLOAT32, 24, 100);
                Tensor bv = Tensor.randn(r, DType.FLOAT32, 100), g = Tensor.randn(r, DType.FLOAT32, 2, 300, 100);

                Tensor x1 = xv.copy().requiresGrad(true), w1 = wv.copy().requiresGrad(true), b1 = bv.copy().requiresGrad(true);
                Tensor y1 = Linear.linear(x1, w1, b1);
                y1.backward(g, false);

                Tensor x2 = xv.copy().requiresGrad(true), w2 = wv.copy().requiresGrad(true), b2 = bv.copy().requiresGrad(true);
                Tensor y2 = x2.reshape(-1, 24).matmul(w2).add(b2).reshape(2, 300, 100);
                y2.backward(g, false);

                assertBits(y2, y1, "y, " + threads + " threads");
                assertBits(x2.grad(), x1.grad(), "dx, " + threads + " threads");
                assertBits(w2.grad(), w1.grad(), "dW, " + threads + " threads");
                assertBits(b2.grad(), b1.grad(), "db, " + threads + " threads");
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void errorsNameTheOpAndShapes() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Linear.linear(x, Tensor.zeros(DType.FLOAT32, 4, 5), null));
        assertTrue(e.getMessage().startsWith("linear: input of shape [2, 3] must end in the weight's 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Linear.linear(x, Tensor.zeros(DType.FLOAT32, 3), null));
        assertTrue(e.getMessage().startsWith("linear: weight of shape [3] must have rank 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Linear.linear(x, Tensor.zeros(DType.FLOAT32, 3, 5), Tensor.zeros(DType.FLOAT32, 4)));
        assertTrue(e.getMessage().startsWith("linear: bias of shape [4] must be [5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Linear.linear(x, Tensor.zeros(DType.FLOAT64, 3, 5), null));
        assertTrue(e.getMessage().startsWith("linear"), e.getMessage());
    }

    private static void assertBits(Tensor want, Tensor got, String what) {
        assertArrayEquals(want.shape(), got.shape(), what);
        float[] a = want.floatData(), b = got.floatData();
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToIntBits(a[i]), Float.floatToIntBits(b[i]), what + " at " + i);
        }
    }
}
