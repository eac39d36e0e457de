package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.IntFunction;

import org.autoinit.init.moments.Moments;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * Monte Carlo checks of moment rules on real layers. Statistics are averaged over independent replicates
 * (fresh inputs and, for weighted layers, fresh weights), and the standard error comes from the spread of the
 * replicates, so correlations inside one replicate (shared weights, neighbouring positions) are accounted for.
 */
final class MonteCarlo {
    private MonteCarlo() {}

    /** Replicate averages of the output mean and variance, with their standard errors. */
    record Estimate(double mean, double meanSe, double variance, double varianceSe, long elements) {}

    /** Runs {@code reps} replicates; {@code output.apply(r)} returns replicate r's output tensor. */
    static Estimate replicate(int reps, IntFunction<Tensor> output) {
        double[] m = new double[reps], v = new double[reps];
        double m4 = 0;
        long n = 0;
        for (int r = 0; r < reps; r++) {
            Tensor t = output.apply(r);
            double[] s = centralMoments(t);
            m[r] = s[0];
            v[r] = s[1];
            m4 += s[2] / reps;
            n += t.numel();
        }
        // The replicate spread gives the standard error even when entries within a replicate are dependent; with
        // few replicates that estimate is itself noisy, so it is floored at the iid value computed from the samples:
        // sqrt(v / n) for the mean and sqrt((m4 - v^2) / n) for the variance (m4 the 4th central moment, so heavy
        // tails widen the band as they should).
        double var = avg(v);
        double iidMean = Math.sqrt(var / n), iidVar = Math.sqrt(Math.max(m4 - var * var, 0) / n);
        return new Estimate(avg(m), Math.max(se(m), iidMean), var, Math.max(se(v), iidVar), n);
    }

    /** {@code [mean, variance, 4th central moment]} of a tensor's entries, in double, two passes. */
    static double[] centralMoments(Tensor t) {
        int n = t.numel();
        double[] d = t.dtype() == DType.FLOAT64 ? t.doubleData() : null;
        float[] f = d == null ? t.floatData() : null;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += d != null ? d[i] : f[i];
        }
        double mean = sum / n, s2 = 0, s4 = 0;
        for (int i = 0; i < n; i++) {
            double e = (d != null ? d[i] : f[i]) - mean, e2 = e * e;
            s2 += e2;
            s4 += e2 * e2;
        }
        return new double[] {mean, s2 / n, s4 / n};
    }

    /** Asserts mean and variance within 4 standard errors (the rule is exact under its assumptions); >= 1e5 elements. */
    static void assertExact(String what, Moments predicted, Estimate e) {
        assertTrue(e.elements() >= 100_000, what + ": only " + e.elements() + " samples");
        double tolM = 4 * e.meanSe() + 1e-9 + 1e-6 * Math.abs(predicted.mean());
        double tolV = 4 * e.varianceSe() + 1e-9 + 1e-6 * predicted.variance();
        assertPower(what, predicted, e, tolM, tolV);
        assertTrue(Math.abs(predicted.mean() - e.mean()) <= tolM, String.format("%s: predicted mean %.6g, measured %.6g +- %.2g (4 SE)", what,
                predicted.mean(), e.mean(), tolM));
        assertTrue(Math.abs(predicted.variance() - e.variance()) <= tolV, String.format("%s: predicted variance %.6g, measured %.6g +- %.2g (4 SE)",
                what, predicted.variance(), e.variance(), tolV));
    }

    /**
     * The check must be able to fail: its bands must be narrower than {@link #POWER} of the output's scale (the
     * standard deviation for the mean, the variance for the variance), so a rule that far off is caught.
     */
    private static void assertPower(String what, Moments predicted, Estimate e, double tolM, double tolV) {
        double sd = Math.sqrt(e.variance());
        if (System.getenv("AUTOINIT_MC_LOG") != null) {
            // AUTOINIT_MC_LOG=1 mvn test ...: one line per check (in the surefire reports), for auditing the bands.
            System.out.printf("MC %-45s mean off %+.4f sd (band %.4f), variance off %+.4f (band %.4f) relative%n", what,
                    (predicted.mean() - e.mean()) / sd, tolM / sd, predicted.variance() / e.variance() - 1, tolV / e.variance());
        }
        assertTrue(tolM <= POWER * sd && tolV <= POWER * e.variance(), String.format(
                "%s: the Monte Carlo bands (mean +- %.2g, variance +- %.2g) are wider than %.0f%% of the signal's scale (sd %.3g): more samples needed",
                what, tolM, tolV, 100 * POWER, sd));
    }

    /** Widest band a check may have, relative to the signal's scale (standard deviation for the mean, variance for the variance). */
    static final double POWER = 0.05;

    /** Asserts mean and variance within a relative tolerance (an approximate rule; the tolerance is its stated accuracy). */
    static void assertRelative(String what, Moments predicted, Estimate e, double rel) {
        assertTrue(e.elements() >= 100_000, what + ": only " + e.elements() + " samples");
        double scale = Math.sqrt(Math.max(e.variance(), 1e-300));
        double tolM = rel * Math.max(Math.abs(e.mean()), scale) + 4 * e.meanSe();
        double tolV = rel * e.variance() + 4 * e.varianceSe();
        assertPower(what, predicted, e, 4 * e.meanSe(), 4 * e.varianceSe());
        assertTrue(Math.abs(predicted.mean() - e.mean()) <= tolM, String.format("%s: predicted mean %.6g, measured %.6g (tolerance %.2g)", what,
                predicted.mean(), e.mean(), tolM));
        assertTrue(Math.abs(predicted.variance() - e.variance()) <= tolV, String.format("%s: predicted variance %.6g, measured %.6g (tolerance %.2g)",
                what, predicted.variance(), e.variance(), tolV));
    }

    /** iid N(mean, variance) entries of the given (batched) shape, float32. */
    static Tensor gaussian(SplittableRandom rng, Moments m, int... shape) {
        Tensor t = Tensor.randn(rng, DType.FLOAT32, shape);
        float[] a = t.floatData();
        float s = (float) m.std(), mu = (float) m.mean();
        for (int i = 0; i < a.length; i++) {
            a[i] = mu + s * a[i];
        }
        return t;
    }

    private static double avg(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double se(double[] x) {
        double m = avg(x), s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1) / x.length);
    }
}
