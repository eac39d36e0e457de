package org.autoinit.init.moments;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sample mean and variance with their standard errors, and the 4-standard-error check used by every Monte Carlo test. */
record SampleStats(double mean, double variance, double seMean, double seVariance, int n) {

    static SampleStats of(double[] x) {
        int n = x.length;
        double mean = 0;
        for (double v : x) mean += v;
        mean /= n;
        double m2 = 0, m4 = 0;
        for (double v : x) {
            double d = (v - mean) * (v - mean);
            m2 += d;
            m4 += d * d;
        }
        m2 /= n;
        m4 /= n;
        // Var(sample variance) ~ (mu4 - sigma^4) / n.
        return new SampleStats(mean, m2 * n / (n - 1), Math.sqrt(m2 / n), Math.sqrt(Math.max(m4 - m2 * m2, 0) / n), n);
    }

    /** Asserts predicted mean and variance within 4 standard errors (plus 1e-12 for degenerate, constant samples). */
    static void assertMatches(String name, Moments predicted, double[] samples) {
        SampleStats s = of(samples);
        double dm = Math.abs(predicted.mean() - s.mean), dv = Math.abs(predicted.variance() - s.variance);
        assertTrue(dm <= 4 * s.seMean + 1e-12, name + ": mean predicted " + predicted.mean() + ", sampled " + s.mean
                + " +- " + s.seMean + " (" + s.n + " samples)");
        assertTrue(dv <= 4 * s.seVariance + 1e-12, name + ": variance predicted " + predicted.variance() + ", sampled "
                + s.variance + " +- " + s.seVariance + " (" + s.n + " samples)");
    }
}
