package org.autoinit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.testing.LayerGradCheck;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class NormLayersTest {
    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, shape);
    }

    @Test
    void batchNorm2dTrainingMatchesNaiveLoopsAndUpdatesRunningStats() {
        BatchNorm bn = BatchNorm.builder().name("bn").build();
        bn.build(new int[] {2, 3, 3});
        bn.to(DType.FLOAT64);
        assertEquals(List.of("gamma", "beta", "running_mean", "running_var"), bn.parameters().stream().map(Parameter::name).toList());
        assertEquals(ParamKind.BUFFER, bn.runningVar().kind());
        assertFalse(bn.runningMean().trainable());
        bn.gamma().value().setFlat(1, 2.0);
        bn.beta().value().setFlat(1, 0.5);
        Tensor x = randn(1, 4, 2, 3, 3).mul(3.0).add(1.0);
        Tensor y = bn.forward(ForwardContext.training(new SplittableRandom(0)), x);
        for (int c = 0; c < 2; c++) {
            double sum = 0, sq = 0;
            int cnt = 0;
            for (int n = 0; n < 4; n++) for (int h = 0; h < 3; h++) for (int w = 0; w < 3; w++) {
                double v = x.get(n, c, h, w);
                sum += v;
                sq += v * v;
                cnt++;
            }
            double mean = sum / cnt, var = sq / cnt - mean * mean;
            double g = c == 1 ? 2.0 : 1.0, b = c == 1 ? 0.5 : 0.0;
            for (int n = 0; n < 4; n++) for (int h = 0; h < 3; h++) for (int w = 0; w < 3; w++) {
                assertEquals(g * (x.get(n, c, h, w) - mean) / Math.sqrt(var + 1e-5) + b, y.get(n, c, h, w), 1e-9);
            }
            assertEquals(0.1 * mean, bn.runningMean().value().getFlat(c), 1e-12, "running mean, momentum 0.1");
            assertEquals(0.9 + 0.1 * var * cnt / (cnt - 1), bn.runningVar().value().getFlat(c), 1e-12, "running var, unbiased");
        }
        // Eval mode normalizes with the running statistics.
        Tensor ye = bn.forward(ForwardContext.eval(), x);
        double rm = bn.runningMean().value().getFlat(0), rv = bn.runningVar().value().getFlat(0);
        assertEquals((x.get(0, 0, 0, 0) - rm) / Math.sqrt(rv + 1e-5), ye.get(0, 0, 0, 0), 1e-9);
    }

    @Test
    void batchNorm1dOnFeatures() {
        BatchNorm bn = new BatchNorm();
        assertArrayEquals(new int[] {3}, bn.build(new int[] {3}));
        LayerGradCheck.checkTraining("batchnorm1d train", bn, 1, LayerGradCheck.input(1, 5, 3));
        LayerGradCheck.check("batchnorm1d eval", bn, 1, LayerGradCheck.input(2, 5, 3));
        LayerGradCheck.checkTraining("batchnorm2d train", new BatchNorm(), 1, LayerGradCheck.input(3, 2, 2, 3, 2));
        LayerGradCheck.checkTraining("batchnorm no affine", BatchNorm.builder().affine(false).build(), 1, LayerGradCheck.input(4, 3, 2, 2));
    }

    @Test
    void layerNormMatchesNaiveLoops() {
        LayerNorm ln = new LayerNorm("ln");
        ln.build(new int[] {2, 4});
        ln.to(DType.FLOAT64);
        LayerGradCheck.randomize(ln.parameters(), 1, 3);
        Tensor x = randn(5, 3, 2, 4);
        Tensor y = ln.forward(ForwardContext.eval(), x);
        for (int n = 0; n < 3; n++) for (int t = 0; t < 2; t++) {
            double m = 0, v = 0;
            for (int d = 0; d < 4; d++) m += x.get(n, t, d) / 4;
            for (int d = 0; d < 4; d++) v += Math.pow(x.get(n, t, d) - m, 2) / 4;
            for (int d = 0; d < 4; d++) {
                double want = ln.gamma().value().getFlat(d) * (x.get(n, t, d) - m) / Math.sqrt(v + 1e-5) + ln.beta().value().getFlat(d);
                assertEquals(want, y.get(n, t, d), 1e-9);
            }
        }
        LayerGradCheck.check("layernorm", new LayerNorm(), 1, LayerGradCheck.input(6, 2, 3, 4));
        LayerGradCheck.check("layernorm 2 dims", new LayerNorm(null, 2, 1e-5), 1, LayerGradCheck.input(7, 2, 3, 4));
    }

    @Test
    void groupNormMatchesNaiveLoops() {
        GroupNorm gn = new GroupNorm(2);
        gn.build(new int[] {4, 3});
        gn.to(DType.FLOAT64);
        Tensor x = randn(8, 2, 4, 3);
        Tensor y = gn.forward(ForwardContext.eval(), x);
        for (int n = 0; n < 2; n++) for (int g = 0; g < 2; g++) {
            double m = 0, v = 0;
            for (int c = 2 * g; c < 2 * g + 2; c++) for (int l = 0; l < 3; l++) m += x.get(n, c, l) / 6;
            for (int c = 2 * g; c < 2 * g + 2; c++) for (int l = 0; l < 3; l++) v += Math.pow(x.get(n, c, l) - m, 2) / 6;
            for (int c = 2 * g; c < 2 * g + 2; c++) for (int l = 0; l < 3; l++) {
                assertEquals((x.get(n, c, l) - m) / Math.sqrt(v + 1e-5), y.get(n, c, l), 1e-9);
            }
        }
        LayerGradCheck.check("groupnorm", new GroupNorm(2), 1, LayerGradCheck.input(9, 2, 4, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GroupNorm("gn", 3, 1e-5).build(new int[] {4, 2}));
        assertTrue(e.getMessage().startsWith("GroupNorm 'gn': the 4 channels"), e.getMessage());
    }

    @Test
    void normsStartAsIdentityAffine() {
        LayerNorm ln = new LayerNorm();
        ln.build(new int[] {5});
        assertTrue(java.util.Arrays.stream(ln.gamma().value().toDoubleArray()).allMatch(v -> v == 1));
        assertTrue(java.util.Arrays.stream(ln.beta().value().toDoubleArray()).allMatch(v -> v == 0));
        BatchNorm bn = new BatchNorm();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.build(new int[] {1, 2, 3, 4}));
        assertTrue(e.getMessage().contains("must be (C), (C, L) or (C, H, W)"), e.getMessage());
    }
}
