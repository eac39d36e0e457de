package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.testing.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Softmax and log-softmax along every axis, against a naive loop over multi-indices. */
class SoftmaxTest {

    /** softmax of x [2, 3, 4] along {@code axis}, by the definition e^x / sum e^x (moderate inputs only). */
    private static double[] naiveSoftmax(Tensor x, int axis) {
        int[] s = x.shape();
        double[] out = new double[x.numel()];
        for (int a = 0; a < s[0]; a++) {
            for (int b = 0; b < s[1]; b++) {
                for (int c = 0; c < s[2]; c++) {
                    int[] idx = {a, b, c};
                    double sum = 0;
                    for (int k = 0; k < s[axis]; k++) {
                        int[] j = idx.clone();
                        j[axis] = k;
                        sum += Math.exp(x.get(j));
                    }
                    out[(a * s[1] + b) * s[2] + c] = Math.exp(x.get(idx)) / sum;
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {0, 1, 2, -1, -3})
    void forwardMatchesNaiveAlongEveryAxis(int axis) {
        Tensor x = Tensor.randn(new SplittableRandom(1), DType.FLOAT64, 2, 3, 4);
        double[] want = naiveSoftmax(x, Math.floorMod(axis, 3));
        Tensor y = Softmax.softmax(x, axis), ly = Softmax.logSoftmax(x, axis);
        Tensor y32 = Softmax.softmax(x.to(DType.FLOAT32), axis), ly32 = Softmax.logSoftmax(x.to(DType.FLOAT32), axis);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], y.getFlat(i), 1e-15, "softmax axis " + axis + " at " + i);
            assertEquals(Math.log(want[i]), ly.getFlat(i), 1e-14, "log_softmax axis " + axis + " at " + i);
            assertEquals(want[i], y32.getFlat(i), 1e-7, "float32 softmax axis " + axis + " at " + i);
            assertEquals(Math.log(want[i]), ly32.getFlat(i), 1e-6, "float32 log_softmax axis " + axis + " at " + i);
        }
        assertEquals(DType.FLOAT32, y32.dtype());
    }

    @ParameterizedTest(name = "axis {0}")
    @ValueSource(ints = {0, 1, 2})
    void gradientCheck(int axis) {
        Tensor x = GradCheck.param(2, 2, 3, 4).name("x");
        GradCheck.check("softmax axis " + axis, in -> Softmax.softmax(in.get(0), axis), x);
        GradCheck.check("log_softmax axis " + axis, in -> Softmax.logSoftmax(in.get(0), axis), x);
    }

    @Test
    void hugeLogitsStayFinite() {
        Tensor x = Tensor.of(new double[] {1000, 0, -1000, 1000, 1000, 999}, 2, 3).requiresGrad(true);
        Tensor y = Softmax.softmax(x, 1), ly = Softmax.logSoftmax(x, 1);
        double[] wantLog = {0, -1000, -2000, -Math.log(2 + Math.exp(-1)), -Math.log(2 + Math.exp(-1)), -1 - Math.log(2 + Math.exp(-1))};
        for (int i = 0; i < 6; i++) {
            assertEquals(Math.exp(wantLog[i]), y.getFlat(i), 1e-15, "softmax at " + i);
            assertEquals(wantLog[i], ly.getFlat(i), 1e-12, "log_softmax at " + i);
        }
        ly.sum().backward();
        for (int i = 0; i < 6; i++) assertTrue(Double.isFinite(x.grad().getFlat(i)), "finite gradient at " + i);
        Tensor f32 = Softmax.logSoftmax(Tensor.of(new float[] {1e30f, 0f}, 2), 0);
        assertEquals(-1e30f, f32.getFlat(1), 1e23);
    }

    /** Enough lines to be split over threads; each row must still sum to one and match the naive formula. */
    @Test
    void largeFloat32InputTakesTheParallelPath() {
        int rows = 2048, cols = 64;
        Tensor x = Tensor.randn(new SplittableRandom(3), DType.FLOAT32, rows, cols);
        Tensor y = Softmax.softmax(x, 1);
        for (int r = 0; r < rows; r++) {
            double sum = 0, denom = 0;
            for (int c = 0; c < cols; c++) denom += Math.exp(x.get(r, c));
            for (int c = 0; c < cols; c++) {
                sum += y.get(r, c);
                assertEquals(Math.exp(x.get(r, c)) / denom, y.get(r, c), 1e-7, "row " + r + " col " + c);
            }
            assertEquals(1.0, sum, 1e-5, "row " + r);
        }
    }

    @Test
    void rejectsScalarsAndBadAxes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Softmax.softmax(Tensor.zeros(DType.FLOAT32, 2, 3), 2));
        assertEquals("softmax: dimension 2 out of range for a tensor of rank 2 (expected in [-2, 1])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Softmax.logSoftmax(Tensor.scalar(1, DType.FLOAT64), 0));
        assertEquals("log_softmax: input is a scalar (shape []); it needs at least one dimension", e.getMessage());
    }
}
