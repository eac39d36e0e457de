package org.autoinit.init.rules;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.autoinit.nn.layers.MaxPool2d;

/**
 * MaxPool2d over windows of k entries: the order statistics of {@link WindowMax}. When the input is an
 * activation f of a Gaussian and f is monotone, {@code max f(x_i) = f(max x_i)} is integrated with the
 * PRE-activation moments (treating post-relu values as Gaussian is wrong: 2x2 after relu of N(0,1) has
 * variance ~0.450, the Gaussian shortcut gives ~0.168). Padding (-inf) leaves border windows with fewer real
 * entries: the output is the mixture over the window sizes that occur. The output's spatial profile averages
 * the input's over each window (an approximation for the max). With a position map ({@link PositionStats}) every
 * window is integrated with its own entries' moments instead.
 */
public final class MaxPoolRule implements MomentRule<MaxPool2d> {
    @Override
    public Signal apply(MaxPool2d layer, List<Signal> inputs, RuleContext ctx) {
        PositionStats map = positions(layer, inputs.get(0));
        int[] in = layer.inputShapes()[0], out = layer.outputShape(), k = layer.window(), st = layer.stride(), p = layer.padding();
        SpatialProfile prof = SpatialProfile.pooled(SpatialProfile.of(inputs.get(0), in[1], in[2]), in[1], in[2], out[1], out[2], k[0], k[1], st[0],
                st[1], p[0], p[1], true);
        if (map != null) {
            // The position map gives every output entry's law; the per-window-size mixture below would go unread
            // (it cost as much as the map itself on cnn's pools). Its notes concern non-monotone activations, which
            // never get a map.
            return Signal.of(map.channels()).withPositions(map).withProfile(prof);
        }
        TreeMap<Integer, Double> counts = PoolWindows.counts(layer);
        double[] w = new double[counts.size()];
        Signal[] parts = new Signal[counts.size()];
        int i = 0;
        for (Map.Entry<Integer, Double> e : counts.entrySet()) {
            w[i] = e.getValue();
            parts[i++] = WindowMax.of(inputs.get(0), e.getKey(), ctx);
        }
        return Mixture.of(w, parts).withProfile(prof);
    }

    /**
     * The output's position map when the input has one (for {@code f(x)}, f non-decreasing: its pre-activation's):
     * each window's max of independent Gaussians with their own means and variances; null otherwise.
     */
    private static PositionStats positions(MaxPool2d layer, Signal x) {
        int[] in = layer.inputShapes()[0];
        Activated a = x.activated();
        if (a == null) {
            PositionStats p = x.positions(in[0], in[1], in[2]);
            return p == null ? null : p.maxPool(layer, null, new double[0], 0);
        }
        PositionStats pre = a.monotone() ? a.preActivation().positions(in[0], in[1], in[2]) : null;
        return pre == null ? null : pre.maxPool(layer, a.function(), a.kinks(), a.shift());
    }
}
