package org.autoinit.init.rules;

import org.autoinit.init.moments.numeric.Gaussian;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * Closed-form normalized Hermite coefficients of a piecewise-linear f (relu, leaky relu, identity, hard sigmoid) and
 * of f^2 at N(m, s^2), laid out as {@link FeatureCovariance#hermite2}. In z = (x - m)/s a piece is
 * {@code alpha + beta z} on [lo, hi), and with {@code h_k = He_k / sqrt(k!)}:
 * {@code E[1{z > a} h_k(z)] = phi(a) h_{k-1}(a) / sqrt(k)} for k >= 1 (Rodrigues: {@code He_k phi = -(He_{k-1} phi)'}),
 * {@code Q(a)} for k = 0; multiplying by z and z^2 shifts the index ({@code z h_k = sqrt(k+1) h_{k+1} + sqrt(k) h_{k-1}}).
 */
final class PiecewiseLinearHermite {
    private PiecewiseLinearHermite() {}

    /** Beyond this |z| the density (~1e-348) underflows: the indicator moments are those of an infinite bound. */
    private static final double FAR = 38.5;

    /**
     * The pieces of a built-in kind minus {@code shift}: breakpoints x_1 < ... < x_{p-1} and, per piece,
     * {@code f = c0 + c1 x}; null when the kind is not piecewise linear.
     */
    static double[][] pieces(ActivationKind kind, double alpha, double shift) {
        return switch (kind) {
            case IDENTITY -> new double[][] {{}, {-shift}, {1}};
            case RELU -> new double[][] {{0}, {-shift, -shift}, {0, 1}};
            case LEAKY_RELU -> new double[][] {{0}, {-shift, -shift}, {alpha, 1}};
            case HARD_SIGMOID -> new double[][] {{-3, 3}, {-shift, 0.5 - shift, 1 - shift}, {0, 1.0 / 6, 0}};
            default -> null;
        };
    }

    /**
     * {@code E[g(m + s z) h_k(z)]} for g = f (index k) and g = f^2 (index K + 1 + k), k = 0..K, f given by
     * {@link #pieces}; s > 0. Each piece is the difference of two upper tails, each tail written around its own
     * bound a as {@code c + beta (z - a)} (c = f at the bound): by parts,
     * {@code E[(z - a)^j 1{z > a} He_k] = j E[(z - a)^(j-1) 1{z > a} He_{k-1}]}, so no term cancels another.
     */
    static double[] coefficients(double[][] pieces, double m, double s, int K) {
        double[] breaks = pieces[0], c0 = pieces[1], c1 = pieces[2];
        double[] out = new double[2 * (K + 1)];
        double[][] t = new double[3][K + 1];
        double[] rt = new double[K + 2];
        for (int k = 0; k < rt.length; k++) {
            rt[k] = Math.sqrt(k);
        }
        // The first piece over the whole line, then at each break: minus the left piece's tail, plus the right one's.
        double a0 = c0[0] + c1[0] * m, b0 = c1[0] * s;
        out[0] += a0;
        out[1] += b0;
        out[K + 1] += a0 * a0 + b0 * b0;
        out[K + 2] += 2 * a0 * b0;
        out[K + 3] += b0 * b0 * rt[2];
        for (int q = 0; q < breaks.length; q++) {
            double a = (breaks[q] - m) / s;
            tails(a, t, rt);
            for (int side = 0; side < 2; side++) {
                int piece = q + side;
                double c = c0[piece] + c1[piece] * breaks[q], beta = c1[piece] * s, sign = side == 0 ? -1 : 1;
                for (int k = 0; k <= K; k++) {
                    out[k] += sign * (c * t[0][k] + beta * t[1][k]);
                    out[K + 1 + k] += sign * (c * c * t[0][k] + 2 * c * beta * t[1][k] + beta * beta * t[2][k]);
                }
            }
        }
        return out;
    }

    /** {@code t[j][k] = E[(z - a)^j 1{z > a} h_k(z)]}, j = 0, 1, 2; rt[k] = sqrt(k). */
    private static void tails(double a, double[][] t, double[] rt) {
        int n = t[0].length;
        double q = Gaussian.cdf(-a);
        if (!(Math.abs(a) < FAR)) {
            for (double[] row : t) {
                java.util.Arrays.fill(row, 0);
            }
            if (a < 0) { // the whole line: (z - a)^j in the Hermite basis, z = h_1, z^2 = h_0 + sqrt(2) h_2
                t[0][0] = 1;
                t[1][0] = -a;
                t[1][1] = 1;
                t[2][0] = a * a + 1;
                t[2][1] = -2 * a;
                t[2][2] = rt[2];
            }
            return;
        }
        double ph = Gaussian.pdf(a);
        t[0][0] = q;
        if (a < 3) {
            t[1][0] = ph - a * q;
            t[2][0] = (1 + a * a) * q - a * ph;
        } else { // Mills ratio R = 1/(a + t1): phi - a Q = phi t1/(a + t1), (1 + a^2) Q - a phi = phi t2/((a + t1)(a + t2))
            double t1 = Gaussian.millsTail(a, 1), t2 = Gaussian.millsTail(a, 2);
            t[1][0] = ph * t1 / (a + t1);
            t[2][0] = ph * t2 / ((a + t1) * (a + t2));
        }
        double hPrev = 0, h = 1; // h_{k-2}, h_{k-1}
        for (int k = 1; k < n; k++) {
            t[0][k] = ph * h / rt[k];
            t[1][k] = t[0][k - 1] / rt[k];
            t[2][k] = 2 * t[1][k - 1] / rt[k];
            double next = (a * h - rt[k - 1] * hPrev) / rt[k];
            hPrev = h;
            h = next;
        }
    }
}
