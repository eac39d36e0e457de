package org.autoinit.tensor.ops;

import static org.autoinit.tensor.testing.GradCheck.check;
import static org.autoinit.tensor.testing.GradCheck.param;
import static org.autoinit.tensor.testing.GradCheck.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Float64 gradient checks of the fused norms (x, gamma, beta), plus float32 backward and thread-count independence. */
class NormGradTest {
    private static final double EPS = 1e-5;

    @Test
    void layerNormLastDim() {
        Tensor x = param(1, 3, 5).name("x"), g = param(2, 5).name("gamma"), b = param(3, 5).name("beta");
        check("layer_norm dims=1", in -> Norm.layerNorm(in.get(0), 1, in.get(1), in.get(2), EPS), x, g, b);
    }

    @Test
    void layerNormLastTwoDims() {
        Tensor x = param(4, 2, 3, 4).name("x"), g = param(5, 3, 4).name("gamma"), b = param(6, 3, 4).name("beta");
        check("layer_norm dims=2", in -> Norm.layerNorm(in.get(0), 2, in.get(1), in.get(2), EPS), x, g, b);
    }

    @Test
    void layerNormWithoutAffineAndWithOnlyOneParameter() {
        check("layer_norm no affine", in -> Norm.layerNorm(in.get(0), 1, null, null, EPS), param(7, 4, 6));
        check("layer_norm gamma only", in -> Norm.layerNorm(in.get(0), 1, in.get(1), null, EPS), param(8, 4, 6), param(9, 6));
        check("layer_norm beta only", in -> Norm.layerNorm(in.get(0), 2, null, in.get(1), EPS), param(10, 2, 3, 2), param(11, 3, 2));
    }

    @Test
    void layerNormReusedInputAccumulates() {
        // x feeds both the norm and the product: dx must be the sum of both paths.
        check("x * layer_norm(x)", in -> in.get(0).mul(Norm.layerNorm(in.get(0), 1, in.get(1), null, EPS)), param(12, 3, 4), param(13, 4));
    }

    @Test
    void batchNormTraining2d() {
        Tensor rm = Tensor.zeros(DType.FLOAT64, 3), rv = Tensor.ones(DType.FLOAT64, 3);
        Tensor x = param(14, 6, 3).name("x"), g = param(15, 3).name("gamma"), b = param(16, 3).name("beta");
        check("batch_norm train [6, 3]", in -> Norm.batchNorm(in.get(0), in.get(1), in.get(2), rm, rv, true, 0.1, EPS), x, g, b);
    }

    @Test
    void batchNormTraining4d() {
        Tensor x = param(17, 3, 4, 2, 3).name("x"), g = param(18, 4).name("gamma"), b = param(19, 4).name("beta");
        check("batch_norm train [3, 4, 2, 3]", in -> Norm.batchNorm(in.get(0), in.get(1), in.get(2), null, null, true, 0.1, EPS), x, g, b);
        check("batch_norm train no affine", in -> Norm.batchNorm(in.get(0), null, null, null, null, true, 0.1, EPS), param(20, 2, 3, 5));
    }

    @Test
    void batchNormEval() {
        Tensor rm = Tensor.randn(new SplittableRandom(21), DType.FLOAT64, 4);
        Tensor rv = Tensor.rand(new SplittableRandom(22), DType.FLOAT64, 4).add(0.5);
        Tensor x = param(23, 3, 4, 2, 2).name("x"), g = param(24, 4).name("gamma"), b = param(25, 4).name("beta");
        check("batch_norm eval 4d", in -> Norm.batchNorm(in.get(0), in.get(1), in.get(2), rm, rv, false, 0.1, EPS), x, g, b);
        check("batch_norm eval 2d", in -> Norm.batchNorm(in.get(0), in.get(1), null, rm, rv, false, 0.1, EPS), param(26, 5, 4), param(27, 4));
    }

    @ParameterizedTest(name = "groups={0}")
    @ValueSource(ints = {1, 2, 4})
    void groupNorm(int groups) {
        Tensor x = param(28, 2, 4, 3, 2).name("x"), g = param(29, 4).name("gamma"), b = param(30, 4).name("beta");
        check("group_norm groups=" + groups, in -> Norm.groupNorm(in.get(0), groups, in.get(1), in.get(2), EPS), x, g, b);
    }

    @Test
    void groupNormWithoutSpatialDims() {
        check("group_norm [3, 6] groups=3", in -> Norm.groupNorm(in.get(0), 3, in.get(1), in.get(2), EPS),
                param(31, 3, 6), param(32, 6), param(33, 6));
    }

    /** Float32 backward agrees with the float64 backward on the same values. */
    @Test
    void float32GradientsMatchFloat64() {
        Tensor x64 = uniform(34, -2, 2, 4, 6, 3, 3), g64 = uniform(35, 0.5, 1.5, 6), b64 = uniform(36, -1, 1, 6);
        Tensor up = Tensor.randn(new SplittableRandom(37), DType.FLOAT64, 4, 6, 3, 3);
        for (String op : new String[] {"layer", "batch", "group"}) {
            Tensor[] p64 = {x64, g64, b64};
            Tensor[] p32 = {x64.detach().to(DType.FLOAT32).requiresGrad(true), g64.detach().to(DType.FLOAT32).requiresGrad(true),
                b64.detach().to(DType.FLOAT32).requiresGrad(true)};
            for (Tensor[] p : new Tensor[][] {p64, p32}) {
                for (Tensor t : p) t.zeroGrad();
                Tensor y = switch (op) {
                    case "layer" -> Norm.layerNorm(p[0].reshape(4, 3, 3, 6), 1, p[1], p[2], EPS);
                    case "batch" -> Norm.batchNorm(p[0], p[1], p[2], null, null, true, 0.1, EPS);
                    default -> Norm.groupNorm(p[0], 3, p[1], p[2], EPS);
                };
                y.backward(up.to(p[0].dtype()).reshape(y.shape()), false);
            }
            for (int i = 0; i < 3; i++) {
                double[] want = p64[i].grad().toDoubleArray(), got = p32[i].grad().toDoubleArray();
                for (int j = 0; j < want.length; j++) {
                    assertEquals(want[j], got[j], 1e-4 * (1 + Math.abs(want[j])), op + " input " + i + " index " + j);
                }
            }
        }
    }

    /** dgamma/dbeta sums run in an order fixed by the shape, so one and many threads give identical bits. */
    @Test
    void gradientsDoNotDependOnThreadCount() {
        int saved = Parallel.threads();
        Tensor x = Tensor.randn(new SplittableRandom(38), DType.FLOAT32, 256, 512);
        Tensor up = Tensor.randn(new SplittableRandom(39), DType.FLOAT32, 256, 512);
        float[][] grads = new float[2][];
        try {
            for (int run = 0; run < 2; run++) {
                Parallel.setThreads(run == 0 ? 1 : 4);
                Tensor g = Tensor.ones(DType.FLOAT32, 512).requiresGrad(true);
                Norm.layerNorm(x, 1, g, null, EPS).backward(up, false);
                grads[run] = g.grad().toFloatArray();
            }
        } finally {
            Parallel.setThreads(saved);
        }
        assertArrayEquals(grads[0], grads[1]);
    }
}
