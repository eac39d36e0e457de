package org.autoinit.nn.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Optimizer updates against values computed by hand (SGD) or by the textbook formula written out here (Adam). */
class OptimizerTest {

    private static Tensor param(DType dt, double... v) {
        Tensor t = Tensor.zeros(dt, v.length);
        for (int i = 0; i < v.length; i++) t.setFlat(i, v[i]);
        return t.requiresGrad(true);
    }

    private static void setGrad(Tensor p, double... g) {
        p.zeroGrad();
        Tensor t = Tensor.zeros(p.dtype(), g.length);
        for (int i = 0; i < g.length; i++) t.setFlat(i, g[i]);
        p.accumulateGrad(t);
    }

    private static Map<String, Tensor> one(Tensor p) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", p);
        return m;
    }

    @Test
    void sgdMomentumMatchesHandComputation() {
        for (DType dt : DType.values()) {
            Tensor p = param(dt, 1.0, -2.0);
            Optimizer opt = Sgd.builder(one(p), 0.1).momentum(0.9).build();
            // buf1 = g; buf2 = 0.9 buf1 + g; buf3 = 0.9 buf2 + g; p -= 0.1 buf
            double[][] expected = {{0.95, -2.1}, {0.855, -2.29}, {0.7195, -2.561}};
            for (double[] e : expected) {
                setGrad(p, 0.5, 1.0);
                opt.step();
                assertArrayEquals(e, p.toDoubleArray(), dt == DType.FLOAT32 ? 1e-6 : 1e-12, "SGD momentum " + dt);
            }
        }
    }

    @Test
    void sgdMomentumFloat32IsTheFloatFormulaBitForBitOnLargeParameters() {
        // Large enough to be split over the threads: the vectorized momentum loop against the formula in float.
        int n = 100_003;
        java.util.SplittableRandom r = new java.util.SplittableRandom(4);
        float[] want = new float[n], buf = new float[n];
        double[] init = new double[n];
        for (int i = 0; i < n; i++) init[i] = want[i] = (float) r.nextGaussian();
        Tensor p = param(DType.FLOAT32, init);
        Optimizer opt = Sgd.builder(one(p), 0.01).momentum(0.9).build();
        for (int step = 0; step < 3; step++) {
            double[] g = new double[n];
            for (int i = 0; i < n; i++) g[i] = (float) r.nextGaussian();
            setGrad(p, g);
            opt.step();
            for (int i = 0; i < n; i++) {
                float gi = (float) g[i];
                buf[i] = step == 0 ? gi : 0.9f * buf[i] + 1f * gi;
                want[i] -= 0.01f * buf[i];
            }
            float[] got = p.floatData();
            for (int i = 0; i < n; i++) {
                assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]), "step " + step + " i=" + i);
            }
        }
    }

    @Test
    void sgdNesterovWithWeightDecayMatchesHandComputation() {
        Tensor p = param(DType.FLOAT64, 1.0);
        Optimizer opt = Sgd.builder(one(p), 0.1).momentum(0.5).nesterov(true).weightDecay(0.1).build();
        // d = 2 + 0.1 p; buf = 0.5 buf + d (buf = d first); p -= 0.1 (d + 0.5 buf)
        double[] expected = {0.685, 0.322225, -0.060570875};
        for (double e : expected) {
            setGrad(p, 2.0);
            opt.step();
            assertEquals(e, p.item(), 1e-12);
        }
    }

    @Test
    void sgdDampeningClonesTheFirstGradient() {
        Tensor p = param(DType.FLOAT64, 0.0);
        Optimizer opt = Sgd.builder(one(p), 1.0).momentum(0.9).dampening(0.5).build();
        // buf1 = 1 (no dampening on the first step, as PyTorch); buf2 = 0.9 + 0.5; buf3 = 1.26 + 0.5
        double[] expected = {-1.0, -2.4, -4.16};
        for (double e : expected) {
            setGrad(p, 1.0);
            opt.step();
            assertEquals(e, p.item(), 1e-12);
        }
    }

    @Test
    void plainSgdKeepsNoStateAndSkipsParametersWithoutGradient() {
        Tensor a = param(DType.FLOAT32, 1.0), b = param(DType.FLOAT32, 5.0);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("a", a);
        m.put("b", b);
        Optimizer opt = Sgd.builder(m, 0.5).build();
        setGrad(a, 2.0);
        opt.step();
        assertEquals(0.0, a.item(), 0);
        assertEquals(5.0, b.item(), 0);
        assertTrue(opt.state().isEmpty());
        opt.zeroGrad();
        assertNull(a.grad());
    }

    /** Textbook Adam, written independently: m, v moments, bias-corrected, eps outside the square root. */
    private static double[] adamReference(double p, double[] grads, double lr, double b1, double b2, double eps, double wd, boolean decoupled) {
        double m = 0, v = 0;
        double[] out = new double[grads.length];
        for (int t = 1; t <= grads.length; t++) {
            double g = grads[t - 1];
            if (decoupled) {
                p = p - lr * wd * p;
            } else {
                g = g + wd * p;
            }
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mHat = m / (1 - Math.pow(b1, t));
            double vHat = v / (1 - Math.pow(b2, t));
            p = p - lr * mHat / (Math.sqrt(vHat) + eps);
            out[t - 1] = p;
        }
        return out;
    }

    @Test
    void adamAndAdamWMatchTheTextbookFormula() {
        double[] grads = {1.0, -2.0, 0.5};
        for (DType dt : DType.values()) {
            for (double eps : new double[] {1e-8, 0.1}) {
                for (double wd : new double[] {0.0, 0.1}) {
                    for (boolean decoupled : new boolean[] {false, true}) {
                        Tensor p = param(dt, 1.0);
                        Adam.Builder b = decoupled ? AdamW.builder(one(p), 0.1) : Adam.builder(one(p), 0.1);
                        Optimizer opt = b.betas(0.9, 0.999).eps(eps).weightDecay(wd).build();
                        double[] expected = adamReference(1.0, grads, 0.1, 0.9, 0.999, eps, wd, decoupled);
                        String c = opt.type() + " " + dt + " eps=" + eps + " wd=" + wd;
                        for (int t = 0; t < grads.length; t++) {
                            setGrad(p, grads[t]);
                            opt.step();
                            assertEquals(expected[t], p.item(), dt == DType.FLOAT32 ? 2e-6 : 1e-12, c + " step " + (t + 1));
                        }
                        assertEquals(3.0, opt.state().get("w.step").item(), 0, c);
                    }
                }
            }
        }
    }

    @Test
    void adamFirstStepMovesByAlmostExactlyTheLearningRate() {
        // Bias correction makes m_hat = g and v_hat = g^2 on step 1: update = lr * g / (|g| + eps).
        Tensor p = param(DType.FLOAT64, 1.0);
        Optimizer opt = Adam.builder(one(p), 0.1).build();
        setGrad(p, 1.0);
        opt.step();
        assertEquals(1.0 - 0.1 / (1 + 1e-8), p.item(), 1e-15);
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        for (boolean adam : new boolean[] {false, true}) {
            Tensor p1 = param(DType.FLOAT32, 0.3, -0.7, 1.1);
            Tensor p2 = p1.detach().copy().requiresGrad(true);
            Optimizer a = adam ? AdamW.builder(one(p1), 0.01).build() : Sgd.builder(one(p1), 0.1).momentum(0.9).nesterov(true).build();
            Optimizer b = adam ? AdamW.builder(one(p2), 0.01).build() : Sgd.builder(one(p2), 0.1).momentum(0.9).nesterov(true).build();
            for (int s = 0; s < 2; s++) {
                setGrad(p1, 0.1 * s + 0.2, -0.3, 0.4);
                a.step();
            }
            p2.copy_(p1);
            Map<String, Tensor> saved = new LinkedHashMap<>();
            a.state().forEach((k, v) -> saved.put(k, v.copy()));
            b.loadState(saved);
            setGrad(p1, 0.5, 0.6, -0.7);
            setGrad(p2, 0.5, 0.6, -0.7);
            a.step();
            b.step();
            assertArrayEquals(p1.toFloatArray(), p2.toFloatArray(), 0f, a.type());
            assertEquals(a.state().keySet(), b.state().keySet());
        }
    }

    @Test
    void loadStateRejectsUnknownAndMisshapenEntries() {
        Tensor p = param(DType.FLOAT32, 1, 2);
        Optimizer opt = Adam.builder(one(p), 0.1).build();
        var e1 = assertThrows(IllegalArgumentException.class, () -> opt.loadState(Map.of("v.exp_avg", Tensor.zeros(DType.FLOAT32, 2))));
        assertEquals("Adam.loadState: 'v.exp_avg' does not belong to any parameter of this optimizer", e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> opt.loadState(Map.of("w.exp_avg", Tensor.zeros(DType.FLOAT32, 3))));
        assertEquals("Adam.loadState: 'w.exp_avg' has shape [3] but [2] is expected", e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> opt.loadState(Map.of("w.momentum_buffer", Tensor.zeros(DType.FLOAT32, 2))));
        assertTrue(e3.getMessage().startsWith("Adam.loadState: 'w.momentum_buffer' has unknown slot 'momentum_buffer'"), e3.getMessage());
    }

    @Test
    void invalidSettingsAreRejected() {
        Tensor p = param(DType.FLOAT32, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> Sgd.builder(one(p), -1).build());
        assertEquals("SGD: learning rate must be finite and >= 0, got -1.0", e.getMessage());
        var n = assertThrows(IllegalArgumentException.class, () -> Sgd.builder(one(p), 0.1).nesterov(true).build());
        assertTrue(n.getMessage().contains("Nesterov momentum requires a momentum > 0"), n.getMessage());
        var b = assertThrows(IllegalArgumentException.class, () -> Adam.builder(one(p), 0.1).betas(1.0, 0.9).build());
        assertEquals("Adam: betas must be in [0, 1), got (1.0, 0.9)", b.getMessage());
        var leaf = assertThrows(IllegalArgumentException.class, () -> Sgd.builder(one(p.mul(2.0)), 0.1).build());
        assertTrue(leaf.getMessage().contains("'w' is not a leaf tensor"), leaf.getMessage());
    }

    @Test
    void namedListsUseTheirIndex() {
        Tensor a = param(DType.FLOAT32, 1), b = param(DType.FLOAT32, 2);
        assertEquals(List.of("0", "1"), List.copyOf(Optimizer.named(List.of(a, b)).keySet()));
    }
}
