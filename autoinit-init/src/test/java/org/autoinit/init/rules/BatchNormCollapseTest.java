package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.autoinit.init.AutoInit;
import org.autoinit.init.InitReport;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.Model;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.junit.jupiter.api.Test;

/**
 * BatchNorm's collapse of equal-affine channels ({@link BatchNormRule}): one common variance when the channels differ
 * only through {@code v_c / (v_c + eps)}, within the tolerance; exact per channel otherwise; and whole models
 * initialized with it agree with the exact per-channel rule ({@code new BatchNormRule(0)}) to 1e-4 on every report entry.
 */
class BatchNormCollapseTest {
    private static final ChannelStats.Axis FIRST = ChannelStats.Axis.FIRST;

    private static Signal apply(BatchNormRule rule, BatchNorm bn, double[] mean, double[] var) {
        RuleTesting.single(bn, new int[] {mean.length, 4, 4});
        return rule.apply(bn, List.of(Signal.of(ChannelStats.of(FIRST, mean, var))), TokenScaleTest.NO_CONTEXT);
    }

    @Test
    void equalAffineChannelsGetTheMeanRatio() {
        double[] mean = {0.3, -0.2, 0.0, 1.1}, var = {1.0, 0.5, 2.0, 0.8};
        double eps = 1e-5;
        BatchNorm bn = BatchNorm.builder().eps(eps).build();
        ChannelStats out = apply(new BatchNormRule(), bn, mean, var).channels();
        double sum = 0;
        for (double v : var) {
            sum += v / (v + eps);
        }
        for (int c = 0; c < var.length; c++) {
            assertEquals(0.0, out.mean(c), "channel " + c + " mean (beta)");
            assertEquals(sum / var.length, out.variance(c), 1e-15, "channel " + c + " variance (the channels' mean ratio)");
            double exact = var[c] / (var[c] + eps);
            assertTrue(Math.abs(out.variance(c) - exact) <= BatchNormRule.COLLAPSE_TOLERANCE * exact, "channel " + c + " within the tolerance");
        }
    }

    @Test
    void exactPerChannelOtherwise() {
        double[] mean = {0.3, -0.2, 0.0, 1.1}, var = {1.0, 0.5, 2.0, 0.8};
        // A large eps: the ratios differ by far more than the tolerance.
        BatchNorm wide = BatchNorm.builder().eps(0.1).build();
        ChannelStats a = apply(new BatchNormRule(), wide, mean, var).channels();
        for (int c = 0; c < var.length; c++) {
            assertEquals(var[c] / (var[c] + 0.1), a.variance(c), 1e-15, "eps 0.1, channel " + c);
        }
        // Unequal gammas: each channel keeps its own scale.
        BatchNorm scaled = BatchNorm.builder().build();
        ChannelStats b0 = apply(new BatchNormRule(), scaled, mean, var).channels();
        scaled.gamma().value().setFlat(2, 1.5);
        ChannelStats b = apply(new BatchNormRule(), scaled, mean, var).channels();
        assertEquals(2.25 * 2.0 / (2.0 + 1e-5), b.variance(2), 1e-15, "gamma 1.5 on channel 2");
        assertEquals(1.0 / (1.0 + 1e-5), b.variance(0), 1e-15, "gamma 1 on channel 0");
        assertEquals(b0.variance(0), b0.variance(3), 0.0, "equal gammas collapse");
        // Unequal betas.
        BatchNorm shifted = BatchNorm.builder().build();
        RuleTesting.single(shifted, new int[] {4, 4, 4});
        shifted.beta().value().setFlat(1, 0.25);
        ChannelStats d = apply(new BatchNormRule(), shifted, mean, var).channels();
        assertEquals(0.5 / (0.5 + 1e-5), d.variance(1), 1e-15, "beta 0.25 on channel 1");
        // Tolerance 0: always exact.
        ChannelStats e = apply(new BatchNormRule(0), BatchNorm.builder().build(), mean, var).channels();
        for (int c = 0; c < var.length; c++) {
            assertEquals(var[c] / (var[c] + 1e-5), e.variance(c), 1e-15, "tolerance 0, channel " + c);
        }
    }

    /** Default AutoInit against the same with the exact per-channel rule: every report entry within 1e-4 (relative). */
    @Test
    void modelsAgreeWithTheExactPerChannelRule() {
        List<String> bad = new ArrayList<>();
        double worst = 0;
        for (long seed = 0; seed < 2; seed++) {
            worst = Math.max(worst, compare("resnet20", () -> Zoo.build("resnet20"), seed, bad));
        }
        worst = Math.max(worst, compare("resnet50 64px", () -> Zoo.build("resnet50", ZooOptions.builder().inputShape(3, 64, 64).build()), 0, bad));
        assertTrue(bad.isEmpty(), String.join("\n", bad));
        // Not vacuous: the collapse changed something (the exact rule gives other bits).
        assertTrue(worst > 0, "the collapse was not taken");
    }

    private static double compare(String name, Supplier<Model> build, long seed, List<String> bad) {
        InitReport fast = AutoInit.builder().seed(seed).build().initialize(build.get());
        InitReport exact = AutoInit.builder().seed(seed).rule(BatchNorm.class, "batch-norm", new BatchNormRule(0)).build().initialize(build.get());
        assertEquals(exact.entries().size(), fast.entries().size(), name);
        double worst = 0;
        for (int i = 0; i < fast.entries().size(); i++) {
            InitReport.Entry f = fast.entries().get(i), x = exact.entries().get(i);
            Moments a = f.output(), b = x.output();
            double scale = Math.max(1e-300, b.secondMoment());
            double[] d = {Math.abs(a.mean() - b.mean()) / Math.sqrt(scale), Math.abs(a.secondMoment() - b.secondMoment()) / scale,
                    Math.abs(a.variance() - b.variance()) / Math.max(1e-300, b.variance()),
                    Math.abs(f.sharedVariance() - x.sharedVariance()) / scale,
                    f.weighted() ? Math.abs(f.weightStd() - x.weightStd()) / x.weightStd() : 0};
            for (double e : d) {
                worst = Math.max(worst, e);
                if (!(e <= 1e-4)) {
                    bad.add(name + " seed " + seed + " " + f.node() + ": " + a + " (" + f.weightStd() + ") against " + b + " (" + x.weightStd() + ")");
                }
            }
        }
        System.out.printf("BatchNormCollapseTest: %s seed %d worst relative deviation %.2e%n", name, seed, worst);
        return worst;
    }
}
