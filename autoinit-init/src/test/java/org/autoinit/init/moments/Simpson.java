package org.autoinit.init.moments;

import java.util.function.DoubleUnaryOperator;

/**
 * The independent reference for the quadrature: a plain composite Simpson rule, compensated (Kahan)
 * summation, no adaptivity and no kink splitting.
 */
final class Simpson {
    private Simpson() {}

    /** integral_a^b g over n (even) intervals. */
    static double integrate(DoubleUnaryOperator g, double a, double b, int n) {
        double h = (b - a) / n, sum = 0, comp = 0;
        for (int i = 0; i <= n; i++) {
            double w = i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2);
            double term = w * g.applyAsDouble(a + i * h) - comp;
            double t = sum + term;
            comp = (t - sum) - term;
            sum = t;
        }
        return sum * h / 3;
    }

    /** [E f(X), E f(X)^2] for X ~ N(mu, v) by Simpson over z in [-15, 15] with n intervals (one pass for both). */
    static double[] gaussianMoments(DoubleUnaryOperator f, double mu, double v, int n) {
        double sigma = Math.sqrt(v), a = -15, b = 15, h = (b - a) / n;
        double s1 = 0, c1 = 0, s2 = 0, c2 = 0;
        for (int i = 0; i <= n; i++) {
            double z = a + i * h;
            double w = (i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2)) * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
            double y = f.applyAsDouble(mu + sigma * z);
            double t1 = w * y - c1, u1 = s1 + t1;
            c1 = (u1 - s1) - t1;
            s1 = u1;
            double t2 = w * y * y - c2, u2 = s2 + t2;
            c2 = (u2 - s2) - t2;
            s2 = u2;
        }
        return new double[] {s1 * h / 3, s2 * h / 3};
    }
}
