package org.autoinit.tensor.ops;

import static org.autoinit.tensor.testing.GradCheck.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;
import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.Test;

/**
 * {@link Norm#batchNormRelu} and {@link Norm#batchNormAddRelu}: float64 gradient checks (x, gamma, beta, addend;
 * training and eval; away from ReLU's kink), forward against naive loops, and the same bits as {@code relu(batchNorm(...))}
 * and {@code relu(addend + batchNorm(...))} (values, gradients of x, gamma, beta and the addend, running statistics)
 * in float64 and float32, on one and several threads.
 */
class BatchNormReluTest {
    private static final double EPS = 1e-5;

    /** Inputs [x, gamma, beta] (dtype) whose fused output stays at least {@code margin} away from ReLU's kink. */
    private static Tensor[] awayFromKink(long seed, DType dtype, double margin, boolean training, Tensor rm, Tensor rv, int... shape) {
        return awayFromKink(seed, dtype, margin, training, false, rm, rv, shape);
    }

    /** As above, with a fourth input, an addend (x's shape) summed before the clamp, when {@code withAddend}. */
    private static Tensor[] awayFromKink(long seed, DType dtype, double margin, boolean training, boolean withAddend, Tensor rm, Tensor rv,
                                         int... shape) {
        int c = shape[1];
        for (long s = seed; s < seed + 200; s++) {
            SplittableRandom r = new SplittableRandom(s);
            Tensor x = Tensor.randn(r, DType.FLOAT64, shape);
            Tensor g = Tensor.rand(r, DType.FLOAT64, c).mul(1.5).add(0.5);
            Tensor b = Tensor.randn(r, DType.FLOAT64, c).mul(0.5);
            Tensor a = Tensor.randn(r, DType.FLOAT64, shape);
            Tensor y;
            try (var noGrad = GradMode.noGrad()) {
                y = Norm.batchNorm(x, g, b, rm == null ? null : rm.copy(), rv == null ? null : rv.copy(), training, 0.1, EPS);
                if (withAddend) y = a.add(y);
            }
            double min = Double.MAX_VALUE;
            for (int i = 0; i < y.numel(); i++) min = Math.min(min, Math.abs(y.getFlat(i)));
            if (min >= margin) {
                Tensor[] p = {x.to(dtype).requiresGrad(true), g.to(dtype).requiresGrad(true), b.to(dtype).requiresGrad(true),
                    a.to(dtype).requiresGrad(true)};
                return withAddend ? p : java.util.Arrays.copyOf(p, 3);
            }
        }
        throw new AssertionError("no seed from " + seed + " gives outputs " + margin + " away from the kink");
    }

    @Test
    void gradientsTraining() {
        Tensor[] p = awayFromKink(1, DType.FLOAT64, 0.01, true, null, null, 3, 2, 2, 3);
        Tensor rm = Tensor.zeros(DType.FLOAT64, 2), rv = Tensor.ones(DType.FLOAT64, 2);
        check("batch_norm_relu train [3, 2, 2, 3]", in -> Norm.batchNormRelu(in.get(0), in.get(1), in.get(2), rm, rv, true, 0.1, EPS), p);
        Tensor[] q = awayFromKink(100, DType.FLOAT64, 0.01, true, null, null, 5, 3);
        check("batch_norm_relu train [5, 3]", in -> Norm.batchNormRelu(in.get(0), in.get(1), in.get(2), null, null, true, 0.1, EPS), q);
        check("batch_norm_relu train no affine", in -> Norm.batchNormRelu(in.get(0), null, null, null, null, true, 0.1, EPS), q[0]);
    }

    @Test
    void gradientsEval() {
        Tensor rm = Tensor.randn(new SplittableRandom(7), DType.FLOAT64, 3).mul(0.3);
        Tensor rv = Tensor.rand(new SplittableRandom(8), DType.FLOAT64, 3).add(0.5);
        Tensor[] p = awayFromKink(200, DType.FLOAT64, 0.01, false, rm, rv, 2, 3, 2, 2);
        check("batch_norm_relu eval [2, 3, 2, 2]", in -> Norm.batchNormRelu(in.get(0), in.get(1), in.get(2), rm, rv, false, 0.1, EPS), p);
    }

    /** x also feeds the sum directly: its gradient is both contributions. */
    @Test
    void reusedInputAccumulates() {
        Tensor[] p = awayFromKink(300, DType.FLOAT64, 0.01, true, null, null, 4, 2, 3);
        check("x + batch_norm_relu(x)", in -> in.get(0).add(Norm.batchNormRelu(in.get(0), in.get(1), in.get(2), null, null, true, 0.1, EPS)), p);
    }

    @Test
    void addReluGradients() {
        Tensor rm = Tensor.zeros(DType.FLOAT64, 2), rv = Tensor.ones(DType.FLOAT64, 2);
        Tensor[] p = awayFromKink(500, DType.FLOAT64, 0.01, true, true, null, null, 3, 2, 2, 2);
        check("batch_norm_add_relu train [3, 2, 2, 2]",
                in -> Norm.batchNormAddRelu(in.get(0), in.get(3), in.get(1), in.get(2), rm, rv, true, 0.1, EPS), p);
        Tensor erm = Tensor.randn(new SplittableRandom(10), DType.FLOAT64, 3).mul(0.3);
        Tensor erv = Tensor.rand(new SplittableRandom(11), DType.FLOAT64, 3).add(0.5);
        Tensor[] q = awayFromKink(600, DType.FLOAT64, 0.01, false, true, erm, erv, 2, 3, 4);
        check("batch_norm_add_relu eval [2, 3, 4]",
                in -> Norm.batchNormAddRelu(in.get(0), in.get(3), in.get(1), in.get(2), erm, erv, false, 0.1, EPS), q);
        // The addend also read directly: its gradient is the masked g plus the direct path.
        check("a + batch_norm_add_relu(x, a)", in -> in.get(3).mul(0.5).add(
                Norm.batchNormAddRelu(in.get(0), in.get(3), in.get(1), in.get(2), null, null, true, 0.1, EPS)), p);
    }

    /**
     * Followed by tanh, whose backward hands over a fresh gradient: the fused ops then mask it in place
     * ({@link Tensor#isScratchGradient}); checked in float64 for both ops, training and eval.
     */
    @Test
    void gradientsThroughAnOwnedUpstream() {
        Tensor rm = Tensor.zeros(DType.FLOAT64, 2), rv = Tensor.ones(DType.FLOAT64, 2);
        Tensor[] p = awayFromKink(700, DType.FLOAT64, 0.01, true, null, null, 3, 2, 2, 3);
        check("tanh(batch_norm_relu) train", in -> Activations.tanh(Norm.batchNormRelu(in.get(0), in.get(1), in.get(2), rm, rv, true, 0.1, EPS)), p);
        check("tanh(batch_norm) train (dx written into the upstream)",
                in -> Activations.tanh(Norm.batchNorm(in.get(0), in.get(1), in.get(2), null, null, true, 0.1, EPS)), p);
        Tensor[] q = awayFromKink(800, DType.FLOAT64, 0.01, true, true, null, null, 3, 2, 2, 2);
        check("tanh(batch_norm_add_relu) train",
                in -> Activations.tanh(Norm.batchNormAddRelu(in.get(0), in.get(3), in.get(1), in.get(2), null, null, true, 0.1, EPS)), q);
        Tensor erm = Tensor.randn(new SplittableRandom(12), DType.FLOAT64, 2).mul(0.3);
        Tensor erv = Tensor.rand(new SplittableRandom(13), DType.FLOAT64, 2).add(0.5);
        Tensor[] e = awayFromKink(900, DType.FLOAT64, 0.01, false, true, erm, erv, 2, 2, 5);
        check("tanh(batch_norm_add_relu) eval",
                in -> Activations.tanh(Norm.batchNormAddRelu(in.get(0), in.get(3), in.get(1), in.get(2), erm, erv, false, 0.1, EPS)), e);
    }

    /**
     * The in-place mask never touches a gradient someone else holds: a retained output gradient stays the unmasked
     * {@code up * (1 - tanh^2)} (computed here by hand), and the caller's upstream tensor keeps its values.
     */
    @Test
    void maskInPlaceOnlyOnScratchGradients() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            SplittableRandom r = new SplittableRandom(31);
            Tensor x = Tensor.randn(r, DType.FLOAT64, 4, 3, 5).to(dt).requiresGrad(true);
            Tensor a = Tensor.randn(r, DType.FLOAT64, 4, 3, 5).to(dt).requiresGrad(true);
            Tensor up = Tensor.randn(r, DType.FLOAT64, 4, 3, 5).to(dt), upCopy = up.copy();
            Tensor y = Norm.batchNormAddRelu(x, a, null, null, null, null, true, 0.1, EPS).retainGrad();
            Tensor z = Activations.tanh(y);
            assertTrue(!up.isScratchGradient() && !z.isScratchGradient(), dt + ": no scratch gradient outside backward");
            z.backward(up, false);
            int zeros = 0;
            for (int i = 0; i < y.numel(); i++) {
                double t = Math.tanh(y.getFlat(i)), want = up.getFlat(i) * (1 - t * t);
                assertEquals(want, y.grad().getFlat(i), dt == DType.FLOAT32 ? 1e-6 : 1e-15, dt + ": retained gradient at " + i);
                assertEquals(upCopy.getFlat(i), up.getFlat(i), 0.0, dt + ": caller's upstream at " + i);
                zeros += y.getFlat(i) == 0 ? 1 : 0;
            }
            assertTrue(zeros > 0, dt + ": some outputs clamped, so a mask in place would have shown");
            assertTrue(!y.grad().isScratchGradient(), dt + ": flag cleared after backward");
        }
    }

    @Test
    void forwardMatchesNaiveLoops() {
        int n = 3, c = 2, span = 5;
        Tensor[] p = awayFromKink(400, DType.FLOAT64, 0, true, null, null, n, c, span);
        Tensor rm = Tensor.zeros(DType.FLOAT64, c), rv = Tensor.ones(DType.FLOAT64, c);
        Tensor y = Norm.batchNormRelu(p[0], p[1], p[2], rm, rv, true, 0.1, EPS);
        for (int ch = 0; ch < c; ch++) {
            double s = 0, ss = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < span; j++) s += p[0].getFlat((i * c + ch) * span + j);
            double mean = s / (n * span);
            for (int i = 0; i < n; i++) for (int j = 0; j < span; j++) {
                double d = p[0].getFlat((i * c + ch) * span + j) - mean;
                ss += d * d;
            }
            double var = ss / (n * span);
            for (int i = 0; i < n; i++) for (int j = 0; j < span; j++) {
                int k = (i * c + ch) * span + j;
                double want = Math.max(0, p[1].getFlat(ch) * (p[0].getFlat(k) - mean) / Math.sqrt(var + EPS) + p[2].getFlat(ch));
                assertEquals(want, y.getFlat(k), 1e-12, "channel " + ch + " index " + k);
            }
            assertEquals(0.1 * mean, rm.getFlat(ch), 1e-15, "running mean " + ch);
            assertEquals(0.9 + 0.1 * ss / (n * span - 1), rv.getFlat(ch), 1e-15, "running var " + ch);
        }
    }

    /** Same bits as relu(batch_norm): output, dx, dgamma, dbeta, running statistics; float32 and float64, 1 and 3 threads. */
    @Test
    void sameBitsAsUnfusedComposition() {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 3}) {
                Parallel.setThreads(threads);
                for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                    for (boolean training : new boolean[] {true, false}) {
                        for (int[] shape : new int[][] {{8, 6, 5, 7}, {16, 5}, {4, 3, 33}}) {
                            compare(dt + " training=" + training + " threads=" + threads + " shape " + java.util.Arrays.toString(shape),
                                    dt, training, shape);
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static void compare(String label, DType dt, boolean training, int[] shape) {
        int c = shape[1];
        SplittableRandom r = new SplittableRandom(label.hashCode());
        Tensor x0 = Tensor.randn(r, DType.FLOAT64, shape).to(dt);
        Tensor g0 = Tensor.rand(r, DType.FLOAT64, c).add(0.5).to(dt), b0 = Tensor.randn(r, DType.FLOAT64, c).to(dt);
        Tensor rm0 = Tensor.randn(r, DType.FLOAT64, c).mul(0.2).to(dt), rv0 = Tensor.rand(r, DType.FLOAT64, c).add(0.5).to(dt);
        Tensor up = Tensor.randn(r, DType.FLOAT64, shape).to(dt);
        Tensor a0 = Tensor.randn(r, DType.FLOAT64, shape).to(dt);
        for (int variant = 0; variant < 4; variant++) {
            boolean withAddend = variant % 2 == 1, throughTanh = variant >= 2;
            Tensor[][] res = new Tensor[2][];
            for (int fused = 0; fused < 2; fused++) {
                Tensor x = x0.copy().requiresGrad(true), g = g0.copy().requiresGrad(true), b = b0.copy().requiresGrad(true);
                Tensor a = a0.copy().requiresGrad(true);
                Tensor rm = rm0.copy(), rv = rv0.copy();
                Tensor y;
                if (withAddend) {
                    // As the zoo's residual join: Add(shortcut, bn) then ReLU.
                    y = fused == 1 ? Norm.batchNormAddRelu(x, a, g, b, rm, rv, training, 0.1, EPS)
                            : Activations.relu(a.add(Norm.batchNorm(x, g, b, rm, rv, training, 0.1, EPS)));
                } else {
                    y = fused == 1 ? Norm.batchNormRelu(x, g, b, rm, rv, training, 0.1, EPS)
                            : Activations.relu(Norm.batchNorm(x, g, b, rm, rv, training, 0.1, EPS));
                }
                // Through tanh the fused ops get an owned (scratch) upstream and mask it in place; directly, the caller's.
                if (throughTanh) {
                    Activations.tanh(y).backward(up, false);
                } else {
                    y.backward(up, false);
                }
                res[fused] = new Tensor[] {y, x.grad(), g.grad(), b.grad(), rm, rv, withAddend ? a.grad() : x.grad()};
            }
            String[] what = {"output", "dx", "dgamma", "dbeta", "running_mean", "running_var", "daddend"};
            int zeros = 0;
            for (int i = 0; i < what.length; i++) {
                assertArrayEquals(bits(res[0][i]), bits(res[1][i]), label + " addend=" + withAddend + " tanh=" + throughTanh + ": " + what[i]);
            }
            for (int i = 0; i < res[1][0].numel(); i++) zeros += res[1][0].getFlat(i) == 0 ? 1 : 0;
            assertTrue(zeros > 0 && zeros < res[1][0].numel(), label + ": the case must have clamped and passed values, " + zeros + " zeros");
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
    void withoutGradNothingIsRecorded() {
        Tensor x = Tensor.randn(new SplittableRandom(9), DType.FLOAT32, 4, 3, 2);
        Tensor y = Norm.batchNormRelu(x, null, null, null, null, true, 0.1, EPS);
        assertTrue(y.isLeaf() && !y.requiresGrad(), "no input requires grad: a plain tensor");
        assertNull(y.grad());
    }

    @Test
    void errorsNameTheFusedOp() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 4, 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Norm.batchNormRelu(x, Tensor.ones(DType.FLOAT32, 4), null, null, null, true, 0.1, EPS));
        assertEquals("batch_norm_relu: weight of shape [4] does not match 3 channels of input [4, 3, 2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Norm.batchNormRelu(x, null, null, null, null, false, 0.1, EPS));
        assertEquals("batch_norm_relu: running_mean and running_var are required in eval mode (training=false)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Norm.batchNormAddRelu(x, Tensor.zeros(DType.FLOAT32, 4, 3, 1), null, null, null, null, true, 0.1, EPS));
        assertEquals("batch_norm_add_relu: addend float32 [4, 3, 1] must have the input's shape and dtype, float32 [4, 3, 2]", e.getMessage());
    }
}
