package org.autoinit.nn.optim;

/**
 * Learning rate as a function of the optimizer step {@code s = 0, 1, 2, ...} (the step about to be taken).
 * The trainer sets {@code optimizer.setLearningRate(schedule.lr(s))} before every step, so a schedule
 * has no state of its own and resumes from a checkpoint by the step number alone.
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step);

    /** The same rate at every step. */
    static LrSchedule constant(double lr) {
        checkRate("constant", lr);
        return s -> lr;
    }

    /** {@code lr * gamma^floor(s / stepSize)}, as {@code torch.optim.lr_scheduler.StepLR} counted in steps. */
    static LrSchedule step(double lr, long stepSize, double gamma) {
        checkRate("step", lr);
        if (stepSize <= 0 || !(gamma > 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("step schedule: step size must be > 0 and gamma finite and > 0, got "
                    + stepSize + ", " + gamma);
        }
        return s -> lr * Math.pow(gamma, Math.floorDiv(s, stepSize));
    }

    /**
     * Linear warm-up then cosine decay to zero, the schedule of the AutoInit paper's experiments:
     * {@code peak * (s + 1) / warmup} for {@code s < warmup} (so the first step is not wasted at rate 0 and
     * step {@code warmup - 1} reaches the peak), then {@code peak * (1 + cos(pi * (s - warmup) / (total - warmup))) / 2}
     * for {@code warmup <= s < total}, and 0 from {@code total} on.
     */
    static LrSchedule warmupCosine(double peak, long warmupSteps, long totalSteps) {
        checkRate("warmupCosine", peak);
        if (warmupSteps < 0 || totalSteps <= warmupSteps) {
            throw new IllegalArgumentException("warmupCosine: need 0 <= warmup steps < total steps, got " + warmupSteps
                    + " and " + totalSteps);
        }
        return s -> {
            if (s < warmupSteps) {
                return peak * (s + 1) / warmupSteps;
            }
            if (s >= totalSteps) {
                return 0.0;
            }
            return peak * 0.5 * (1 + Math.cos(Math.PI * (s - warmupSteps) / (totalSteps - warmupSteps)));
        };
    }

    private static void checkRate(String name, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(name + " schedule: learning rate must be finite and >= 0, got " + lr);
        }
    }
}
