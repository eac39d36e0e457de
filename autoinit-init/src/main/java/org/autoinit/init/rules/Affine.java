package org.autoinit.init.rules;

import org.autoinit.nn.Parameter;

/** Pooled statistics of a normalization layer's actual per-channel scale gamma and shift beta (null = 1 and 0). */
record Affine(double gamma2, double beta, double beta2) {

    static Affine of(Parameter gamma, Parameter beta) {
        double g2 = 1, b = 0, b2 = 0;
        if (gamma != null) {
            g2 = 0;
            int n = gamma.numel();
            for (int i = 0; i < n; i++) {
                double x = gamma.value().getFlat(i);
                g2 += x * x;
            }
            g2 /= n;
        }
        if (beta != null) {
            int n = beta.numel();
            for (int i = 0; i < n; i++) {
                double x = beta.value().getFlat(i);
                b += x;
                b2 += x * x;
            }
            b /= n;
            b2 /= n;
        }
        return new Affine(g2, b, b2);
    }

    /** Variance of beta across channels: the per-channel constants the layer adds. */
    double betaVariance() {
        return Math.max(0, beta2 - beta * beta);
    }
}
