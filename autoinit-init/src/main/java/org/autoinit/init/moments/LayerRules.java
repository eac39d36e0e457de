package org.autoinit.init.moments;

/**
 * Moment rules of the parameter-free and normalizing layers, as pure functions on {@link Moments}. Each is
 * exact under its stated assumption (inputs independent of each other; entries identically distributed).
 * Activations: {@link ActivationMoments}; max pooling: {@link MaxPoolMoments}; softmax and attention:
 * {@link AttentionMoments}; weighted layers: {@link WeightVariance}.
 */
public final class LayerRules {
    private LayerRules() {}

    /**
     * Inverted dropout with drop probability p (training mode), {@code y = x m / (1-p)}, m ~ Bernoulli(1-p):
     * {@code E[y] = mu}, {@code E[y^2] = q / (1-p)} (so the variance gains {@code p/(1-p) (v + mu^2)}).
     */
    public static Moments dropout(Moments in, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout: drop probability must be in [0, 1), got " + p);
        }
        return new Moments(in.mean(), in.secondMoment() / (1 - p));
    }

    /** Sum of independent inputs: means add, variances add. */
    public static Moments add(Moments... in) {
        nonEmpty("add", in);
        double mu = 0, v = 0;
        for (Moments m : in) {
            mu += m.mean();
            v += m.variance();
        }
        return Moments.of(mu, v);
    }

    /** {@code a - b}, independent: {@code (mu_a - mu_b, v_a + v_b)}. */
    public static Moments subtract(Moments a, Moments b) {
        return Moments.of(a.mean() - b.mean(), a.variance() + b.variance());
    }

    /** Mean of N independent inputs: {@code (sum mu_i / N, sum v_i / N^2)}. */
    public static Moments average(Moments... in) {
        nonEmpty("average", in);
        double n = in.length;
        Moments sum = add(in);
        return Moments.of(sum.mean() / n, sum.variance() / (n * n));
    }

    /** Elementwise product of independent inputs: {@code E[prod x_i] = prod mu_i}, {@code E[(prod x_i)^2] = prod q_i}. */
    public static Moments multiply(Moments... in) {
        nonEmpty("multiply", in);
        double mu = 1, q = 1;
        for (Moments m : in) {
            mu *= m.mean();
            q *= m.secondMoment();
        }
        return new Moments(mu, q);
    }

    /**
     * Concatenation where input i contributes {@code counts[i]} entries: a random entry of the result comes
     * from input i with probability c_i / C, a mixture: {@code mu = sum c_i mu_i / C}, {@code q = sum c_i q_i / C}.
     */
    public static Moments concatenate(long[] counts, Moments... in) {
        nonEmpty("concatenate", in);
        if (counts.length != in.length) {
            throw new IllegalArgumentException("concatenate: " + counts.length + " counts for " + in.length + " inputs");
        }
        double total = 0, mu = 0, q = 0;
        for (int i = 0; i < in.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("concatenate: entry counts must be >= 0, got " + counts[i] + " for input " + i);
            }
            total += counts[i];
            mu += counts[i] * in[i].mean();
            q += counts[i] * in[i].secondMoment();
        }
        if (total == 0) {
            throw new IllegalArgumentException("concatenate: all inputs are empty");
        }
        return new Moments(mu / total, q / total);
    }

    /** {@code sum a_i x_i}, independent inputs: {@code (sum a_i mu_i, sum a_i^2 v_i)}. */
    public static Moments weightedSum(double[] coefficients, Moments... in) {
        nonEmpty("weightedSum", in);
        if (coefficients.length != in.length) {
            throw new IllegalArgumentException("weightedSum: " + coefficients.length + " coefficients for " + in.length + " inputs");
        }
        double mu = 0, v = 0;
        for (int i = 0; i < in.length; i++) {
            mu += coefficients[i] * in[i].mean();
            v += coefficients[i] * coefficients[i] * in[i].variance();
        }
        return Moments.of(mu, v);
    }

    /**
     * The coefficients AutoInit gives a weighted sum of N branches with variances v_i so that the sum has
     * variance s: {@code a_i = sqrt(s / (N v_i))} (each branch contributes s/N). With plain Add a residual
     * stream's variance grows as 1 + depth instead.
     */
    public static double[] residualCoefficients(double s, double... variances) {
        if (variances.length == 0 || !(s > 0)) {
            throw new IllegalArgumentException("residualCoefficients: need at least one branch and a target variance > 0, got "
                    + variances.length + " branches, s=" + s);
        }
        double[] a = new double[variances.length];
        for (int i = 0; i < a.length; i++) {
            if (!(variances[i] > 0) || !Double.isFinite(variances[i])) {
                throw new IllegalArgumentException("residualCoefficients: branch " + i + " has variance " + variances[i]
                        + "; a branch with zero variance cannot be rescaled to carry s/N");
            }
            a[i] = Math.sqrt(s / (variances.length * variances[i]));
        }
        return a;
    }

    /** Zero padding that keeps a fraction r of the output entries as inputs (the rest are 0): {@code (r mu, r q)}. */
    public static Moments zeroPadding(Moments in, double keptFraction) {
        if (!(keptFraction > 0 && keptFraction <= 1)) {
            throw new IllegalArgumentException("zeroPadding: kept fraction must be in (0, 1], got " + keptFraction);
        }
        return new Moments(keptFraction * in.mean(), keptFraction * in.secondMoment());
    }

    /**
     * Average pooling over k independent entries: {@code (mu, v/k)}. Correlated neighbours (the usual case
     * in images) give more, up to v; this is the independence approximation.
     */
    public static Moments averagePool(Moments in, long k) {
        if (k < 1) {
            throw new IllegalArgumentException("averagePool: window size must be >= 1, got " + k);
        }
        return Moments.of(in.mean(), in.variance() / k);
    }

    /** Global average pooling over H*W positions, under the same independence approximation as {@link #averagePool}. */
    public static Moments globalAveragePool(Moments in, long positions) {
        return averagePool(in, positions);
    }

    /**
     * Batch/Layer/Group norm with per-channel affine parameters: channel c outputs
     * {@code beta_c + gamma_c (x - m)/sqrt(var + eps)}, of mean beta_c and variance gamma_c^2 v/(v + eps);
     * a random entry is a mixture over channels: {@code mu = avg beta_c},
     * {@code q = avg(beta_c^2 + gamma_c^2 v/(v + eps))}.
     */
    public static Moments normalization(Moments in, double[] gamma, double[] beta, double eps) {
        if (gamma.length != beta.length || gamma.length == 0) {
            throw new IllegalArgumentException("normalization: gamma and beta must have the same non-zero length, got "
                    + gamma.length + " and " + beta.length);
        }
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("normalization: eps must be >= 0, got " + eps);
        }
        double v = in.variance();
        double ratio = v + eps == 0 ? 0 : v / (v + eps);
        double mu = 0, q = 0;
        for (int c = 0; c < gamma.length; c++) {
            mu += beta[c];
            q += beta[c] * beta[c] + gamma[c] * gamma[c] * ratio;
        }
        return new Moments(mu / gamma.length, q / gamma.length);
    }

    /** {@link #normalization(Moments, double[], double[], double)} with the fresh parameters gamma = 1, beta = 0. */
    public static Moments normalization(Moments in, double eps) {
        return normalization(in, new double[] {1.0}, new double[] {0.0}, eps);
    }

    private static void nonEmpty(String op, Moments[] in) {
        if (in.length == 0) {
            throw new IllegalArgumentException(op + ": needs at least one input");
        }
    }
}
