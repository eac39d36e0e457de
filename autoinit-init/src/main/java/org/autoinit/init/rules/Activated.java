package org.autoinit.init.rules;

import java.util.function.DoubleUnaryOperator;

import org.autoinit.tensor.ops.ActivationKind;

/**
 * Provenance of a signal whose entries are {@code f(x) - shift} with x Gaussian: the max of k such entries is
 * {@code f(max x_i) - shift} when f is non-decreasing, so max pooling can integrate against the exact law of
 * the maximum of Gaussians instead of pretending the activation output is Gaussian.
 *
 * @param kind          the built-in activation, or null for a user function
 * @param alpha         its parameter (leaky slope, elu alpha); NaN when unused
 * @param function      f as a scalar function (for built-ins: {@code kind.apply(x, alpha)})
 * @param kinks         points where f is not smooth (quadrature splits there)
 * @param monotone      f is non-decreasing
 * @param shift         constant subtracted after f (the centring of "AutoInit++"; 0 otherwise)
 * @param preActivation the Gaussian input of f
 */
public record Activated(ActivationKind kind, double alpha, DoubleUnaryOperator function, double[] kinks, boolean monotone,
        double shift, Signal preActivation) {

    public Activated {
        if (function == null || kinks == null || preActivation == null) {
            throw new IllegalArgumentException("Activated: function, kinks and pre-activation signal are required");
        }
        kinks = kinks.clone();
    }

    /** Provenance of a built-in activation (alpha NaN for kinds without a parameter). */
    public static Activated of(ActivationKind kind, double alpha, double shift, Signal preActivation) {
        double a = kind.usesAlpha() ? alpha : Double.NaN;
        boolean monotone = kind.monotone() && (!kind.usesAlpha() || a >= 0);
        return new Activated(kind, a, x -> kind.apply(x, a), kind.kinks(a), monotone, shift, preActivation);
    }

    @Override
    public double[] kinks() {
        return kinks.clone();
    }
}
