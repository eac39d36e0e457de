package org.autoinit.tensor.ops;

import static org.autoinit.tensor.testing.GradCheck.check;
import static org.autoinit.tensor.testing.GradCheck.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.Test;

/**
 * {@link Linear#linearAdd}: float64 gradient checks (x, W, b, addend), forward against naive loops, the same bits as
 * {@code addend + linear(x, W, b)} (output and every gradient; float32 and float64; 1 and 3 threads), errors.
 */
class LinearAddTest {
    @Test
    void gradients() {
        check("linear_add [2, 3, 4] x [4, 5]", in -> Linear.linearAdd(in.get(0), in.get(1), in.get(2), in.get(3)),
                param(1, 2, 3, 4), param(2, 4, 5), param(3, 5), param(4, 2, 3, 5));
        check("linear_add without bias", in -> Linear.linearAdd(in.get(0), in.get(1), null, in.get(2)),
                param(5, 3, 4), param(6, 4, 2), param(7, 3, 2));
        // The addend also read directly: both contributions reach it.
        check("a * linear_add(x, W, b, a)", in -> in.get(3).mul(Linear.linearAdd(in.get(0), in.get(1), in.get(2), in.get(3))),
                param(8, 3, 4), param(9, 4, 4), param(10, 4), param(11, 3, 4));
    }

    @Test
    void forwardMatchesNaiveLoops() {
        Tensor x = param(12, 3, 4), w = param(13, 4, 2), b = param(14, 2), a = param(15, 3, 2);
        Tensor y = Linear.linearAdd(x, w, b, a);
        for (int r = 0; r < 3; r++) {
            for (int j = 0; j < 2; j++) {
                double s = b.getFlat(j) + a.getFlat(r * 2 + j);
                for (int k = 0; k < 4; k++) s += x.getFlat(r * 4 + k) * w.getFlat(k * 2 + j);
                assertEquals(s, y.getFlat(r * 2 + j), 1e-12, "row " + r + " column " + j);
            }
        }
    }

    @Test
    void sameBitsAsAddOfLinear() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    for (boolean bias : new boolean[] {true, false}) {
                        compare(dt + " bias=" + bias + " threads=" + threads, dt, bias);
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static void compare(String label, DType dt, boolean bias) {
        SplittableRandom r = new SplittableRandom(label.hashCode());
        Tensor x0 = Tensor.randn(r, DType.FLOAT64, 8, 50, 64).to(dt), w0 = Tensor.randn(r, DType.FLOAT64, 64, 96).to(dt);
        Tensor b0 = Tensor.randn(r, DType.FLOAT64, 96).to(dt), a0 = Tensor.randn(r, DType.FLOAT64, 8, 50, 96).to(dt);
        Tensor up = Tensor.randn(r, DType.FLOAT64, 8, 50, 96).to(dt);
        long[][][] res = new long[2][][];
        for (int fused = 0; fused < 2; fused++) {
            Tensor x = x0.copy().requiresGrad(true), w = w0.copy().requiresGrad(true), b = bias ? b0.copy().requiresGrad(true) : null;
            Tensor a = a0.copy().requiresGrad(true);
            // As a transformer block's residual join: Add(stream, projection).
            Tensor y = fused == 1 ? Linear.linearAdd(x, w, b, a) : a.add(Linear.linear(x, w, b));
            y.backward(up, false);
            res[fused] = new long[][] {bits(y), bits(x.grad()), bits(w.grad()), bias ? bits(b.grad()) : new long[0], bits(a.grad())};
        }
        String[] what = {"output", "dx", "dW", "db", "daddend"};
        for (int i = 0; i < what.length; i++) {
            assertArrayEquals(res[0][i], res[1][i], label + ": " + what[i]);
        }
    }

    private static long[] bits(Tensor t) {
        long[] out = new long[t.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.dtype() == DType.FLOAT32 ? Float.floatToRawIntBits(t.floatData()[i]) : Double.doubleToRawLongBits(t.getFlat(i));
        }
        return out;
    }

    @Test
    void addendMustMatchTheOutput() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 3, 4), w = Tensor.zeros(DType.FLOAT32, 4, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Linear.linearAdd(x, w, null, Tensor.zeros(DType.FLOAT32, 3, 4)));
        assertEquals("linear_add: addend float32 [3, 4] must have the output's shape and dtype, float32 [3, 2]", e.getMessage());
    }
}
