package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float32 fast paths of batch and layer norm ({@link FloatNorms}) against the float64 paths (gradient-checked
 * elsewhere) on the same values: outputs, dx, dgamma, dbeta, running statistics; inputs with a large mean
 * (cancellation) and spans with and without vector tails.
 */
class FloatNormsTest {

    private static Tensor leaf(Tensor t) {
        return t.detach().requiresGrad(true);
    }

    private static void close(String what, Tensor want, Tensor got, double rel) {
        double scale = 1e-30;
        for (int i = 0; i < want.numel(); i++) scale = Math.max(scale, Math.abs(want.getFlat(i)));
        for (int i = 0; i < want.numel(); i++) {
            assertEquals(want.getFlat(i), got.getFlat(i), rel * scale, what + " at " + i);
        }
    }

    @org.junit.jupiter.api.Test
    void layerNormAffineCasesAreTheNormalizedValuesTimesGammaPlusBetaInFloat() {
        SplittableRandom r = new SplittableRandom(9);
        int len = 37; // a vector tail
        Tensor x = Tensor.randn(r, DType.FLOAT32, 5, len).add(3.0).detach();
        Tensor gam = Tensor.randn(r, DType.FLOAT32, len), bet = Tensor.randn(r, DType.FLOAT32, len);
        float[] v = Norm.layerNorm(x, 1, null, null, 1e-5).floatData();
        float[] both = Norm.layerNorm(x, 1, gam, bet, 1e-5).floatData();
        float[] gOnly = Norm.layerNorm(x, 1, gam, null, 1e-5).floatData();
        float[] bOnly = Norm.layerNorm(x, 1, null, bet, 1e-5).floatData();
        float[] gs = gam.floatData(), bs = bet.floatData();
        for (int i = 0; i < v.length; i++) {
            int j = i % len;
            assertEquals(Float.floatToIntBits(v[i] * gs[j] + bs[j]), Float.floatToIntBits(both[i]), "gamma and beta at " + i);
            assertEquals(Float.floatToIntBits(v[i] * gs[j] + 0f), Float.floatToIntBits(gOnly[i]), "gamma only at " + i);
            assertEquals(Float.floatToIntBits(v[i] + bs[j]), Float.floatToIntBits(bOnly[i]), "beta only at " + i);
        }
        close("beta only vs float64", Norm.layerNorm(x.to(DType.FLOAT64), 1, null, bet.to(DType.FLOAT64), 1e-5),
                Norm.layerNorm(x, 1, null, bet, 1e-5), 2e-6);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 20.0})
    void batchNormMatchesTheFloat64Path(double offset) {
        for (int[] s : new int[][] {{4, 3, 5, 7}, {8, 16, 8, 8}, {3, 5}, {2, 6, 17}}) {
            SplittableRandom r = new SplittableRandom(s.length * 31 + s[1]);
            Tensor x32 = Tensor.randn(r, DType.FLOAT32, s).add(offset).detach();
            int c = s[1];
            Tensor gam32 = Tensor.randn(r, DType.FLOAT32, c), bet32 = Tensor.randn(r, DType.FLOAT32, c);
            Tensor g32 = Tensor.randn(r, DType.FLOAT32, s);
            for (boolean training : new boolean[] {true, false}) {
                String what = "batch norm " + java.util.Arrays.toString(s) + " offset " + offset + (training ? " training" : " eval");
                Tensor rm32 = Tensor.full(offset, DType.FLOAT32, c), rv32 = Tensor.full(1.5, DType.FLOAT32, c);
                Tensor rm64 = rm32.to(DType.FLOAT64), rv64 = rv32.to(DType.FLOAT64);
                Tensor x = leaf(x32), gam = leaf(gam32), bet = leaf(bet32);
                Tensor xd = leaf(x32.to(DType.FLOAT64)), gamd = leaf(gam32.to(DType.FLOAT64)), betd = leaf(bet32.to(DType.FLOAT64));
                Tensor y = Norm.batchNorm(x, gam, bet, rm32, rv32, training, 0.1, 1e-5);
                Tensor yd = Norm.batchNorm(xd, gamd, betd, rm64, rv64, training, 0.1, 1e-5);
                y.backward(g32, false);
                yd.backward(g32.to(DType.FLOAT64), false);
                close(what + " output", yd, y, 2e-6);
                close(what + " dx", xd.grad(), x.grad(), 1e-5);
                close(what + " dgamma", gamd.grad(), gam.grad(), 1e-5);
                close(what + " dbeta", betd.grad(), bet.grad(), 1e-6);
                close(what + " running mean", rm64, rm32, 1e-6);
                close(what + " running var", rv64, rv32, 1e-5);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 20.0})
    void layerNormMatchesTheFloat64Path(double offset) {
        for (int[] s : new int[][] {{5, 7}, {3, 4, 128}, {2, 37}, {70, 16}}) {
            SplittableRandom r = new SplittableRandom(s[s.length - 1] * 7 + s.length);
            int len = s[s.length - 1];
            Tensor x32 = Tensor.randn(r, DType.FLOAT32, s).add(offset).detach();
            Tensor gam32 = Tensor.randn(r, DType.FLOAT32, len), bet32 = Tensor.randn(r, DType.FLOAT32, len);
            Tensor g32 = Tensor.randn(r, DType.FLOAT32, s);
            String what = "layer norm " + java.util.Arrays.toString(s) + " offset " + offset;
            Tensor x = leaf(x32), gam = leaf(gam32), bet = leaf(bet32);
            Tensor xd = leaf(x32.to(DType.FLOAT64)), gamd = leaf(gam32.to(DType.FLOAT64)), betd = leaf(bet32.to(DType.FLOAT64));
            Tensor y = Norm.layerNorm(x, 1, gam, bet, 1e-5), yd = Norm.layerNorm(xd, 1, gamd, betd, 1e-5);
            y.backward(g32, false);
            yd.backward(g32.to(DType.FLOAT64), false);
            close(what + " output", yd, y, 2e-6);
            close(what + " dx", xd.grad(), x.grad(), 1e-5);
            close(what + " dgamma", gamd.grad(), gam.grad(), 1e-5);
            close(what + " dbeta", betd.grad(), bet.grad(), 1e-6);
        }
    }
}
