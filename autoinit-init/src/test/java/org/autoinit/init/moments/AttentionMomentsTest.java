package org.autoinit.init.moments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Softmax/attention rules against Monte Carlo of the real softmax and an independent one-dimensional integral. */
class AttentionMomentsTest {

    /** Samples of sum_j p_j^2 for softmax over n iid N(0, s2) scores. */
    private static double[] sampleSumSq(int n, double s2, int samples, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double sigma = Math.sqrt(s2);
        double[] s = new double[n], out = new double[samples];
        for (int i = 0; i < samples; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                s[j] = sigma * rng.nextGaussian();
                max = Math.max(max, s[j]);
            }
            double z = 0, z2 = 0;
            for (int j = 0; j < n; j++) {
                double e = Math.exp(s[j] - max);
                z += e;
                z2 += e * e;
            }
            out[i] = z2 / (z * z);
        }
        return out;
    }

    @Test
    void equalScoresGiveOneOverNAndOneKeyGivesOne() {
        for (int n : new int[] {1, 2, 7, 512}) {
            assertEquals(1.0 / n, AttentionMoments.expectedSumOfSquares(n, 0.0), 0.0, "n=" + n);
            assertEquals(1.0, AttentionMoments.expectedSumOfSquares(1, 3.0), 0.0);
        }
        // Continuity at s2 -> 0: E[sum p^2] = 1/n + (n-1)/n^2 s2 + O(s2^2).
        double s2 = 1e-6;
        assertEquals(1.0 / 8 + 7.0 / 64 * s2, AttentionMoments.expectedSumOfSquares(8, s2), 1e-11);
    }

    @Test
    void twoKeysMatchAnIndependentOneDimensionalIntegral() {
        // n = 2: p_1 = sigmoid(S_1 - S_2), S_1 - S_2 ~ N(0, 2 s2), so E[p_1^2 + p_2^2] = 2 E[sigmoid(D)^2].
        for (double s2 : new double[] {0.01, 0.5, 1, 4, 25}) {
            double sd = Math.sqrt(2 * s2);
            double ref = 2 * Simpson.integrate(z -> {
                double p = 1 / (1 + Math.exp(-sd * z));
                return p * p * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
            }, -15, 15, 400_000);
            assertEquals(ref, AttentionMoments.expectedSumOfSquares(2, s2), 1e-10, "s2=" + s2);
        }
    }

    @Test
    void matchesMonteCarloOfTheSoftmax() {
        int[][] cases = {{8, 100}, {64, 400}, {16, 25}, {128, 2500}, {3, 900}}; // n, 100 * s2
        for (int[] c : cases) {
            double s2 = c[1] / 100.0;
            double e = AttentionMoments.expectedSumOfSquares(c[0], s2);
            SampleStats stats = SampleStats.of(sampleSumSq(c[0], s2, 100_000, c[0] * 31L + c[1]));
            assertEquals(stats.mean(), e, 4 * stats.seMean(), "E[sum p^2], n=" + c[0] + ", s2=" + s2);
        }
    }

    @Test
    void manyKeysApproachTheLawOfLargeNumbersLimit() {
        // n >> e^{s2}: sum p^2 ~ n E[e^{2S}] / (n E[e^S])^2 = e^{s2} / n.
        double e = AttentionMoments.expectedSumOfSquares(100_000, 0.5);
        assertEquals(Math.exp(0.5) / 100_000, e, 1e-3 * e);
    }

    @Test
    void attentionOutputMatchesMonteCarlo() {
        int n = 16;
        double s2 = 2.0, muV = 0.4, vV = 1.7;
        Moments predicted = AttentionMoments.output(Moments.of(muV, vV), n, s2);
        SplittableRandom rng = new SplittableRandom(5);
        double[] out = new double[100_000], s = new double[n];
        for (int i = 0; i < out.length; i++) {
            double z = 0, y = 0;
            for (int j = 0; j < n; j++) s[j] = Math.exp(Math.sqrt(s2) * rng.nextGaussian());
            for (int j = 0; j < n; j++) z += s[j];
            for (int j = 0; j < n; j++) y += s[j] / z * (muV + Math.sqrt(vV) * rng.nextGaussian());
            out[i] = y;
        }
        SampleStats.assertMatches("attention output", predicted, out);
    }

    @Test
    void scoreVarianceMatchesMonteCarloOfDotProducts() {
        int d = 16;
        double c = 1 / Math.sqrt(d), vq = 0.7, vk = 2.2;
        double v = AttentionMoments.scoreVariance(d, c, vq, vk);
        assertEquals(vq * vk, v, 1e-15);
        SplittableRandom rng = new SplittableRandom(9);
        double[] scores = new double[100_000];
        for (int i = 0; i < scores.length; i++) {
            double dot = 0;
            for (int j = 0; j < d; j++) dot += Math.sqrt(vq) * rng.nextGaussian() * Math.sqrt(vk) * rng.nextGaussian();
            scores[i] = c * dot;
        }
        SampleStats.assertMatches("scores", Moments.of(0, v), scores);
    }

    @Test
    void softmaxOutputOverClasses() {
        int k = 10;
        double v = 3.0;
        Moments m = AttentionMoments.softmax(k, v);
        assertEquals(0.1, m.mean(), 0.0);
        SplittableRandom rng = new SplittableRandom(11);
        double[] p0 = new double[100_000], logits = new double[k];
        for (int i = 0; i < p0.length; i++) {
            double z = 0;
            for (int j = 0; j < k; j++) {
                logits[j] = 5.0 + Math.sqrt(v) * rng.nextGaussian(); // a common mean cancels
                z += Math.exp(logits[j]);
            }
            p0[i] = Math.exp(logits[0]) / z;
        }
        SampleStats.assertMatches("softmax class 0", m, p0);
    }

    @Test
    void invalidArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> AttentionMoments.expectedSumOfSquares(0, 1));
        assertEquals("attention: E[sum p^2] needs n >= 1 keys and a finite score variance >= 0, got n=0, scoreVariance=1.0", e.getMessage());
    }
}
