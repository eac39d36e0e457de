package org.autoinit.tensor.ops;

import static org.autoinit.tensor.testing.GradCheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Max/avg/global pooling: values against naive loops, gradient checks on tie-free inputs, tie routing. */
class PoolTest {

    /** A float64 tensor whose values are a random permutation of distinct, well separated numbers (no ties). */
    static Tensor distinct(long seed, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT64, shape);
        int n = t.numel();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        for (int i = 0; i < n; i++) t.setFlat(i, 0.05 * perm[i] - 0.025 * n);
        return t.requiresGrad(true);
    }

    /** Reference pool on an explicitly padded copy (-inf for max, 0 for avg), divisor kh*kw. */
    static double[] naive(boolean max, Tensor x, int kh, int kw, int sh, int sw, int ph, int pw) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        int hp = h + 2 * ph, wp = w + 2 * pw, oh = (hp - kh) / sh + 1, ow = (wp - kw) / sw + 1;
        double[] out = new double[n * c * oh * ow];
        int k = 0;
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++) {
                double[][] padded = new double[hp][wp];
                for (double[] row : padded) java.util.Arrays.fill(row, max ? Double.NEGATIVE_INFINITY : 0);
                for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) padded[i + ph][j + pw] = x.get(b, ch, i, j);
                for (int oy = 0; oy < oh; oy++)
                    for (int ox = 0; ox < ow; ox++) {
                        double acc = max ? Double.NEGATIVE_INFINITY : 0;
                        for (int i = 0; i < kh; i++)
                            for (int j = 0; j < kw; j++) {
                                double v = padded[oy * sh + i][ox * sw + j];
                                acc = max ? Math.max(acc, v) : acc + v;
                            }
                        out[k++] = max ? acc : acc / (kh * kw);
                    }
            }
        return out;
    }

    @ParameterizedTest(name = "k {0}x{1} stride {2},{3} pad {4},{5}")
    @CsvSource({"2, 2, 2, 2, 0, 0", "3, 3, 2, 2, 1, 1", "2, 2, 1, 1, 0, 0", "3, 2, 2, 1, 1, 0", "3, 3, 3, 3, 1, 1", "1, 1, 2, 2, 0, 0"})
    void poolsMatchNaiveLoopsAndGradCheck(int kh, int kw, int sh, int sw, int ph, int pw) {
        for (DType dt : DType.values()) {
            Tensor x = Tensor.randn(new SplittableRandom(kh * 100 + sw), dt, 2, 3, 7, 6);
            ConvForwardTest.assertClose(naive(true, x, kh, kw, sh, sw, ph, pw), Pool.maxPool2d(x, kh, kw, sh, sw, ph, pw).toDoubleArray(),
                    dt, "maxPool2d " + dt);
            ConvForwardTest.assertClose(naive(false, x, kh, kw, sh, sw, ph, pw), Pool.avgPool2d(x, kh, kw, sh, sw, ph, pw).toDoubleArray(),
                    dt, "avgPool2d " + dt);
        }
        Tensor x = distinct(kh * 10 + ph, 2, 2, 7, 6);
        check("maxPool2d", in -> Pool.maxPool2d(in.get(0), kh, kw, sh, sw, ph, pw), x);
        check("avgPool2d", in -> Pool.avgPool2d(in.get(0), kh, kw, sh, sw, ph, pw), x);
    }

    @Test
    void maxPoolPadsWithMinusInfinity() {
        // All values negative: zero padding would wrongly win at the borders.
        Tensor x = Tensor.of(new float[] {-1, -2, -3, -4}, 1, 1, 2, 2);
        assertArrayEquals(new float[] {-1, -1, -2, -1, -1, -2, -3, -3, -4}, Pool.maxPool2d(x, 2, 2, 1, 1, 1, 1).toFloatArray());
        // count_include_pad: the corner window holds one real value and three zeros.
        assertArrayEquals(new float[] {-0.25f, -0.75f, -0.5f, -1f, -2.5f, -1.5f, -0.75f, -1.75f, -1f},
                Pool.avgPool2d(x, 2, 2, 1, 1, 1, 1).toFloatArray());
    }

    @Test
    void maxPoolTiesRouteToTheFirstMaximum() {
        Tensor x = Tensor.ones(DType.FLOAT64, 1, 1, 3, 3).requiresGrad(true);
        // Overlapping 2x2 windows at (0,0), (0,1), (1,0), (1,1): each sends its gradient to its top-left element.
        Pool.maxPool2d(x, 2, 2, 1, 1, 0, 0).backward(Tensor.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2), false);
        assertArrayEquals(new double[] {1, 2, 0, 3, 4, 0, 0, 0, 0}, x.grad().toDoubleArray());
    }

    @Test
    void maxPool2x2RoutesTiesAndNaNsAsPyTorch() {
        // The 2x2 stride-2 fast path on ReLU-like data full of ties (+0, -0, 1, 2) and a few NaNs. PyTorch's rule,
        // window in row-major order: take v when v > best or v is NaN. Values compared bit for bit (sign of zero too).
        // Shapes: rows shorter than a vector; 20 outputs per row (a whole vector and a tail) with odd H and W (the last
        // row and column belong to no window: gradient 0); many planes over 2 threads (vector reads near the array end).
        int saved = org.autoinit.tensor.parallel.Parallel.threads();
        try {
            for (int[] shape : new int[][] {{3, 4, 6, 10}, {2, 3, 9, 41}, {4, 64, 14, 14}}) {
                org.autoinit.tensor.parallel.Parallel.setThreads(shape[1] == 64 ? 2 : 1);
                int n = shape[0], c = shape[1], h = shape[2], w = shape[3];
                SplittableRandom r = new SplittableRandom(21);
                float[] choices = {0f, -0f, 1f, 2f, 0f, 1f, 0f};
                float[] data = new float[n * c * h * w];
                for (int i = 0; i < data.length; i++) data[i] = r.nextInt(40) == 0 ? Float.NaN : choices[r.nextInt(choices.length)];
                Tensor x = Tensor.of(data, n, c, h, w).requiresGrad(true);
                Tensor y = Pool.maxPool2d(x, 2, 2, 2, 2, 0, 0);
                Tensor gy = Tensor.randn(new SplittableRandom(22), DType.FLOAT32, y.shape());
                y.backward(gy, false);
                float[] wantGx = new float[data.length];
                int k = 0;
                for (int plane = 0; plane < n * c; plane++)
                    for (int oy = 0; oy < h / 2; oy++)
                        for (int ox = 0; ox < w / 2; ox++, k++) {
                            int at = -1;
                            float best = Float.NEGATIVE_INFINITY;
                            for (int i = 0; i < 2; i++)
                                for (int j = 0; j < 2; j++) {
                                    int idx = plane * h * w + (2 * oy + i) * w + 2 * ox + j;
                                    if (at < 0 || data[idx] > best || Float.isNaN(data[idx])) {
                                        best = data[idx];
                                        at = idx;
                                    }
                                }
                            assertEquals(Float.floatToRawIntBits(best), Float.floatToRawIntBits(y.floatData()[k]), "output " + k + " of " + java.util.Arrays.toString(shape));
                            wantGx[at] += gy.floatData()[k];
                        }
                assertArrayEquals(wantGx, x.grad().floatData(), java.util.Arrays.toString(shape));
            }
        } finally {
            org.autoinit.tensor.parallel.Parallel.setThreads(saved);
        }
    }

    @Test
    void globalPools() {
        Tensor x = distinct(11, 2, 3, 4, 5);
        check("globalAvgPool", in -> Pool.globalAvgPool(in.get(0)), x);
        check("globalMaxPool", in -> Pool.globalMaxPool(in.get(0)), x);
        for (DType dt : DType.values()) {
            Tensor xt = Tensor.randn(new SplittableRandom(12), dt, 2, 3, 4, 5);
            Tensor avg = Pool.globalAvgPool(xt), max = Pool.globalMaxPool(xt);
            assertArrayEquals(new int[] {2, 3}, avg.shape());
            assertArrayEquals(new int[] {2, 3}, max.shape());
            for (int b = 0; b < 2; b++)
                for (int c = 0; c < 3; c++) {
                    double s = 0, m = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < 4; i++)
                        for (int j = 0; j < 5; j++) {
                            s += xt.get(b, c, i, j);
                            m = Math.max(m, xt.get(b, c, i, j));
                        }
                    assertEquals(s / 20, avg.get(b, c), dt == DType.FLOAT32 ? 1e-6 : 1e-14, "globalAvgPool " + dt);
                    assertEquals(m, max.get(b, c), 0.0, "globalMaxPool " + dt);
                }
        }
    }

    @Test
    void largePoolsSplitOverThreadsAgree() {
        // 64 planes of 32x32: the plane loop is split; values still match the naive loops exactly for max.
        Tensor x = Tensor.randn(new SplittableRandom(13), DType.FLOAT32, 8, 8, 32, 32).requiresGrad(true);
        Tensor y = Pool.maxPool2d(x, 3, 3, 2, 2, 1, 1);
        assertArrayEquals(naive(true, x, 3, 3, 2, 2, 1, 1), y.toDoubleArray(), 0.0);
        y.sum().backward();
        // Each output sends its unit gradient to exactly one input, so the input gradient sums to the output count.
        double total = 0;
        for (double v : x.grad().toDoubleArray()) total += v;
        assertEquals(y.numel(), total, 0.0);
    }
}
