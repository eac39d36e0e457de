package org.autoinit.init.moments.numeric;

/**
 * n-point Gauss-Hermite rules for expectations over a standard normal: {@code E[g(Z)] ~ sum_i w_i g(z_i)}, weights
 * summing to 1, exact for polynomials of degree < 2n. Nodes by Newton's method on the orthonormal Hermite
 * polynomial (weight e^{-x^2}) from the classic asymptotic first guesses, largest root first.
 */
public final class GaussHermiteRule {
    /** Nodes z_i (descending) and weights w_i for N(0, 1). */
    public final double[] z, w;

    private GaussHermiteRule(double[] z, double[] w) {
        this.z = z;
        this.w = w;
    }

    /** The n-point rule (n >= 1). */
    public static GaussHermiteRule of(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Gauss-Hermite rule: need at least 1 node, got " + n);
        }
        double[] zs = new double[n], ws = new double[n];
        double pim4 = 0.7511255444649425; // pi^(-1/4)
        double x = 0;
        int m = (n + 1) / 2;
        double[] roots = new double[m];
        for (int i = 0; i < m; i++) {
            if (i == 0) {
                x = Math.sqrt(2.0 * n + 1) - 1.85575 * Math.pow(2.0 * n + 1, -0.16667);
            } else if (i == 1) {
                x -= 1.14 * Math.pow(n, 0.426) / x;
            } else if (i == 2) {
                x = 1.86 * x - 0.86 * roots[0];
            } else if (i == 3) {
                x = 1.91 * x - 0.91 * roots[1];
            } else {
                x = 2.0 * x - roots[i - 2];
            }
            double pp = 0;
            for (int it = 0; it < 100; it++) {
                double p1 = pim4, p2 = 0;
                for (int j = 0; j < n; j++) {
                    double p3 = p2;
                    p2 = p1;
                    p1 = x * Math.sqrt(2.0 / (j + 1)) * p2 - Math.sqrt((double) j / (j + 1)) * p3;
                }
                pp = Math.sqrt(2.0 * n) * p2;
                double x1 = x;
                x = x1 - p1 / pp;
                if (Math.abs(x - x1) <= 1e-15 * Math.max(1, Math.abs(x))) {
                    break;
                }
            }
            roots[i] = x;
            double wt = 2.0 / (pp * pp) / Math.sqrt(Math.PI);
            // Probabilists' form: node sqrt(2) x, weight w / sqrt(pi).
            zs[i] = Math.sqrt(2) * x;
            zs[n - 1 - i] = -Math.sqrt(2) * x;
            ws[i] = ws[n - 1 - i] = wt;
        }
        if (n % 2 == 1) {
            zs[m - 1] = 0;
        }
        return new GaussHermiteRule(zs, ws);
    }
}
