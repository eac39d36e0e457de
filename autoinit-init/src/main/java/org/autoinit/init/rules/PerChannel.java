package org.autoinit.init.rules;

import java.util.HashMap;
import java.util.Map;

import org.autoinit.init.moments.Moments;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Applies a moment map to every channel. Identical channels are mapped once, exactly; otherwise channels are bucketed by their (mean, variance) on a grid of
 * {@code 1e-4} of the signal's scale and the map is evaluated once per bucket, at the grid point: after a
 * normalization all channels nearly coincide, so a wide layer costs a handful of quadratures, and the grid
 * points repeat from one initialization to the next, so memoized quadratures are reused (relative error of
 * the moments below about 1e-4).
 */
final class PerChannel {
    private PerChannel() {}

    /** A moment map of one channel's (Gaussian or pre-activation) moments. */
    @FunctionalInterface
    interface Map1 {
        Moments apply(Moments channel);
    }

    private record Cell(long m, long v) {}

    private static boolean uniform(ChannelStats in) {
        for (int c = 1; c < in.count(); c++) {
            if (in.mean[c] != in.mean[0] || in.var[c] != in.var[0]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The channels with their (mean, variance) moved to the grid points used by {@link #map} (unchanged when all
     * channels are identical), so that channels in one cell become identical.
     */
    static ChannelStats gridded(ChannelStats in) {
        if (uniform(in)) {
            return in;
        }
        double scale = Math.sqrt(in.pooled().secondMoment());
        if (!(scale > 0)) {
            scale = 1;
        }
        double qm = 1e-4 * scale, qv = 1e-4 * scale * scale;
        double[] m = new double[in.count()], v = new double[in.count()];
        for (int c = 0; c < m.length; c++) {
            m[c] = Math.round(in.mean[c] / qm) * qm;
            v[c] = Math.max(0, Math.round(in.var[c] / qv) * qv);
        }
        return ChannelStats.wrap(in.axis, m, v);
    }

    static ChannelStats map(ChannelStats in, Map1 f) {
        return map(in, f, true);
    }

    /**
     * As {@link #map(ChannelStats, Map1)}; {@code memo} false evaluates f at every channel's grid point without the
     * cache, split over the threads: the same values, for maps that cost less than a cache lookup (closed forms,
     * thread-safe) over many channels (a position map: one entry per channel and position class, mostly distinct).
     */
    static ChannelStats map(ChannelStats in, Map1 f, boolean memo) {
        int n = in.count();
        if (uniform(in)) {
            // Every channel alike (iid inputs, fresh norms): one exact evaluation, no grid.
            Moments out = f.apply(Moments.of(in.mean[0], in.var[0]));
            double[] m = new double[n], v = new double[n];
            java.util.Arrays.fill(m, out.mean());
            java.util.Arrays.fill(v, out.variance());
            return ChannelStats.wrap(in.axis, m, v);
        }
        Moments pooled = in.pooled();
        double scale = Math.sqrt(pooled.secondMoment());
        if (!(scale > 0)) {
            scale = 1;
        }
        double qm = 1e-4 * scale, qv = 1e-4 * scale * scale;
        double[] m = new double[n], v = new double[n];
        if (!memo) {
            Parallel.forRange(n, 1024, (from, to) -> {
                for (int c = from; c < to; c++) {
                    Moments out = f.apply(Moments.of(Math.round(in.mean[c] / qm) * qm, Math.max(0, Math.round(in.var[c] / qv) * qv)));
                    m[c] = out.mean();
                    v[c] = out.variance();
                }
            });
            return ChannelStats.wrap(in.axis, m, v);
        }
        Map<Cell, Moments> cache = new HashMap<>();
        for (int c = 0; c < n; c++) {
            Cell cell = new Cell(Math.round(in.mean[c] / qm), Math.round(in.var[c] / qv));
            Moments out = cache.computeIfAbsent(cell, k -> f.apply(Moments.of(k.m * qm, Math.max(0, k.v * qv))));
            m[c] = out.mean();
            v[c] = out.variance();
        }
        return ChannelStats.wrap(in.axis, m, v);
    }
}
