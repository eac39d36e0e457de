package org.autoinit.nn.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress on the console. On a terminal ({@code System.console() != null}) a bar redrawn in place at most
 * ten times a second, with ETA, loss, accuracy and samples/s, then one summary line per epoch; otherwise
 * (logs, CI) only the per-epoch lines, so files do not fill with carriage returns.
 */
public final class ConsoleProgress implements TrainingListener {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean interactive;
    private TrainingRun run;
    private long lastDraw;
    private double lossSum;
    private double accSum;
    private int batches;

    /** Writes to {@code System.out}, with a bar only when attached to a terminal. */
    public ConsoleProgress() {
        this(System.out, System.console() != null);
    }

    public ConsoleProgress(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    @Override
    public void onTrainStart(TrainingRun r) {
        this.run = r;
        if (r.epoch() > 0) {
            out.printf(Locale.ROOT, "resuming at epoch %d/%d, step %d%n", r.epoch() + 1, r.epochs(), r.step());
        }
    }

    @Override
    public void onBatchEnd(long step, double loss, double accuracy, double samplesPerSec) {
        lossSum += loss;
        accSum += Double.isNaN(accuracy) ? 0 : accuracy;
        batches++;
        long now = System.nanoTime();
        if (!interactive || now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        out.print("\r" + bar(run.batchInEpoch(), run.batchesPerEpoch(), samplesPerSec) + "\u001b[K");
        out.flush();
    }

    /** The bar line without the carriage return, e.g. {@code epoch 2/10 [=====>    ] 45/100 ETA 0:12 loss 0.4321 acc 0.8765 1234 samples/s}. */
    String bar(int done, int total, double samplesPerSec) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d/%d ", run.epoch() + 1, run.epochs()));
        if (total > 0) {
            int filled = (int) ((long) WIDTH * Math.min(done, total) / total);
            sb.append('[').append("=".repeat(Math.max(0, filled - 1))).append(filled > 0 ? ">" : "")
                    .append(" ".repeat(WIDTH - filled)).append("] ").append(done).append('/').append(total);
            double perBatch = done > 0 ? run.epochSeconds() / done : 0;
            sb.append(" ETA ").append(clock(perBatch * Math.max(0, total - done)));
        } else {
            sb.append(done).append(" batches");
        }
        sb.append(String.format(Locale.ROOT, " loss %.4f acc %.4f %.0f samples/s", lossSum / Math.max(1, batches),
                accSum / Math.max(1, batches), samplesPerSec));
        return sb.toString();
    }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void onEpochEnd(int epoch, EpochMetrics m) {
        if (interactive) {
            out.print("\r\u001b[K");
        }
        out.println(line(m, run == null ? -1 : run.epochs()));
        lossSum = 0;
        accSum = 0;
        batches = 0;
    }

    /** The per-epoch summary, e.g. {@code epoch 3/10 step 300 loss 0.4321 acc 0.8765 val_loss 0.5 val_acc 0.85 lr 0.001 12.3s}. */
    static String line(EpochMetrics m, int epochs) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "epoch %d%s step %d loss %.4f acc %.4f", m.epoch() + 1,
                epochs > 0 ? "/" + epochs : "", m.step(), m.trainLoss(), m.trainAccuracy()));
        if (!Double.isNaN(m.valLoss())) {
            sb.append(String.format(Locale.ROOT, " val_loss %.4f val_acc %.4f", m.valLoss(), m.valAccuracy()));
        }
        return sb.append(String.format(Locale.ROOT, " lr %.3g %.1fs", m.learningRate(), m.seconds())).toString();
    }

    @Override
    public void onTrainEnd(History history) {
        if (run != null && run.stopReason() != null) {
            out.println("stopped: " + run.stopReason());
        }
        out.flush();
    }
}
