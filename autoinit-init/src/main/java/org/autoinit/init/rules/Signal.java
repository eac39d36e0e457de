package org.autoinit.init.rules;

import org.autoinit.init.moments.Moments;

/**
 * What AutoInit knows about the signal on one graph edge: its pooled {@link Moments} (mean and second moment
 * over samples, positions and channels), the part of its variance shared by all samples, optionally its
 * per-channel statistics, and, when the signal is an activation of a Gaussian, which activation and which
 * pre-activation signal.
 *
 * <p><b>Shared variance.</b> Weights are drawn once and then fixed, so a weighted layer fed with a signal of
 * non-zero mean {@code mu} gives every output channel j its own constant offset {@code c_j = mu sum_i w_ij}:
 * the same for every sample and position. {@link #sharedVariance()} is the variance across channels of these
 * constants (positional embeddings add constants of the same kind). Pooled moments never depend on it, but
 * every rule that averages or maximizes within a channel does: averaging k positions divides only the
 * non-shared part by k; batch normalization removes it. When {@link #channels()} is known (the usual case)
 * the shared variance is {@code Var_c(m_c)} of the actual channels; otherwise it is the expectation over draws.
 *
 * @param moments        pooled mean and second moment
 * @param sharedVariance variance of the per-channel constants, in {@code [0, moments.variance()]}
 * @param activated      non-null when the entries are {@code f(x)} of Gaussian x (max pooling then uses the
 *                       exact order statistics of x)
 * @param channels       per-channel statistics, or null when unknown (after reshapes, unknown layers)
 * @param profile        how the second moment varies over the positions of a feature map, or null (uniform)
 * @param inverseRank    1 / effective dimension of the feature vectors (the inverse participation ratio
 *                       {@code tr(C^2) / tr(C)^2} of their covariance across features), or NaN when unknown: tokens
 *                       embedded from 16-pixel patches span ~16 of their 128 dimensions, which attention feels
 * @param coherence      fraction of the within-channel variance that is an offset of one sample's channel shared
 *                       by all its positions or tokens (attention outputs are nearly the same for every token of
 *                       a sample): pooling over positions and attention's mixing do not average it away
 * @param normalizedRows true when every token (the last axis) has the same norm, as right after a LayerNorm:
 *                       its projections are then lighter-tailed than Gaussian, which attention scores feel
 * @param covariance     the full covariance of a feature vector (MLPs), or null when not tracked
 * @param tokenScale     relative variance {@code Var(r)} of a per-token scale r ({@code E[r] = 1}) of the token-specific
 *                       part of a token sequence, beyond what a Gaussian token has: the token is {@code sqrt(r) g} with g
 *                       Gaussian (border patches of a zero-padded image have fewer pixels; without LayerNorm attention and
 *                       the MLPs spread the tokens' norms further). Attention weights favour large tokens, whose values are
 *                       large too, so it keeps more variance than Gaussian tokens would ({@link AttentionScaleMixture}).
 *                       0 when none (or unknown)
 * @param positions      per-(channel, position) means and variances of a feature map ({@link PositionStats}), or null
 *                       when not tracked; rules that change the entries drop it, and readers check it still describes
 *                       the signal ({@link #positions(int, int, int)})
 */
public record Signal(Moments moments, double sharedVariance, Activated activated, ChannelStats channels, SpatialProfile profile,
        double inverseRank, double coherence, boolean normalizedRows, FeatureCovariance covariance, double tokenScale, PositionStats positions) {

    public Signal {
        if (moments == null) {
            throw new IllegalArgumentException("Signal: moments must not be null");
        }
        if (!(sharedVariance >= 0) || !Double.isFinite(sharedVariance)) {
            throw new IllegalArgumentException("Signal: shared variance must be finite and >= 0, got " + sharedVariance);
        }
        // Rounding in a rule may push the shared part a hair above the total; it can never exceed it.
        sharedVariance = Math.min(sharedVariance, moments.variance());
        coherence = Double.isFinite(coherence) ? Math.max(0, Math.min(1, coherence)) : 0;
        tokenScale = tokenScale > 0 && Double.isFinite(tokenScale) ? tokenScale : 0;
    }

    /** The record without a token scale (the common case). */
    public Signal(Moments moments, double sharedVariance, Activated activated, ChannelStats channels, SpatialProfile profile, double inverseRank,
            double coherence, boolean normalizedRows, FeatureCovariance covariance) {
        this(moments, sharedVariance, activated, channels, profile, inverseRank, coherence, normalizedRows, covariance, 0, null);
    }

    /** The record without a position map. */
    public Signal(Moments moments, double sharedVariance, Activated activated, ChannelStats channels, SpatialProfile profile, double inverseRank,
            double coherence, boolean normalizedRows, FeatureCovariance covariance, double tokenScale) {
        this(moments, sharedVariance, activated, channels, profile, inverseRank, coherence, normalizedRows, covariance, tokenScale, null);
    }

    /** A signal with no shared part, no channels and no activation provenance (e.g. iid data). */
    public static Signal of(Moments m) {
        return new Signal(m, 0.0, null, null, null, Double.NaN, 0, false, null);
    }

    /** A signal with the given pooled moments and shared variance (channels unknown). */
    public static Signal of(Moments m, double sharedVariance) {
        return new Signal(m, sharedVariance, null, null, null, Double.NaN, 0, false, null);
    }

    /** A signal described by its channels (pooled moments and shared variance derived from them). */
    public static Signal of(ChannelStats ch) {
        return new Signal(ch.pooled(), ch.sharedVariance(), null, ch, null, Double.NaN, 0, false, null);
    }

    /** {@code E[x]}. */
    public double mean() {
        return moments.mean();
    }

    /** {@code E[x^2]}. */
    public double secondMoment() {
        return moments.secondMoment();
    }

    /** {@code E[x^2] - E[x]^2}. */
    public double variance() {
        return moments.variance();
    }

    /** The part of the variance not shared across samples: {@code variance() - sharedVariance()}. */
    public double withinVariance() {
        return Math.max(0.0, moments.variance() - sharedVariance);
    }

    /** Fraction of the variance that is shared, in [0, 1] (0 for a constant signal). */
    public double sharedFraction() {
        double v = moments.variance();
        return v > 0 ? sharedVariance / v : 0.0;
    }

    /** This signal without its activation provenance (for rules that change the law of the entries). */
    public Signal plain() {
        return activated == null ? this
                : new Signal(moments, sharedVariance, null, channels, profile, inverseRank, coherence, normalizedRows, covariance, tokenScale, positions);
    }

    /** This signal with the given activation provenance. */
    public Signal withActivated(Activated a) {
        return new Signal(moments, sharedVariance, a, channels, profile, inverseRank, coherence, normalizedRows, covariance, tokenScale, positions);
    }

    /** This signal with the given spatial profile (null = uniform). */
    public Signal withProfile(SpatialProfile p) {
        return new Signal(moments, sharedVariance, activated, channels, p, inverseRank, coherence, normalizedRows, covariance, tokenScale, positions);
    }

    /** This signal with the given inverse effective dimension (clamped to [0, 1]; NaN = unknown). */
    public Signal withInverseRank(double r) {
        double clamped = Double.isNaN(r) ? r : Math.max(0, Math.min(1, r));
        return new Signal(moments, sharedVariance, activated, channels, profile, clamped, coherence, normalizedRows, covariance, tokenScale, positions);
    }

    /** This signal with the given feature covariance (null: not tracked). */
    public Signal withCovariance(FeatureCovariance cov) {
        return new Signal(moments, sharedVariance, activated, channels, profile, inverseRank, coherence, normalizedRows, cov, tokenScale, positions);
    }

    /**
     * This signal described by a position map: its channels, pooled moments and shared variance become the map's
     * (the map is the finer description of the same entries); everything else is kept.
     */
    public Signal withPositions(PositionStats p) {
        if (p == null) {
            return new Signal(moments, sharedVariance, activated, channels, profile, inverseRank, coherence, normalizedRows, covariance, tokenScale, null);
        }
        ChannelStats ch = p.channels();
        return new Signal(ch.pooled(), ch.sharedVariance(), activated, ch, profile, inverseRank, coherence, normalizedRows, covariance, tokenScale, p);
    }

    /** The position map if it is tracked for a {@code [c, h, w]} map and still describes this signal, else null. */
    PositionStats positions(int c, int h, int w) {
        return positions != null && positions.describes(c, h, w, moments) ? positions : null;
    }

    /** This signal marked as having tokens of equal norm (or not). */
    public Signal withNormalizedRows(boolean on) {
        return new Signal(moments, sharedVariance, activated, channels, profile, inverseRank, coherence, on, covariance, tokenScale, positions);
    }

    /** This signal with the coherent variance {@code tau} (as a fraction of its within-channel variance). */
    public Signal withCoherentVariance(double tau) {
        double w = withinVariance();
        return withCoherence(w > 0 ? tau / w : 0);
    }

    /** This signal with the given coherent fraction (clamped to [0, 1]). */
    public Signal withCoherence(double c) {
        return new Signal(moments, sharedVariance, activated, channels, profile, inverseRank, c, normalizedRows, covariance, tokenScale, positions);
    }

    /** This signal with the given per-token scale variance (see {@link #tokenScale()}; 0 = none). */
    public Signal withTokenScale(double k) {
        return new Signal(moments, sharedVariance, activated, channels, profile, inverseRank, coherence, normalizedRows, covariance, k, positions);
    }

    /** The token-specific variance: the within variance less its token-coherent part. */
    public double tokenVariance() {
        return (1 - coherence) * withinVariance();
    }

    /** The coherent variance {@code coherence * withinVariance()}. */
    public double coherentVariance() {
        return coherence * withinVariance();
    }

    /** The inverse effective dimension, or {@code 1 / features} (independent features) when unknown. */
    public double inverseRank(int features) {
        return Double.isNaN(inverseRank) ? 1.0 / features : inverseRank;
    }

    /** The channels if known with the given axis and count, else null. */
    ChannelStats channels(ChannelStats.Axis axis, int count) {
        return channels != null && channels.axis == axis && channels.count() == count ? channels : null;
    }

    /**
     * Per-channel statistics of {@code count} channels along {@code axis}: the known ones when they match (or
     * whole channels repeated, for a flattening that groups {@code count / C} consecutive entries per channel),
     * else every channel with the pooled moments (the shared part is then lost).
     */
    ChannelStats channelsOrUniform(ChannelStats.Axis axis, int count) {
        if (channels != null) {
            if (channels.axis == axis && channels.count() == count) {
                return channels;
            }
            if (channels.axis == ChannelStats.Axis.FIRST && count % channels.count() == 0) {
                return channels.repeat(count / channels.count(), axis);
            }
        }
        return ChannelStats.uniform(axis, count, moments);
    }
}
