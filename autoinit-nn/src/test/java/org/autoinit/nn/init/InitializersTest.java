package org.autoinit.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.autoinit.nn.Fans;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class InitializersTest {
    private static final Fans FANS = new Fans(512, 256);

    private static double[] sample(Initializer init, Fans fans, long seed, int... shape) {
        Tensor t = Tensor.zeros(DType.FLOAT32, shape);
        init.initialize(t, fans, new SplittableRandom(seed));
        return t.toDoubleArray();
    }

    private static double mean(double[] x) {
        return Arrays.stream(x).sum() / x.length;
    }

    private static double var(double[] x) {
        double m = mean(x), s = 0;
        for (double v : x) s += (v - m) * (v - m);
        return s / x.length;
    }

    /** Sample variance of 262,144 entries: relative standard error ~sqrt(2/n) = 0.3% (normal), so 3% is > 10 SE. */
    private static void assertVariance(String name, Initializer init, double want) {
        double[] x = sample(init, FANS, 1, 512, 512);
        assertEquals(0, mean(x), 5 * Math.sqrt(want / x.length), name + " mean");
        assertEquals(want, var(x), 0.03 * want, name + " variance");
    }

    @Test
    void varianceScalingPresetsMatchTheirFormulas() {
        double fin = 512, fout = 256;
        assertVariance("glorotUniform", Initializers.glorotUniform(), 2 / (fin + fout));
        assertVariance("glorotNormal", Initializers.glorotNormal(), 2 / (fin + fout));
        assertVariance("glorotTruncatedNormal", Initializers.glorotTruncatedNormal(), 2 / (fin + fout));
        assertVariance("heUniform", Initializers.heUniform(), 2 / fin);
        assertVariance("heNormal", Initializers.heNormal(), 2 / fin);
        assertVariance("heNormal fan_out", Initializers.heNormal(FanMode.FAN_OUT), 2 / fout);
        assertVariance("heUniform fan_out", Initializers.heUniform(FanMode.FAN_OUT), 2 / fout);
        assertVariance("heTruncatedNormal", Initializers.heTruncatedNormal(), 2 / fin);
        assertVariance("lecunUniform", Initializers.lecunUniform(), 1 / fin);
        assertVariance("lecunNormal", Initializers.lecunNormal(), 1 / fin);
        assertVariance("lecunTruncatedNormal", Initializers.lecunTruncatedNormal(), 1 / fin);
        assertVariance("pytorchLinear", Initializers.pytorchLinear(), 1 / (3 * fin));
        assertVariance("normal(0, 0.02)", Initializers.normal(0, 0.02), 0.0004);
        assertVariance("uniform(-0.05, 0.05)", Initializers.uniform(-0.05, 0.05), 0.01 / 12);
        assertVariance("keras truncatedNormal(0.1)", Initializers.truncatedNormal(0.1), 0.01 * 0.77374);
    }

    @Test
    void boundsOfUniformAndTruncatedDistributions() {
        double[] u = sample(Initializers.glorotUniform(), FANS, 2, 512, 512);
        double bound = Math.sqrt(6.0 / (512 + 256));
        assertTrue(Arrays.stream(u).allMatch(v -> Math.abs(v) <= bound * (1 + 1e-6)));
        assertTrue(Arrays.stream(u).map(Math::abs).max().getAsDouble() > 0.99 * bound);
        double[] p = sample(Initializers.pytorchLinear(), FANS, 2, 512, 512);
        assertTrue(Arrays.stream(p).allMatch(v -> Math.abs(v) <= 1 / Math.sqrt(512) * (1 + 1e-6)));
        double[] t = sample(Initializers.heTruncatedNormal(), FANS, 3, 512, 512);
        double cut = 2 * Math.sqrt(2.0 / 512) / 0.87962566103423978;
        assertTrue(Arrays.stream(t).allMatch(v -> Math.abs(v) <= cut * (1 + 1e-6)));
        assertTrue(Arrays.stream(t).map(Math::abs).max().getAsDouble() > 0.98 * cut);
    }

    @Test
    void convShapedTensorUsesExplicitFans() {
        // Conv [O=64, C=32, 3, 3]: fan_in = 288; the shape alone is never consulted.
        double[] x = sample(Initializers.heNormal(), new Fans(288, 576), 4, 64, 32, 3, 3);
        assertEquals(2.0 / 288, var(x), 0.03 * 2.0 / 288);
    }

    @Test
    void sameSeedIdenticalDifferentSeedDifferent() {
        Initializer[] all = {Initializers.glorotUniform(), Initializers.heNormal(), Initializers.lecunTruncatedNormal(),
                Initializers.orthogonal(1), Initializers.normal(0, 1), Initializers.uniform(-1, 1)};
        for (Initializer init : all) {
            assertArrayEquals(sample(init, FANS, 9, 32, 16), sample(init, FANS, 9, 32, 16), init.toString());
            assertFalse(Arrays.equals(sample(init, FANS, 9, 32, 16), sample(init, FANS, 10, 32, 16)), init.toString());
        }
    }

    @Test
    void constants() {
        assertTrue(Arrays.stream(sample(Initializers.zeros(), null, 1, 3, 3)).allMatch(v -> v == 0));
        assertTrue(Arrays.stream(sample(Initializers.ones(), null, 1, 3, 3)).allMatch(v -> v == 1));
        assertTrue(Arrays.stream(sample(Initializers.constant(0.25), null, 1, 4)).allMatch(v -> v == 0.25));
    }

    @Test
    void orthogonalRowsOrColumnsAreOrthonormal() {
        for (int[] shape : new int[][] {{64, 64}, {32, 96}, {96, 32}, {16, 4, 3, 3}}) {
            double gain = 1.5;
            Tensor t = Tensor.zeros(DType.FLOAT64, shape);
            Initializers.orthogonal(gain).initialize(t, null, new SplittableRandom(5));
            int rows = shape[0], cols = t.numel() / rows;
            boolean byRows = rows <= cols;
            int k = byRows ? rows : cols, len = byRows ? cols : rows;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double dot = 0;
                    for (int l = 0; l < len; l++) {
                        double a = byRows ? t.getFlat(i * cols + l) : t.getFlat(l * cols + i);
                        double b = byRows ? t.getFlat(j * cols + l) : t.getFlat(l * cols + j);
                        dot += a * b;
                    }
                    assertEquals(i == j ? gain * gain : 0, dot, 1e-9, Arrays.toString(shape) + " (" + i + "," + j + ")");
                }
            }
            assertEquals(gain * gain / Math.max(rows, cols), var(t.toDoubleArray()), 0.1 * gain * gain / Math.max(rows, cols));
        }
    }

    @Test
    void varianceScalingRejectsMissingFans() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Initializers.heNormal().initialize(Tensor.zeros(DType.FLOAT32, 3), null, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("has no fans"));
    }
}
