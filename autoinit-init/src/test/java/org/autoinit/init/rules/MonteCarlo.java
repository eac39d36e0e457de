package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.IntFunction;

import org.autoinit.init.moments.Moments;
import org.autoinit.init.trace.Trace;
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
        long n = 0;
        for (int r = 0; r < reps; r++) {
            Tensor t = output.apply(r);
            double[] mv = Trace.meanAndVariance(t);
            m[r] = mv[0];
            v[r] = mv[1];
            n += t.numel();
        }
        // The replicate spread gives the standard error even when entries within a replicate are dependent; with
        // few replicates that estimate is itself noisy, so it is floored at the iid value (var/n for the mean,
        // sqrt(2/n) var for the variance of a near-Gaussian).
        double var = avg(v);
        double iidMean = Math.sqrt(var / n), iidVar = var * Math.sqrt(2.0 / n);
        return new Estimate(avg(m), Math.max(se(m), iidMean), var, Math.max(se(v), iidVar), n);
    }

    /** Asserts mean and variance within 4 standard errors (the rule is exact under its assumptions); >= 1e5 elements. */
    static void assertExact(String what, Moments predicted, Estimate e) {
        assertTrue(e.elements() >= 100_000, what + ": only " + e.elements() + " samples");
        double tolM = 4 * e.meanSe() + 1e-9 + 1e-6 * Math.abs(predicted.mean());
        double tolV = 4 * e.varianceSe() + 1e-9 + 1e-6 * predicted.variance();
        assertTrue(Math.abs(predicted.mean() - e.mean()) <= tolM, String.format("%s: predicted mean %.6g, measured %.6g +- %.2g (4 SE)", what,
                predicted.mean(), e.mean(), tolM));
        assertTrue(Math.abs(predicted.variance() - e.variance()) <= tolV, String.format("%s: predicted variance %.6g, measured %.6g +- %.2g (4 SE)",
                what, predicted.variance(), e.variance(), tolV));
    }

    /** Asserts mean and variance within a relative tolerance (an approximate rule; the tolerance is its stated accuracy). */
    static void assertRelative(String what, Moments predicted, Estimate e, double rel) {
        assertTrue(e.elements() >= 100_000, what + ": only " + e.elements() + " samples");
        double scale = Math.sqrt(Math.max(e.variance(), 1e-300));
        double tolM = rel * Math.max(Math.abs(e.mean()), scale) + 4 * e.meanSe();
        double tolV = rel * e.variance() + 4 * e.varianceSe();
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
