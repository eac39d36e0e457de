package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.autoinit.init.moments.ActivationMoments;
import org.autoinit.init.moments.Moments;
import org.autoinit.tensor.ops.ActivationKind;
import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.Test;

class PerChannelTest {
    /** Many distinct channels plus repeats, all-equal channels, and a zero variance. */
    private static ChannelStats channels(int n, long seed, boolean uniform) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] m = new double[n], v = new double[n];
        for (int c = 0; c < n; c++) {
            m[c] = uniform ? 0.3 : c % 7 == 3 ? m[c - 1] : r.nextGaussian();
            v[c] = uniform ? 1.7 : c % 7 == 3 ? v[c - 1] : c == 5 ? 0 : 0.1 + 3 * r.nextDouble();
        }
        return ChannelStats.wrap(ChannelStats.Axis.LAST, m, v);
    }

    @Test
    void directEvaluationGivesTheMemoizedValuesBitForBitOnAnyThreadCount() {
        int threads = Parallel.threads();
        try {
            for (ActivationKind kind : new ActivationKind[] {ActivationKind.RELU, ActivationKind.LEAKY_RELU, ActivationKind.SIN}) {
                assertTrue(ActivationMoments.closedFormKind(kind), kind.id());
                PerChannel.Map1 f = m -> ActivationMoments.of(kind, m);
                for (boolean uniform : new boolean[] {false, true}) {
                    ChannelStats in = channels(5000, 7, uniform);
                    ChannelStats memo = PerChannel.map(in, f, true);
                    for (int t : new int[] {1, 2, 3}) {
                        Parallel.setThreads(t);
                        ChannelStats direct = PerChannel.map(in, f, false);
                        for (int c = 0; c < in.count(); c++) {
                            String what = kind.id() + (uniform ? " uniform" : "") + " channel " + c + ", " + t + " threads";
                            assertEquals(memo.mean[c], direct.mean[c], 0.0, what + " mean");
                            assertEquals(memo.var[c], direct.var[c], 0.0, what + " variance");
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void gridPointsStayWithinTheirRelativeSpacingOfTheExactMoments() {
        // The grid (1e-4 of the signal's scale) bounds the error of either path against the channel's own moments.
        ChannelStats in = channels(300, 3, false);
        ChannelStats out = PerChannel.map(in, m -> ActivationMoments.of(ActivationKind.RELU, m), false);
        for (int c = 0; c < in.count(); c++) {
            Moments exact = ActivationMoments.of(ActivationKind.RELU, Moments.of(in.mean[c], in.var[c]));
            assertEquals(exact.mean(), out.mean[c], 1e-3, "channel " + c + " mean");
            assertEquals(exact.variance(), out.var[c], 1e-3 * Math.max(1, exact.variance()), "channel " + c + " variance");
        }
    }
}
