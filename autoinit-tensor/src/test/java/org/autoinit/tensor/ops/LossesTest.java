package org.autoinit.tensor.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.testing.GradCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Cross-entropy, MSE and BCE-with-logits: hand values, naive formulas for every reduction, gradient checks. */
class LossesTest {
    private static final int[] LABELS = {2, 0, 1, 2};

    @Test
    void crossEntropyByHand() {
        // Row 0: logits (1, 2, 3), label 2: -ln(e^3 / (e + e^2 + e^3)) = ln(1 + e^-1 + e^-2) = 0.4076059644443804.
        // Row 1: logits (1, 0, 0), label 0: -ln(e / (e + 2)) = ln(1 + 2/e) = 0.5514447139320511.
        Tensor logits = Tensor.of(new double[] {1, 2, 3, 1, 0, 0}, 2, 3);
        Tensor none = Losses.crossEntropy(logits, new int[] {2, 0}, Reduction.NONE, 0);
        assertArrayEquals(new int[] {2}, none.shape());
        assertEquals(0.4076059644443804, none.getFlat(0), 1e-15);
        assertEquals(0.5514447139320511, none.getFlat(1), 1e-15);
        assertEquals((0.4076059644443804 + 0.5514447139320511) / 2, Losses.crossEntropy(logits, new int[] {2, 0}, Reduction.MEAN, 0).item(), 1e-15);
        assertEquals(0.4076059644443804 + 0.5514447139320511, Losses.crossEntropy(logits, new int[] {2, 0}, Reduction.SUM, 0).item(), 1e-15);
        assertEquals(0, Losses.crossEntropy(logits, new int[] {2, 0}, Reduction.SUM, 0).rank(), "SUM gives a scalar");
    }

    /** PyTorch's smoothing: (1 - eps) * nll + eps * mean_c(-log p_c), from softmax computed naively. */
    private static double naiveCrossEntropy(Tensor logits, int n, int label, double eps) {
        int c = logits.dim(1);
        double denom = 0;
        for (int j = 0; j < c; j++) denom += Math.exp(logits.get(n, j));
        double nll = -Math.log(Math.exp(logits.get(n, label)) / denom), uniform = 0;
        for (int j = 0; j < c; j++) uniform += -Math.log(Math.exp(logits.get(n, j)) / denom) / c;
        return (1 - eps) * nll + eps * uniform;
    }

    @ParameterizedTest(name = "{0} smoothing {1}")
    @CsvSource({"MEAN, 0", "SUM, 0", "NONE, 0", "MEAN, 0.1", "SUM, 0.25", "NONE, 1"})
    void crossEntropyMatchesNaiveAndPassesGradientCheck(Reduction r, double eps) {
        Tensor logits = GradCheck.param(7, 4, 3).name("logits");
        Tensor out = Losses.crossEntropy(logits, LABELS, r, eps);
        double total = 0;
        for (int n = 0; n < 4; n++) {
            double want = naiveCrossEntropy(logits, n, LABELS[n], eps);
            total += want;
            if (r == Reduction.NONE) assertEquals(want, out.getFlat(n), 1e-14, "sample " + n);
        }
        if (r != Reduction.NONE) assertEquals(r == Reduction.MEAN ? total / 4 : total, out.item(), 1e-14, r.toString());
        GradCheck.check("cross_entropy " + r + " eps " + eps, in -> Losses.crossEntropy(in.get(0), LABELS, r, eps), logits);
        Tensor f32 = Losses.crossEntropy(logits.detach().to(DType.FLOAT32), LABELS, r, eps);
        assertEquals(DType.FLOAT32, f32.dtype());
        for (int i = 0; i < out.numel(); i++) assertEquals(out.getFlat(i), f32.getFlat(i), 1e-6, "float32 " + r);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Tensor logits = Tensor.of(new double[] {1000, 0, -1000, 1000}, 2, 2).requiresGrad(true);
        Tensor loss = Losses.crossEntropy(logits, new int[] {1, 1}, Reduction.SUM, 0.1);
        // Row 0: nll 1000, uniform part (0 + 1000) / 2; row 1: nll 0, uniform part (2000 + 0) / 2.
        assertEquals(0.9 * 1000 + 0.1 * 500 + 0.9 * 0 + 0.1 * 1000, loss.item(), 1e-9);
        loss.backward();
        // softmax - q with q = (0.05, 0.95): row 0 softmax (1, 0), row 1 softmax (0, 1).
        double[] wantGrad = {1 - 0.05, 0 - 0.95, 0 - 0.05, 1 - 0.95};
        for (int i = 0; i < 4; i++) assertEquals(wantGrad[i], logits.grad().getFlat(i), 1e-12, "grad " + i);
        Tensor f32 = Losses.crossEntropy(Tensor.of(new float[] {1000f, -1000f}, 1, 2), new int[] {1}, Reduction.MEAN, 0);
        assertEquals(2000.0, f32.item(), 0.0);
    }

    @Test
    void crossEntropyErrorsSpeakTheUsersTerms() {
        Tensor logits = Tensor.zeros(DType.FLOAT32, 4, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(logits, new int[] {0, 1, 2, 12}, Reduction.MEAN, 0));
        assertEquals("cross_entropy: label 12 at index 3 is out of range for 10 classes", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, new int[] {0, -1, 2, 3}, Reduction.MEAN, 0));
        assertEquals("cross_entropy: label -1 at index 1 is out of range for 10 classes", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, new int[] {0, 1, 2}, Reduction.MEAN, 0));
        assertEquals("cross_entropy: 3 labels for logits of shape [4, 10] (expected 4)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(Tensor.zeros(DType.FLOAT32, 10), new int[] {1}, Reduction.MEAN, 0));
        assertEquals("cross_entropy: logits of shape [10] must have rank 2 (N, C)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, new int[4], Reduction.MEAN, 1.5));
        assertEquals("cross_entropy: label_smoothing must be in [0, 1], got 1.5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(logits, new int[4], Reduction.MEAN, Double.NaN));
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void mseMatchesNaiveAndPassesGradientCheck(Reduction r) {
        Tensor p = GradCheck.param(11, 3, 4).name("pred"), t = GradCheck.param(12, 3, 4).name("target");
        Tensor out = Losses.mse(p, t, r);
        double total = 0;
        for (int i = 0; i < 12; i++) {
            double d = p.getFlat(i) - t.getFlat(i);
            total += d * d;
            if (r == Reduction.NONE) assertEquals(d * d, out.getFlat(i), 1e-15, "element " + i);
        }
        if (r == Reduction.NONE) assertArrayEquals(new int[] {3, 4}, out.shape());
        else assertEquals(r == Reduction.MEAN ? total / 12 : total, out.item(), 1e-14);
        GradCheck.check("mse " + r, in -> Losses.mse(in.get(0), in.get(1), r), p, t);
    }

    @ParameterizedTest
    @EnumSource(Reduction.class)
    void bceWithLogitsMatchesNaiveAndPassesGradientCheck(Reduction r) {
        Tensor x = GradCheck.param(13, 2, 5).name("logits"), t = GradCheck.uniform(14, 0, 1, 2, 5).name("targets");
        Tensor out = Losses.bceWithLogits(x, t, r);
        double total = 0;
        for (int i = 0; i < 10; i++) {
            double s = 1 / (1 + Math.exp(-x.getFlat(i))), ti = t.getFlat(i);
            double want = -(ti * Math.log(s) + (1 - ti) * Math.log(1 - s));
            total += want;
            if (r == Reduction.NONE) assertEquals(want, out.getFlat(i), 1e-14, "element " + i);
        }
        if (r != Reduction.NONE) assertEquals(r == Reduction.MEAN ? total / 10 : total, out.item(), 1e-13);
        GradCheck.check("bce_with_logits " + r, in -> Losses.bceWithLogits(in.get(0), in.get(1), r), x, t);
    }

    @Test
    void bceWithLogitsIsStableForHugeLogits() {
        Tensor x = Tensor.of(new double[] {1000, -1000, 1000, -1000}, 4).requiresGrad(true);
        Tensor t = Tensor.of(new double[] {1, 0, 0, 1}, 4);
        Tensor l = Losses.bceWithLogits(x, t, Reduction.NONE);
        assertArrayEquals(new double[] {0, 0, 1000, 1000}, l.toDoubleArray(), 0.0);
        l.sum().backward();
        assertArrayEquals(new double[] {0, 0, 1, -1}, x.grad().toDoubleArray(), 0.0);
    }

    @Test
    void shapeAndDTypeMismatchesNameBothSides() {
        Tensor a = Tensor.zeros(DType.FLOAT32, 2, 3), b = Tensor.zeros(DType.FLOAT32, 3, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.mse(a, b, Reduction.MEAN));
        assertEquals("mse_loss: pred of shape [2, 3] and target of shape [3, 2] must have the same shape", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.bceWithLogits(a, b, Reduction.SUM));
        assertEquals("binary_cross_entropy_with_logits: logits of shape [2, 3] and targets of shape [3, 2] must have the same shape",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Losses.mse(a, Tensor.zeros(DType.FLOAT64, 2, 3), Reduction.SUM));
        assertTrue(e.getMessage().startsWith("mse_loss: dtypes float32 and float64 differ"), e.getMessage());
    }

    @Test
    void float32LossesTrackFloat64() {
        Tensor p = Tensor.randn(new SplittableRandom(21), DType.FLOAT64, 8, 3), t = Tensor.randn(new SplittableRandom(22), DType.FLOAT64, 8, 3);
        double m64 = Losses.mse(p, t, Reduction.MEAN).item();
        double m32 = Losses.mse(p.to(DType.FLOAT32), t.to(DType.FLOAT32), Reduction.MEAN).item();
        assertEquals(m64, m32, 1e-6 * m64);
    }
}
