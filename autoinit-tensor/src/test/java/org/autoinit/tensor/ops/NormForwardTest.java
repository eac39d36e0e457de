package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Norm forward values against naive loops written here, running-stat updates, and error messages. */
class NormForwardTest {
    private static final double EPS = 1e-5;

    private static double tol(DType dt) {
        return dt == DType.FLOAT32 ? 2e-5 : 1e-12;
    }

    private static Tensor randn(long seed, DType dt, int... shape) {
        // Offset and spread so the statistics are not already ~(0, 1).
        Tensor t = Tensor.randn(new SplittableRandom(seed), dt, shape);
        for (int i = 0; i < t.numel(); i++) t.setFlat(i, 3.0 + 2.5 * t.getFlat(i));
        return t;
    }

    /** Naive normalization of rows of length {@code len}; affine index of element e of row r is aff(r, e). */
    private interface Affine {
        int index(int row, int e);
    }

    private static double[] naiveRows(Tensor x, int len, Tensor gamma, Tensor beta, Affine aff) {
        double[] out = new double[x.numel()];
        for (int r = 0; r < x.numel() / len; r++) {
            double m = 0, v = 0;
            for (int e = 0; e < len; e++) m += x.getFlat(r * len + e);
            m /= len;
            for (int e = 0; e < len; e++) v += Math.pow(x.getFlat(r * len + e) - m, 2);
            v /= len;
            for (int e = 0; e < len; e++) {
                int a = aff.index(r, e);
                double y = (x.getFlat(r * len + e) - m) / Math.sqrt(v + EPS);
                out[r * len + e] = y * (gamma == null ? 1 : gamma.getFlat(a)) + (beta == null ? 0 : beta.getFlat(a));
            }
        }
        return out;
    }

    private static void assertClose(double[] want, Tensor got, double tol, String what) {
        assertEquals(want.length, got.numel(), what + ": size");
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got.getFlat(i), tol * (1 + Math.abs(want[i])), what + " at flat index " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void layerNormMatchesLoops(DType dt) {
        Tensor x = randn(1, dt, 3, 4, 5);
        Tensor g1 = randn(2, dt, 5), b1 = randn(3, dt, 5);
        assertClose(naiveRows(x, 5, g1, b1, (r, e) -> e), Norm.layerNorm(x, 1, g1, b1, EPS), tol(dt), dt + " dims=1");
        Tensor g2 = randn(4, dt, 4, 5), b2 = randn(5, dt, 4, 5);
        assertClose(naiveRows(x, 20, g2, b2, (r, e) -> e), Norm.layerNorm(x, 2, g2, b2, EPS), tol(dt), dt + " dims=2");
        assertClose(naiveRows(x, 60, null, null, (r, e) -> 0), Norm.layerNorm(x, 3, null, null, EPS), tol(dt), dt + " dims=3 no affine");
        // A large input takes the multi-threaded path.
        Tensor big = randn(6, dt, 600, 256);
        assertClose(naiveRows(big, 256, null, null, (r, e) -> 0), Norm.layerNorm(big, 1, null, null, EPS), tol(dt), dt + " large");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void groupNormMatchesLoops(DType dt) {
        int n = 2, c = 6, hw = 4;
        Tensor x = randn(7, dt, n, c, 2, 2);
        Tensor g = randn(8, dt, c), b = randn(9, dt, c);
        for (int groups : new int[] {1, 2, 3, 6}) {
            int cg = c / groups;
            // Rows are (sample, group) pairs; element e of a row belongs to channel group*cg + e/hw.
            double[] want = naiveRows(x, cg * hw, g, b, (r, e) -> (r % groups) * cg + e / hw);
            assertClose(want, Norm.groupNorm(x, groups, g, b, EPS), tol(dt), dt + " groups=" + groups);
        }
        Tensor big = randn(10, dt, 16, 32, 16, 16);
        assertClose(naiveRows(big, 8 * 256, null, null, (r, e) -> 0), Norm.groupNorm(big, 4, null, null, EPS), tol(dt), dt + " large");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNormTrainingMatchesLoopsAndUpdatesRunningStats(DType dt) {
        for (int[] shape : new int[][] {{7, 3}, {4, 3, 2, 5}, {16, 8, 32, 32}}) {
            int n = shape[0], c = shape[1], span = 1;
            for (int i = 2; i < shape.length; i++) span *= shape[i];
            Tensor x = randn(11, dt, shape);
            Tensor g = randn(12, dt, c), b = randn(13, dt, c);
            Tensor rm = randn(14, dt, c), rv = Tensor.rand(new SplittableRandom(15), dt, c).add(0.5);
            double[] rm0 = rm.toDoubleArray(), rv0 = rv.toDoubleArray();
            double momentum = 0.3;
            Tensor y = Norm.batchNorm(x, g, b, rm, rv, true, momentum, EPS);
            int count = n * span;
            for (int ch = 0; ch < c; ch++) {
                double m = 0, ss = 0;
                for (int i = 0; i < n; i++) for (int s = 0; s < span; s++) m += x.getFlat((i * c + ch) * span + s);
                m /= count;
                for (int i = 0; i < n; i++) for (int s = 0; s < span; s++) ss += Math.pow(x.getFlat((i * c + ch) * span + s) - m, 2);
                String what = dt + " " + java.util.Arrays.toString(shape) + " channel " + ch;
                for (int i = 0; i < n; i++) {
                    for (int s = 0; s < span; s++) {
                        int at = (i * c + ch) * span + s;
                        double want = (x.getFlat(at) - m) / Math.sqrt(ss / count + EPS) * g.getFlat(ch) + b.getFlat(ch);
                        assertEquals(want, y.getFlat(at), tol(dt) * (1 + Math.abs(want)), what + " output");
                    }
                }
                assertEquals(0.7 * rm0[ch] + 0.3 * m, rm.getFlat(ch), tol(dt) * (1 + Math.abs(m)), what + " running_mean");
                // Running variance uses the unbiased estimate ss / (count - 1), as PyTorch.
                double unbiased = ss / (count - 1);
                assertEquals(0.7 * rv0[ch] + 0.3 * unbiased, rv.getFlat(ch), tol(dt) * (1 + unbiased), what + " running_var");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNormEvalUsesRunningStatsAndLeavesThemAlone(DType dt) {
        Tensor x = randn(16, dt, 5, 3, 2, 2);
        Tensor g = randn(17, dt, 3), b = randn(18, dt, 3);
        Tensor rm = randn(19, dt, 3), rv = Tensor.rand(new SplittableRandom(20), dt, 3).add(0.5);
        double[] rm0 = rm.toDoubleArray(), rv0 = rv.toDoubleArray();
        Tensor y = Norm.batchNorm(x, g, b, rm, rv, false, 0.1, EPS);
        for (int i = 0; i < x.numel(); i++) {
            int ch = (i / 4) % 3;
            double want = (x.getFlat(i) - rm0[ch]) / Math.sqrt(rv0[ch] + EPS) * g.getFlat(ch) + b.getFlat(ch);
            assertEquals(want, y.getFlat(i), tol(dt) * (1 + Math.abs(want)), dt + " eval at " + i);
        }
        assertEquals(java.util.Arrays.toString(rm0), java.util.Arrays.toString(rm.toDoubleArray()), "running_mean untouched in eval");
        assertEquals(java.util.Arrays.toString(rv0), java.util.Arrays.toString(rv.toDoubleArray()), "running_var untouched in eval");
    }

    @Test
    void normalizedRowsHaveMeanZeroAndUnitBiasedVariance() {
        Tensor y = Norm.layerNorm(randn(21, DType.FLOAT64, 4, 50), 1, null, null, 0.0);
        for (int r = 0; r < 4; r++) {
            double m = 0, v = 0;
            for (int e = 0; e < 50; e++) m += y.get(r, e) / 50;
            for (int e = 0; e < 50; e++) v += Math.pow(y.get(r, e) - m, 2) / 50;
            assertEquals(0, m, 1e-12, "row " + r + " mean");
            assertEquals(1, v, 1e-12, "row " + r + " biased variance");
        }
    }

    @Test
    void errorsNameTheOpAndShapes() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 8, 32, 4, 4);
        Tensor c16 = Tensor.zeros(DType.FLOAT32, 16), c32 = Tensor.ones(DType.FLOAT32, 32);
        assertMessage("batch_norm: running_mean of shape [16] does not match 32 channels of input [8, 32, 4, 4]",
                () -> Norm.batchNorm(x, null, null, c16, c32, true, 0.1, EPS));
        assertMessage("batch_norm: weight of shape [16] does not match 32 channels of input [8, 32, 4, 4]",
                () -> Norm.batchNorm(x, c16, null, null, null, true, 0.1, EPS));
        assertMessage("batch_norm: expected more than 1 value per channel when training, got input of shape [1, 4]",
                () -> Norm.batchNorm(Tensor.zeros(DType.FLOAT32, 1, 4), null, null, null, null, true, 0.1, EPS));
        assertMessage("batch_norm: running_mean and running_var are required in eval mode (training=false)",
                () -> Norm.batchNorm(x, null, null, null, null, false, 0.1, EPS));
        assertMessage("batch_norm: input of shape [32] must have rank >= 2 (N, C, ...)",
                () -> Norm.batchNorm(c32, null, null, null, null, true, 0.1, EPS));
        assertMessage("batch_norm: running_var is a buffer updated in place and must not require grad",
                () -> Norm.batchNorm(x, null, null, c32, c32.copy().requiresGrad(true), true, 0.1, EPS));
        assertMessage("group_norm: expected number of channels in input to be divisible by groups, but got input of shape [8, 32, 4, 4] and groups=5",
                () -> Norm.groupNorm(x, 5, null, null, EPS));
        assertMessage("layer_norm: weight of shape [4] does not match the normalized shape [4, 4] of input [8, 32, 4, 4]",
                () -> Norm.layerNorm(x, 2, Tensor.zeros(DType.FLOAT32, 4), null, EPS));
        assertMessage("layer_norm: normalizedDims 5 is out of range for input of shape [8, 32, 4, 4] (expected 1..4)",
                () -> Norm.layerNorm(x, 5, null, null, EPS));
        assertMessage("layer_norm: bias is float64 but input is float32; convert with to()",
                () -> Norm.layerNorm(x, 1, null, Tensor.zeros(DType.FLOAT64, 4), EPS));
    }

    private static void assertMessage(String want, org.junit.jupiter.api.function.Executable call) {
        assertEquals(want, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
