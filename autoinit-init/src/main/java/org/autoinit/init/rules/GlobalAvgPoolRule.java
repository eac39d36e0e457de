package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.init.moments.Moments;
import org.autoinit.nn.Layer;

/**
 * Mean over the k = H*W positions of each channel (GlobalAvgPool; TokenMean uses the same rule over tokens).
 * Channel c's entries are its constant plus fluctuations; the constant survives whole, the k fluctuations
 * average out. Treating the positions as independent (an approximation: positions of a conv output share
 * inputs, though with random weights they are nearly uncorrelated), channel c of the output has mean m_c and
 * variance {@code v_c / k}, except for the coherent part of the signal (an offset of the sample's channel shared
 * by all positions), which the mean keeps: {@code v_c (phi + (1 - phi) / k)}. Without channels:
 * {@code mu' = mu}, {@code v' = shared + v_within (phi + (1 - phi) / k)}.
 */
public final class GlobalAvgPoolRule implements MomentRule<Layer> {
    @Override
    public Signal apply(Layer layer, List<Signal> inputs, RuleContext ctx) {
        int[] in = layer.inputShapes()[0];
        int[] out = layer.outputShape();
        return meanOver(inputs.get(0), (double) numel(in) / numel(out), ChannelStats.Axis.FIRST, in[0]);
    }

    /** Mean over k entries of each of the {@code count} channels along {@code axis}; the output has channels on its only axis. */
    static Signal meanOver(Signal s, double k, ChannelStats.Axis axis, int count) {
        ChannelStats c = s.channels(axis, count);
        double keep = s.coherence() + (1 - s.coherence()) / k;
        if (c != null) {
            double[] v = new double[count];
            for (int i = 0; i < count; i++) {
                v[i] = c.var[i] * keep;
            }
            return Signal.of(ChannelStats.wrap(axis, c.mean.clone(), v));
        }
        double v = s.sharedVariance() + s.withinVariance() * keep;
        return Signal.of(Moments.of(s.mean(), v), s.sharedVariance());
    }

    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
