package org.autoinit.nn.train;

import java.util.Locale;

/**
 * Stops training when a metric has not improved by more than {@code minDelta} for {@code patience} epochs.
 * Metrics whose name contains "accuracy" are maximized, all others (losses) minimized. A NaN value never
 * counts as an improvement.
 */
public final class EarlyStopping implements TrainingListener {
    private final String metric;
    private final int patience;
    private final double minDelta;
    private final boolean maximize;
    private TrainingRun run;
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private int waited;

    public EarlyStopping(String metric, int patience, double minDelta) {
        if (!EpochMetrics.NAMES.contains(metric)) {
            throw new IllegalArgumentException("EarlyStopping: unknown metric '" + metric + "'; known: " + EpochMetrics.NAMES);
        }
        if (patience < 1 || !(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 1 and minDelta >= 0, got " + patience + ", " + minDelta);
        }
        this.metric = metric;
        this.patience = patience;
        this.minDelta = minDelta;
        this.maximize = metric.contains("accuracy");
    }

    @Override
    public void onTrainStart(TrainingRun r) {
        this.run = r;
        // A resumed run replays the history so patience carries over the interruption.
        best = Double.NaN;
        bestEpoch = -1;
        waited = 0;
        for (EpochMetrics m : r.history().epochs()) {
            observe(m);
        }
    }

    @Override
    public void onEpochEnd(int epoch, EpochMetrics m) {
        if (observe(m)) {
            run.requestStop(String.format(Locale.ROOT, "early stopping: %s did not improve by more than %g for %d epoch(s) (best %.6g at epoch %d)",
                    metric, minDelta, patience, best, bestEpoch));
        }
    }

    /** Updates the best value; true when patience is exhausted. */
    private boolean observe(EpochMetrics m) {
        double v = m.get(metric);
        boolean improved = !Double.isNaN(v) && (Double.isNaN(best) || (maximize ? v > best + minDelta : v < best - minDelta));
        if (improved) {
            best = v;
            bestEpoch = m.epoch();
            waited = 0;
        } else {
            waited++;
        }
        return waited >= patience;
    }

    /** Best value seen so far (NaN before any). */
    public double best() {
        return best;
    }

    /** Epoch of the best value, -1 before any. */
    public int bestEpoch() {
        return bestEpoch;
    }
}
