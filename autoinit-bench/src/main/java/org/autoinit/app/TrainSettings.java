package org.autoinit.app;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.autoinit.nn.Model;
import org.autoinit.nn.optim.Adam;
import org.autoinit.nn.optim.AdamW;
import org.autoinit.nn.optim.LrSchedule;
import org.autoinit.nn.optim.Optimizer;
import org.autoinit.nn.optim.Sgd;

/**
 * How a model is trained: optimizer by name, peak learning rate, schedule, warm-up, epochs, batch size.
 *
 * @param optimizer   "sgd" (with {@code momentum}), "adam" or "adamw"
 * @param lr          peak learning rate
 * @param momentum    SGD momentum (ignored by Adam)
 * @param weightDecay L2 for sgd/adam, decoupled for adamw
 * @param schedule    "cosine" (warm-up then cosine decay to 0 at the last step), "constant" (warm-up then
 *                    flat) or "step" (warm-up then x0.1 after each third of the run)
 * @param warmup      linear warm-up steps (counted in optimizer steps)
 * @param epochs      epochs in total
 * @param batch       mini-batch size
 * @param clipNorm    global gradient-norm clip, 0 = off
 */
public record TrainSettings(String optimizer, double lr, double momentum, double weightDecay, String schedule, int warmup, int epochs,
        int batch, double clipNorm) {

    public TrainSettings {
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        schedule = schedule.toLowerCase(Locale.ROOT);
        if (!optimizer.equals("sgd") && !optimizer.equals("adam") && !optimizer.equals("adamw")) {
            throw new IllegalArgumentException("optimizer must be sgd, adam or adamw, got '" + optimizer + "'");
        }
        if (!schedule.equals("cosine") && !schedule.equals("constant") && !schedule.equals("step")) {
            throw new IllegalArgumentException("schedule must be cosine, constant or step, got '" + schedule + "'");
        }
        if (!(lr > 0) || Double.isInfinite(lr) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0) || !(clipNorm >= 0)) {
            throw new IllegalArgumentException("need lr > 0, momentum in [0, 1), weight decay >= 0, clip >= 0; got lr " + lr + ", momentum "
                    + momentum + ", weight decay " + weightDecay + ", clip " + clipNorm);
        }
        if (warmup < 0 || epochs < 1 || batch < 1) {
            throw new IllegalArgumentException("need warmup >= 0, epochs >= 1, batch >= 1; got " + warmup + ", " + epochs + ", " + batch);
        }
    }

    /** A copy with another peak learning rate. */
    public TrainSettings withLr(double newLr) {
        return new TrainSettings(optimizer, newLr, momentum, weightDecay, schedule, warmup, epochs, batch, clipNorm);
    }

    /** A copy with another number of epochs. */
    public TrainSettings withEpochs(int n) {
        return new TrainSettings(optimizer, lr, momentum, weightDecay, schedule, warmup, n, batch, clipNorm);
    }

    /** The optimizer over the model's trainable parameters (build it after the model is initialized). */
    public Optimizer newOptimizer(Model model) {
        var params = Optimizer.trainable(model);
        return switch (optimizer) {
            case "sgd" -> Sgd.builder(params, lr).momentum(momentum).weightDecay(weightDecay).build();
            case "adam" -> Adam.builder(params, lr).weightDecay(weightDecay).build();
            default -> AdamW.builder(params, lr).weightDecay(weightDecay).build();
        };
    }

    /** The schedule over {@code epochs * batchesPerEpoch} steps; the warm-up is capped at a tenth of the run. */
    public LrSchedule newSchedule(int batchesPerEpoch) {
        long total = (long) epochs * Math.max(1, batchesPerEpoch);
        long w = Math.min(warmup, total / 10);
        LrSchedule afterWarmup = switch (schedule) {
            case "cosine" -> LrSchedule.warmupCosine(lr, w, total);
            case "step" -> LrSchedule.step(lr, Math.max(1, (total - w + 2) / 3), 0.1);
            default -> LrSchedule.constant(lr);
        };
        if (schedule.equals("cosine") || w == 0) {
            return afterWarmup;
        }
        return s -> s < w ? lr * (s + 1) / w : afterWarmup.lr(s - w);
    }

    /** The settings as JSON-ready values (run configs). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("momentum", momentum);
        m.put("weight_decay", weightDecay);
        m.put("schedule", schedule);
        m.put("warmup", (long) warmup);
        m.put("epochs", (long) epochs);
        m.put("batch", (long) batch);
        m.put("clip_norm", clipNorm);
        return m;
    }

    /** Inverse of {@link #toMap()} after a JSON round trip. */
    public static TrainSettings fromMap(Map<?, ?> m) {
        return new TrainSettings((String) m.get("optimizer"), num(m, "lr"), num(m, "momentum"), num(m, "weight_decay"), (String) m.get("schedule"),
                (int) num(m, "warmup"), (int) num(m, "epochs"), (int) num(m, "batch"), num(m, "clip_norm"));
    }

    static double num(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("run config: missing number \"" + key + "\"");
        }
        return n.doubleValue();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s lr %s%s, %s schedule (warm-up %d steps), %d epoch(s) of batch %d%s", optimizer, lr,
                optimizer.equals("sgd") && momentum > 0 ? " momentum " + momentum : "", schedule, warmup, epochs, batch,
                clipNorm > 0 ? ", clip " + clipNorm : "");
    }
}
