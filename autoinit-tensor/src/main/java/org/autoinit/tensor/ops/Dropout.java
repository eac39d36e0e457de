package org.autoinit.tensor.ops;

import java.util.Objects;
import java.util.random.RandomGenerator;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;

/**
 * Inverted dropout: in training each unit is kept with probability {@code 1 - p} and scaled by
 * {@code 1 / (1 - p)}, so expectations match eval mode, where dropout is the identity.
 *
 * <p>The mask comes from the given generator, one {@code nextDouble()} per unit (per channel for
 * {@link #channelDropout}) in row-major order, drawn on the calling thread: the same seed gives the same
 * mask. {@code p == 1} is allowed, as in PyTorch: the output and its gradient are all zeros and nothing is
 * drawn. In eval mode or with {@code p == 0} the input is returned as is and nothing is drawn.
 */
public final class Dropout {
    private Dropout() {}

    /** {@code y = x m / (1 - p)}, m ~ Bernoulli(1 - p) per element; dx = g m / (1 - p). */
    public static Tensor dropout(Tensor x, double p, boolean training, RandomGenerator rng) {
        checkP("dropout", p);
        if (!training || p == 0) {
            return x;
        }
        Objects.requireNonNull(rng, "dropout: rng");
        return masked("dropout", x, p, rng, x.numel(), 1);
    }

    /**
     * Drops whole channels of {@code x [N, C, ...]}, one draw per (n, c), as {@code nn.Dropout2d}:
     * {@code y[n, c, ...] = x[n, c, ...] m[n, c] / (1 - p)}; dx = g m / (1 - p).
     */
    public static Tensor channelDropout(Tensor x, double p, boolean training, RandomGenerator rng) {
        checkP("channel_dropout", p);
        int[] s = x.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException("channel_dropout: input of shape " + Shape.str(s) + " must have rank >= 2 (N, C, ...)");
        }
        if (!training || p == 0) {
            return x;
        }
        Objects.requireNonNull(rng, "channel_dropout: rng");
        int channels = s[0] * s[1];
        return masked("channel_dropout", x, p, rng, channels, channels == 0 ? 1 : x.numel() / channels);
    }

    private static void checkP(String op, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(op + ": probability has to be between 0 and 1, but got " + p);
        }
    }

    /** Draws {@code groups} keep decisions, each covering {@code run} consecutive elements, and applies them. */
    private static Tensor masked(String op, Tensor x, double p, RandomGenerator rng, int groups, int run) {
        boolean[] keep = new boolean[groups];
        if (p < 1) {
            for (int i = 0; i < groups; i++) keep[i] = rng.nextDouble() >= p;
        }
        double scale = p < 1 ? 1.0 / (1.0 - p) : 0.0;
        Tensor y = apply(x, keep, run, scale);
        return Tensor.record(op, y, g -> x.accumulateGrad(apply(g, keep, run, scale)), x);
    }

    /** {@code out[i] = keep[i / run] ? v[i] * scale : 0}. */
    private static Tensor apply(Tensor v, boolean[] keep, int run, double scale) {
        Tensor out = Tensor.zeros(v.dtype(), v.shape());
        if (v.dtype() == DType.FLOAT32) {
            float[] a = v.floatData(), o = out.floatData();
            float sc = (float) scale;
            for (int k = 0; k < keep.length; k++) {
                if (keep[k]) {
                    for (int i = k * run, end = i + run; i < end; i++) o[i] = a[i] * sc;
                }
            }
        } else {
            double[] a = v.doubleData(), o = out.doubleData();
            for (int k = 0; k < keep.length; k++) {
                if (keep[k]) {
                    for (int i = k * run, end = i + run; i < end; i++) o[i] = a[i] * scale;
                }
            }
        }
        return out;
    }
}
