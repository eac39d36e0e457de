package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.autoinit.init.CentredActivations;
import org.autoinit.init.moments.ActivationMoments;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.layers.Activation;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

/**
 * Centred activations {@code f(x) - c}, c = E[f(z)] ("AutoInit++"), on the path a deep MLP uses: the per-sample scale
 * mixture ({@link ScaleMixture}) with the shift, against the real layer; and the length map of centred relu, which is
 * why a deep stack of it drifts (docs/moment-propagation.md, section 6).
 */
class CentredActivationTest {
    private static final double C = 1 / Math.sqrt(2 * Math.PI);

    /**
     * Inputs {@code y = sqrt(r) g}, one r per sample ({@code log r ~ N(-t/2, t)}), g iid N(0, 1) per entry: the real
     * centred layer's output mean and variance against {@code ScaleMixture.marginals} with the layer's shift (exact
     * for zero-mean inputs up to its 7-node rule in log r).
     */
    @Test
    void scaleMixtureOfACentredActivationMatchesTheRealLayer() {
        double t = 0.3;
        int width = 128, batch = 250;
        for (ActivationKind kind : new ActivationKind[] {ActivationKind.RELU, ActivationKind.SOFTPLUS, ActivationKind.GELU}) {
            Activation layer = CentredActivations.of(kind);
            Model m = RuleTesting.single(layer, new int[] {width});
            Moments p = ScaleMixture.marginals(layer, layer.shift(), new double[] {0}, new double[] {1}, t)[0];
            MonteCarlo.Estimate e = MonteCarlo.replicate(40, rep -> {
                SplittableRandom rng = new SplittableRandom(7000 + rep);
                Tensor x = Tensor.zeros(DType.FLOAT32, batch, width);
                float[] a = x.floatData();
                for (int i = 0; i < batch; i++) {
                    double s = Math.exp(0.5 * (-t / 2 + Math.sqrt(t) * rng.nextGaussian()));
                    for (int j = 0; j < width; j++) {
                        a[i * width + j] = (float) (s * rng.nextGaussian());
                    }
                }
                try (GradMode.Scope g = GradMode.noGrad()) {
                    return m.forward(ForwardContext.training(rng), x);
                }
            });
            MonteCarlo.assertExact(kind.id() + " centred, per-sample scale mixture t = " + t, p, e);
        }
    }

    /**
     * Centred relu of a zero-mean mixture in closed form: {@code E[relu(sqrt(r) g)] = c E[sqrt r]}, {@code E[sqrt r] =
     * e^{-t/8}}; the second moment is {@code E[M2(r)] = M2(1) + c^2 E[(sqrt r - 1)^2]} (see the next test).
     */
    @Test
    void centredReluOfAMixtureInClosedForm() {
        Activation layer = CentredActivations.of(ActivationKind.RELU);
        assertEquals(C, layer.shift(), 1e-12);
        for (double t : new double[] {0.1, 0.5, 1.0}) {
            Moments p = ScaleMixture.marginals(layer, layer.shift(), new double[] {0}, new double[] {1}, t)[0];
            double sqrtR = Math.exp(-t / 8);
            assertEquals(C * sqrtR - C, p.mean(), 1e-7, "mean at t = " + t);
            assertEquals(0.5 - C * C + C * C * (2 - 2 * sqrtR), p.secondMoment(), 1e-7, "second moment at t = " + t);
        }
    }

    /**
     * The length map of centred relu: a sample whose pre-activations have variance r gets output energy
     * {@code M2(r) = r/2 - 2 c^2 sqrt(r) + c^2 = r M2(1) + c^2 (sqrt(r) - 1)^2}. After a layer that restores
     * {@code E[M2] = M2(1)} on average, the normalized map {@code r -> M2(r)/M2(1)} has slope 1 at r = 1 and lies above
     * the identity on both sides: every sample's scale is pushed up, and the samples above 1 move away faster
     * (elasticity above 1), while M2(0) = c^2 floors the small ones. Plain relu has {@code M2(r) = r/2} exactly.
     */
    @Test
    void centredReluLengthMapLiesAboveTheIdentity() {
        double m1 = 0.5 - C * C;
        for (double r : new double[] {0.05, 0.3, 0.8, 1.0, 1.5, 3.0, 10.0}) {
            double m2 = ActivationMoments.ofCentred(ActivationKind.RELU, 0, Moments.of(0, r)).secondMoment();
            double gap = Math.sqrt(r) - 1;
            assertEquals(r * m1 + C * C * gap * gap, m2, 1e-12 * Math.max(1, r), "M2 at r = " + r);
        }
    }
}
