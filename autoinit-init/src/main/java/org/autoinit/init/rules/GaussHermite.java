package org.autoinit.init.rules;

/**
 * Fixed Gauss-Hermite rule for expectations over a standard normal: {@code E[g(Z)] ~ sum w_i g(z_i)}, exact
 * for polynomials of degree < 2n. Used where the integrand is a Gaussian smoothing of an activation (smooth
 * even when the activation has kinks), so a few nodes suffice.
 */
final class GaussHermite {
    private GaussHermite() {}

    static final int N = 24;
    /** Nodes z_i and weights w_i (summing to 1) for N(0, 1). */
    static final double[] Z = new double[N], W = new double[N];

    static {
        // Newton iteration on the physicists' Hermite polynomial H_N (weight e^{-x^2}), roots from the largest down.
        double pim4 = 0.7511255444649425; // pi^(-1/4)
        double z = 0;
        int m = (N + 1) / 2;
        for (int i = 0; i < m; i++) {
            if (i == 0) {
                z = Math.sqrt(2.0 * N + 1) - 1.85575 * Math.pow(2.0 * N + 1, -0.16667);
            } else if (i == 1) {
                z -= 1.14 * Math.pow(N, 0.426) / z;
            } else if (i == 2) {
                z = 1.86 * z - 0.86 * Z[0] / Math.sqrt(2);
            } else if (i == 3) {
                z = 1.91 * z - 0.91 * Z[1] / Math.sqrt(2);
            } else {
                z = 2.0 * z - Z[i - 2] / Math.sqrt(2);
            }
            double pp = 0;
            for (int it = 0; it < 100; it++) {
                double p1 = pim4, p2 = 0;
                for (int j = 0; j < N; j++) {
                    double p3 = p2;
                    p2 = p1;
                    p1 = z * Math.sqrt(2.0 / (j + 1)) * p2 - Math.sqrt((double) j / (j + 1)) * p3;
                }
                pp = Math.sqrt(2.0 * N) * p2;
                double z1 = z;
                z = z1 - p1 / pp;
                if (Math.abs(z - z1) <= 1e-15) {
                    break;
                }
            }
            double w = 2.0 / (pp * pp);
            // Probabilists' form: node sqrt(2) x, weight w / sqrt(pi).
            Z[i] = Math.sqrt(2) * z;
            Z[N - 1 - i] = -Math.sqrt(2) * z;
            W[i] = W[N - 1 - i] = w / Math.sqrt(Math.PI);
        }
    }
}
