package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** conv2d/conv1d forward and backward values against {@link NaiveConv} and hand-computed examples, in both dtypes. */
class ConvForwardTest {

    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of("3x3 stride 1 pad 1", new int[] {2, 3, 7, 6, 4, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("3x3 stride 2 pad 0", new int[] {2, 3, 7, 6, 4, 3, 3}, Conv2dSpec.of(2, 0)),
                Arguments.of("same k3 stride 2", new int[] {2, 3, 7, 8, 4, 3, 3}, Conv2dSpec.same(2)),
                Arguments.of("same k4 stride 1 (even kernel)", new int[] {2, 2, 6, 7, 3, 4, 4}, Conv2dSpec.same(1)),
                Arguments.of("same k2 stride 2", new int[] {2, 2, 7, 6, 3, 2, 2}, Conv2dSpec.same(2)),
                Arguments.of("dilation 2 pad 2", new int[] {2, 3, 8, 7, 4, 3, 3}, Conv2dSpec.of(1, 2).withDilation(2)),
                Arguments.of("same dilation 2 stride 2", new int[] {2, 2, 9, 8, 3, 3, 3}, Conv2dSpec.same(2).withDilation(2)),
                Arguments.of("groups 2", new int[] {2, 4, 6, 6, 6, 3, 3}, Conv2dSpec.of(1, 1).withGroups(2)),
                Arguments.of("depthwise", new int[] {2, 4, 6, 5, 4, 3, 3}, Conv2dSpec.of(1, 1).withGroups(4)),
                Arguments.of("depthwise multiplier 2 same stride 2", new int[] {2, 3, 7, 7, 6, 3, 3}, Conv2dSpec.same(2).withGroups(3)),
                Arguments.of("1x1 pointwise", new int[] {2, 3, 5, 4, 5, 1, 1}, Conv2dSpec.of(1, 0)),
                Arguments.of("1x1 stride 2", new int[] {2, 3, 5, 4, 5, 1, 1}, Conv2dSpec.of(2, 0)),
                Arguments.of("non-square 2x3 stride (2,1) pad (1,0)", new int[] {2, 2, 7, 9, 3, 2, 3},
                        Conv2dSpec.of(1, 0).withStride(2, 1).withPadding(1, 0)),
                Arguments.of("1x5 kernel wide stride", new int[] {1, 2, 4, 11, 2, 1, 5}, Conv2dSpec.of(1, 0).withStride(1, 3).withPadding(0, 2)),
                // Big enough that the batch (GEMM path) and the planes (depthwise path) are split over threads.
                Arguments.of("batch split over threads", new int[] {8, 8, 16, 16, 16, 3, 3}, Conv2dSpec.of(1, 1)),
                Arguments.of("depthwise split over threads", new int[] {8, 16, 24, 24, 16, 3, 3}, Conv2dSpec.of(1, 1).withGroups(16)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void forwardAndBackwardMatchNaiveLoops(String name, int[] dims, Conv2dSpec spec) {
        int n = dims[0], c = dims[1], h = dims[2], w = dims[3], o = dims[4], kh = dims[5], kw = dims[6];
        NaiveConv.Problem p = NaiveConv.Problem.of(n, c, h, w, o, kh, kw, spec);
        assertArrayEquals(new int[] {p.outH(), p.outW()}, spec.outputSize(h, w, kh, kw), name + ": outputSize");
        for (DType dt : DType.values()) {
            SplittableRandom r = new SplittableRandom(name.hashCode());
            Tensor x = Tensor.randn(r, dt, n, c, h, w).requiresGrad(true);
            Tensor wt = Tensor.randn(r, dt, o, c / spec.groups(), kh, kw).requiresGrad(true);
            Tensor b = Tensor.randn(r, dt, o).requiresGrad(true);
            Tensor y = Conv.conv2d(x, wt, b, spec);
            assertArrayEquals(new int[] {n, o, p.outH(), p.outW()}, y.shape(), name + ": output shape");
            double[] ref = NaiveConv.forward(p, x.toDoubleArray(), wt.toDoubleArray(), b.toDoubleArray());
            assertClose(ref, y.toDoubleArray(), dt, name + " " + dt + " forward");

            Tensor gy = Tensor.randn(r, dt, y.shape());
            y.backward(gy, false);
            double[][] g = NaiveConv.backward(p, x.toDoubleArray(), wt.toDoubleArray(), gy.toDoubleArray());
            assertClose(g[0], x.grad().toDoubleArray(), dt, name + " " + dt + " dx");
            assertClose(g[1], wt.grad().toDoubleArray(), dt, name + " " + dt + " dw");
            assertClose(g[2], b.grad().toDoubleArray(), dt, name + " " + dt + " db");
        }
    }

    @Test
    void onesKernelSumsNeighbourhoods() {
        // 3x3 input 1..9, all-ones 2x2 kernel, no padding: each output is the sum of a 2x2 block.
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor y = Conv.conv2d(x, Tensor.ones(DType.FLOAT32, 1, 1, 2, 2), null, Conv2dSpec.of(1, 0));
        assertArrayEquals(new float[] {12, 16, 24, 28}, y.toFloatArray());
        // Zero padding 1 with stride 2 picks the corners' 2x2 blocks of the padded 5x5 image.
        Tensor z = Conv.conv2d(x, Tensor.ones(DType.FLOAT32, 1, 1, 2, 2), Tensor.of(new float[] {0.5f}, 1), Conv2dSpec.of(2, 1));
        assertArrayEquals(new float[] {1.5f, 5.5f, 11.5f, 28.5f}, z.toFloatArray());
    }

    @Test
    void samePaddingPutsTheOddExtraAtTheEnd() {
        // k=2, stride 1 on a width-3 row: one pad column, on the right: [1+2*10, 2+3*10, 3+0*10].
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 1, 1, 1, 3);
        Tensor y = Conv.conv2d(x, Tensor.of(new double[] {1, 10}, 1, 1, 1, 2), null, Conv2dSpec.same(1));
        assertArrayEquals(new double[] {21, 32, 3}, y.toDoubleArray());
        // k=3, stride 2 on width 4: ceil(4/2) = 2 outputs, total pad 1, again on the right.
        Tensor x4 = Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 1, 4);
        Tensor y4 = Conv.conv2d(x4, Tensor.of(new double[] {1, 10, 100}, 1, 1, 1, 3), null, Conv2dSpec.same(2));
        assertArrayEquals(new double[] {321, 43}, y4.toDoubleArray());
        assertArrayEquals(new int[] {0, 1, 0, 1}, Conv2dSpec.same(2).padding(4, 4, 3, 3));
        assertArrayEquals(new int[] {16, 16}, Conv2dSpec.same(2).outputSize(32, 31, 3, 3));
        assertArrayEquals(new int[] {16, 8}, Conv2dSpec.of(2, 1).outputSize(32, 16, 3, 3));
    }

    @Test
    void conv1dMatchesNaiveLoops() {
        Conv1dSpec[] specs = {Conv1dSpec.of(1, 0), Conv1dSpec.of(2, 1), Conv1dSpec.same(2), Conv1dSpec.same(1),
            Conv1dSpec.of(1, 2).withDilation(2), Conv1dSpec.of(1, 1).withGroups(2), Conv1dSpec.same(1).withGroups(4)};
        int n = 2, c = 4, len = 9, o = 4;
        for (Conv1dSpec s : specs) {
            for (int k : new int[] {1, 3, 4}) {
                for (DType dt : DType.values()) {
                    SplittableRandom r = new SplittableRandom(k * 31 + s.hashCode());
                    Tensor x = Tensor.randn(r, dt, n, c, len), w = Tensor.randn(r, dt, o, c / s.groups(), k), b = Tensor.randn(r, dt, o);
                    Tensor y = Conv.conv1d(x, w, b, s);
                    int eff = s.dilation() * (k - 1) + 1;
                    int out = s.same() ? (len + s.stride() - 1) / s.stride() : (len + 2 * s.padding() - eff) / s.stride() + 1;
                    int padLeft = s.same() ? Math.max(0, (out - 1) * s.stride() + eff - len) / 2 : s.padding();
                    String name = s + " k=" + k + " " + dt;
                    assertArrayEquals(new int[] {n, o, out}, y.shape(), name);
                    assertEquals(out, s.outputLength(len, k), name);
                    double[] ref = new double[n * o * out];
                    int cg = c / s.groups(), og = o / s.groups();
                    for (int bi = 0; bi < n; bi++)
                        for (int oc = 0; oc < o; oc++)
                            for (int t = 0; t < out; t++) {
                                double acc = b.getFlat(oc);
                                for (int ci = 0; ci < cg; ci++)
                                    for (int j = 0; j < k; j++) {
                                        int pos = t * s.stride() - padLeft + j * s.dilation();
                                        if (pos >= 0 && pos < len) acc += w.get(oc, ci, j) * x.get(bi, oc / og * cg + ci, pos);
                                    }
                                ref[(bi * o + oc) * out + t] = acc;
                            }
                    assertClose(ref, y.toDoubleArray(), dt, name);
                }
            }
        }
    }

    @Test
    void sameInputsGiveBitIdenticalGradients() {
        float[][] first = null;
        for (int run = 0; run < 2; run++) {
            SplittableRandom r = new SplittableRandom(5);
            Tensor x = Tensor.randn(r, DType.FLOAT32, 8, 8, 16, 16).requiresGrad(true);
            Tensor w = Tensor.randn(r, DType.FLOAT32, 16, 8, 3, 3).requiresGrad(true);
            Tensor y = Conv.conv2d(x, w, null, Conv2dSpec.of(1, 1));
            y.backward(Tensor.randn(r, DType.FLOAT32, y.shape()), false);
            float[][] now = {y.toFloatArray(), x.grad().toFloatArray(), w.grad().toFloatArray()};
            if (first != null) {
                for (int i = 0; i < 3; i++) assertArrayEquals(first[i], now[i], "run 2 differs from run 1 in output " + i);
            }
            first = now;
        }
    }

    @Test
    void gradientOnlyForTensorsThatRequireIt() {
        SplittableRandom r = new SplittableRandom(9);
        Tensor x = Tensor.randn(r, DType.FLOAT64, 1, 2, 5, 5);
        Tensor w = Tensor.randn(r, DType.FLOAT64, 3, 2, 3, 3).requiresGrad(true);
        Tensor y = Conv.conv2d(x, w, null, Conv2dSpec.same(1));
        y.sum().backward();
        assertEquals(null, x.grad());
        // d(sum y)/dw[o, c, i, j] = sum of the input values that tap (i, j) sees; the centre tap sees them all.
        double total = 0;
        for (double v : x.toDoubleArray()) total += v;
        assertEquals(total, w.grad().get(0, 0, 1, 1) + w.grad().get(0, 1, 1, 1), 1e-12);
    }

    static void assertClose(double[] expected, double[] actual, DType dt, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double v : expected) scale = Math.max(scale, Math.abs(v));
        double tol = (dt == DType.FLOAT32 ? 1e-5 : 1e-11) * (1 + scale);
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > tol) {
                throw new AssertionError(what + ": index " + i + " expected " + expected[i] + " but got " + actual[i] + " (tol " + tol + ")");
            }
        }
    }
}
