package org.autoinit.nn.train;

/**
 * Training produced a non-finite loss, node output or gradient. The message names the step, the epoch and
 * the first place the non-finite value appeared ({@link #where()}: a node name, a parameter name, or "loss").
 */
public final class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final long step;
    private final int epoch;
    private final String where;

    public TrainingDivergedException(long step, int epoch, String where, String message) {
        super(message);
        this.step = step;
        this.epoch = epoch;
        this.where = where;
    }

    /** The optimizer step being computed (0-based: the number of steps completed before it). */
    public long step() {
        return step;
    }

    public int epoch() {
        return epoch;
    }

    /** Node name, qualified parameter name, or "loss". */
    public String where() {
        return where;
    }
}
