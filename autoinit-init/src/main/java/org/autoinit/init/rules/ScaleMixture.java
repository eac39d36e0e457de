package org.autoinit.init.rules;

import org.autoinit.init.moments.Moments;
import org.autoinit.nn.layers.Activation;

/**
 * The per-sample scale of an MLP's feature vector. Given one draw of the weights, a sample whose hidden vector is
 * larger than average stays larger: {@code y(x) = sqrt(r(x)) g} with g Gaussian (the tracked means and
 * {@link FeatureCovariance}) and a per-sample factor r, {@code E[r] = 1}, {@code log r ~ N(-t/2, t)}. A Gaussian
 * vector already has a per-sample spread of {@code |y|^2} (relative variance
 * {@code delta = (4 mu^T C mu + 2 tr C^2) / (|mu|^2 + tr C)^2}, about 2/n); an activation maps a sample of scale r to
 * one of second moment {@code M2(r) = sum_j E[f(sqrt(r) y_j)^2]}, so the next layer's excess spread is
 * {@code t' = Var log M2(r)} over {@code log r ~ N(., t)} ({@link #propagated}) plus the excess f adds even at r = 1:
 * the relative variance of {@code |f(y)|^2} beyond a Gaussian vector's, from Mehler's pair sums
 * ({@code FeatureCovariance.activation}; the caller adds the two). For activations whose elasticity
 * {@code d log M2 / d log r} exceeds 1 (gelu, swish, mish) t grows geometrically with depth, and the marginal
 * moments of f must be averaged over r: {@code E[f(y)^k] = E_r E[f(sqrt(r) y)^k]}. Approximations: log r Gaussian,
 * the whole vector (means included) scales with sqrt(r), 7-node Gauss-Hermite rule in log r.
 */
final class ScaleMixture {
    private ScaleMixture() {}

    /** Mixture moments changing the summed output energy by more than this factor are not used (exp-like growth). */
    static final double MAX_ENERGY_RATIO = 4;

    /** True when the mixture's summed second moment is within {@link #MAX_ENERGY_RATIO} of the Gaussian one. */
    static boolean plausible(Moments[] mixed, ChannelStats gaussian) {
        double a = 0, b = 0;
        for (int j = 0; j < mixed.length; j++) {
            a += mixed[j].secondMoment();
            b += gaussian.mean[j] * gaussian.mean[j] + gaussian.var[j];
        }
        return a > 0 && b > 0 && a <= MAX_ENERGY_RATIO * b && b <= MAX_ENERGY_RATIO * a;
    }

    /** The largest log-scale variance modelled (see the class comment). */
    static final double MAX_LOG_VARIANCE = 2.0;

    /** Probabilists' 7-node Gauss-Hermite rule (nodes for weight phi(z), weights summing to 1). */
    private static final double[] Z = new double[7], W = new double[7];

    static {
        double[] x = {0, 0.8162878828589647, -0.8162878828589647, 1.6735516287674714, -1.6735516287674714, 2.6519613568352334, -2.6519613568352334};
        double[] w = {0.8102646175568073, 0.4256072526101278, 0.4256072526101278, 0.05451558281912703, 0.05451558281912703, 0.0009717812450995192,
            0.0009717812450995192};
        for (int i = 0; i < 7; i++) {
            Z[i] = Math.sqrt(2) * x[i];
            W[i] = w[i] / Math.sqrt(Math.PI);
        }
    }

    /** The node scales {@code r_k ~ exp(sqrt(t) z_k)}, normalized so that the rule's E[r] is exactly 1. */
    private static double[] scales(double t) {
        double[] r = new double[Z.length];
        double e = 0;
        for (int k = 0; k < r.length; k++) {
            r[k] = Math.exp(Math.sqrt(t) * Z[k]);
            e += W[k] * r[k];
        }
        for (int k = 0; k < r.length; k++) {
            r[k] /= e;
        }
        return r;
    }

    /** The moments of {@code f(y) - shift} for y with moments {@code in}; null when they overflow (exp). */
    private static Moments at(Activation layer, double shift, Moments in) {
        try {
            return ActivationRule.shifted(ActivationRule.moments(layer, in), shift);
        } catch (IllegalArgumentException overflow) {
            return null;
        }
    }

    /** Node k's mean multiplier {@code a_k = sqrt(r_k) / E[sqrt r]} (so that E[a] = 1). */
    private static double[] meanScales(double[] r) {
        double e = 0;
        for (int k = 0; k < r.length; k++) {
            e += W[k] * Math.sqrt(r[k]);
        }
        double[] a = new double[r.length];
        for (int k = 0; k < r.length; k++) {
            a[k] = Math.sqrt(r[k]) / e;
        }
        return a;
    }

    /**
     * Node k's law of feature j: {@code N(a_k mu_j, r_k (v_j - Var(a) mu_j^2))}, which keeps the pooled mean mu_j and
     * second moment {@code mu_j^2 + v_j} (the spread of the scaled means is part of the tracked variance).
     */
    private static Moments node(double[] r, double[] a, int k, double mu, double v) {
        double varA = 0;
        for (int i = 0; i < a.length; i++) {
            varA += W[i] * a[i] * a[i];
        }
        varA -= 1;
        return Moments.of(a[k] * mu, r[k] * Math.max(0, v - varA * mu * mu));
    }

    /**
     * Per feature, the moments of {@code f(y_j) - shift} averaged over the sample's scale r (log-variance t); null when
     * they overflow (exp of a widely spread input).
     */
    static Moments[] marginals(Activation layer, double shift, double[] mean, double[] var, double t) {
        double[] r = scales(t), a = meanScales(r);
        Moments[] out = new Moments[mean.length];
        for (int j = 0; j < mean.length; j++) {
            double m1 = 0, m2 = 0;
            for (int k = 0; k < r.length; k++) {
                Moments m = at(layer, shift, node(r, a, k, mean[j], var[j]));
                if (m == null) {
                    return null;
                }
                m1 += W[k] * m.mean();
                m2 += W[k] * m.secondMoment();
            }
            if (!Double.isFinite(m1) || !Double.isFinite(m2)) {
                return null;
            }
            out[j] = new Moments(m1, Math.max(m2, m1 * m1));
        }
        return out;
    }

    /**
     * Per node k of the scale rule, {@code sqrt(w_k) (E[f(y_j) | r_k] - E[f(y_j)])} for every feature j (rows k): a
     * sample of scale r has its own mean vector, so for one draw the features share a covariance
     * {@code Cov_r(E[f_i | r], E[f_j | r]) = sum_k u_ki u_kj}, the between-scale term of the law of total covariance
     * (for relu of zero-mean inputs {@code Var(sqrt r) m m^T}, m the mean vector: rank one along it). Null when the
     * moments overflow.
     */
    static double[][] meanDeviations(Activation layer, double shift, double[] mean, double[] var, double t) {
        double[] r = scales(t), a = meanScales(r);
        int d = mean.length;
        double[][] u = new double[r.length][d];
        for (int j = 0; j < d; j++) {
            double m1 = 0;
            for (int k = 0; k < r.length; k++) {
                Moments m = at(layer, shift, node(r, a, k, mean[j], Math.max(0, var[j])));
                if (m == null || !Double.isFinite(m.mean())) {
                    return null;
                }
                u[k][j] = m.mean();
                m1 += W[k] * u[k][j];
            }
            for (int k = 0; k < r.length; k++) {
                u[k][j] = Math.sqrt(W[k]) * (u[k][j] - m1);
            }
        }
        return u;
    }

    /**
     * The excess log-scale variance carried through the activation: {@code Var log M2(r)}, log r with variance t
     * (0 for t = 0; positively homogeneous f keep it, f with elasticity above 1 grow it).
     */
    static double propagated(Activation layer, double shift, double[] mean, double[] var, double t) {
        if (!(t > 0)) {
            return 0;
        }
        double[] r = scales(t), a = meanScales(r);
        double s1 = 0, s2 = 0;
        for (int k = 0; k < r.length; k++) {
            double m2 = 0;
            for (int j = 0; j < mean.length; j++) {
                Moments m = at(layer, shift, node(r, a, k, mean[j], Math.max(0, var[j])));
                if (m == null) {
                    return t;
                }
                m2 += m.secondMoment();
            }
            if (!(m2 > 0) || !Double.isFinite(m2)) {
                return t;
            }
            double l = Math.log(m2);
            s1 += W[k] * l;
            s2 += W[k] * l * l;
        }
        return Math.max(0, s2 - s1 * s1);
    }
}
