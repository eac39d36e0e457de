package org.autoinit.init.moments;

/**
 * The first two moments of a signal whose entries are identically distributed: {@code mean = E[x]} and
 * {@code secondMoment = E[x^2]}. AutoInit propagates these through the graph; the variance
 * {@code E[x^2] - E[x]^2} is derived.
 *
 * <p>A second moment below {@code mean^2} by at most a relative {@link #TOLERANCE} (rounding in a rule) is
 * raised to {@code mean^2}, so {@link #variance()} is never negative; anything further below is an error.
 */
public record Moments(double mean, double secondMoment) {

    /** Relative shortfall of {@code secondMoment} below {@code mean^2} accepted as rounding. */
    public static final double TOLERANCE = 1e-9;

    private static final Moments STANDARD = new Moments(0.0, 1.0);

    public Moments {
        if (!Double.isFinite(mean) || !Double.isFinite(secondMoment)) {
            throw new IllegalArgumentException("Moments: mean and second moment must be finite, got mean="
                    + mean + ", secondMoment=" + secondMoment);
        }
        double meanSq = mean * mean;
        if (secondMoment < meanSq) {
            if (meanSq - secondMoment > TOLERANCE * meanSq || !Double.isFinite(meanSq)) {
                throw new IllegalArgumentException("Moments: second moment " + secondMoment
                        + " is below mean^2 = " + meanSq + " (mean " + mean + "); a variance cannot be negative");
            }
            secondMoment = meanSq;
        }
    }

    /** The moments of a signal with the given mean and variance ({@code secondMoment = variance + mean^2}). */
    public static Moments of(double mean, double variance) {
        if (!(variance >= 0.0) || !Double.isFinite(variance)) {
            throw new IllegalArgumentException("Moments.of: variance must be finite and >= 0, got " + variance + " (mean " + mean + ")");
        }
        return new Moments(mean, variance + mean * mean);
    }

    /** Zero mean, unit variance: the input assumption and the target of every weighted layer. */
    public static Moments standard() {
        return STANDARD;
    }

    /** {@code E[x^2] - E[x]^2 >= 0}. */
    public double variance() {
        return secondMoment - mean * mean;
    }

    /**
     * Moments of {@code x + c} for a constant c: {@code (mu + c, q + 2 c mu + c^2)}, the variance unchanged
     * (e.g. a centred activation {@code f(x) - shift} is {@code shift(-shift)} of f's moments).
     */
    public Moments shift(double c) {
        return new Moments(mean + c, Math.max(secondMoment + 2 * c * mean + c * c, (mean + c) * (mean + c)));
    }

    /** Standard deviation {@code sqrt(variance())}. */
    public double std() {
        return Math.sqrt(variance());
    }
}
