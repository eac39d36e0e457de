package org.autoinit.init.rules;

import org.autoinit.nn.Parameter;
import org.autoinit.nn.layers.Dense;

/**
 * How a weighted layer uses its weight: {@code y_j = sum_{i, t} w_{j,i,t} x_{i,t} + b_j} over the input channels
 * i of unit j's group and the kernel taps t. Zero padding makes tap t read a real input only at a fraction
 * {@code tapValidity[t]} of the output positions; more generally, {@code tapValidity[t]} is the average over
 * output positions of the relative second moment the tap reads (0 in the padding, see {@link SpatialProfile})
 * and {@code tapMean[t]} the average of its square root (how means scale).
 *
 * @param weight         the weight: {@code [in, out]} (Dense) or {@code [out, in/groups, taps...]} (conv)
 * @param bias           the bias, or null
 * @param unitsLast      true for {@code [in, out]} (units on the last axis), false for {@code [out, ...]}
 * @param groups         groups of a grouped convolution (1 otherwise)
 * @param tapValidity    per kernel tap (row-major over the kernel), the average relative second moment it reads
 *                       (the fraction of outputs where it reads a real input, for a uniform map); null for no
 *                       taps (Dense) or no padding
 * @param tapMean        per kernel tap, the average relative mean it reads; null = {@code tapValidity}
 * @param tapCovariance  {@code taps x taps} (row-major): the covariance over output positions of the relative
 *                       amplitudes two taps read (0 in the padding), which spreads the per-tap constants
 *                       {@code sum_i w m_i} across border and interior positions; null when they do not vary
 * @param inputAxis      channel axis of the input signal the weight contracts over
 * @param outputAxis     channel axis of the output
 * @param repeatChannels the input is a flattened {@code [C, ...]} whose channels each cover consecutive entries
 *                       (flatten, image patches)
 */
public record WeightSpec(Parameter weight, Parameter bias, boolean unitsLast, int groups, double[] tapValidity, double[] tapMean,
        double[] tapCovariance, ChannelStats.Axis inputAxis, ChannelStats.Axis outputAxis, boolean repeatChannels) {

    public WeightSpec {
        if (weight == null || groups < 1) {
            throw new IllegalArgumentException("WeightSpec: a weight and groups >= 1 are required");
        }
        tapValidity = tapValidity == null ? null : tapValidity.clone();
        tapMean = tapMean == null ? tapValidity : tapMean.clone();
        tapCovariance = tapCovariance == null ? null : tapCovariance.clone();
    }

    /** A Dense layer over the last axis; {@code flattenedInput} when its input is a flattened feature map or patch. */
    public static WeightSpec dense(Dense d, boolean flattenedInput) {
        return new WeightSpec(d.weight(), d.bias(), true, 1, null, null, null, ChannelStats.Axis.LAST, ChannelStats.Axis.LAST, flattenedInput);
    }

    /**
     * A convolution with weight {@code [O, C/groups, k...]} (channels first in and out) and per-tap factors (a
     * null covariance treats the taps' amplitudes as uncorrelated: exact only on average over zero-mean weights).
     */
    public static WeightSpec conv(Parameter weight, Parameter bias, int groups, double[] tapValidity, double[] tapMean, double[] tapCovariance) {
        return new WeightSpec(weight, bias, false, groups, tapValidity, tapMean, tapCovariance, ChannelStats.Axis.FIRST, ChannelStats.Axis.FIRST,
                false);
    }

    /** Number of output units (channels). */
    public int units() {
        return unitsLast ? weight.value().dim(-1) : weight.value().dim(0);
    }

    /** Kernel taps per input channel (1 for Dense). */
    public int taps() {
        if (unitsLast) {
            return 1;
        }
        int[] s = weight.value().shape();
        int t = 1;
        for (int i = 2; i < s.length; i++) {
            t *= s[i];
        }
        return t;
    }

    /** Input channels read by one unit (in_features for Dense, C/groups for conv). */
    public int inputsPerUnit() {
        return weight.value().numel() / units() / taps();
    }

    /** Input channels of the layer. */
    public int inputChannels() {
        return inputsPerUnit() * (unitsLast ? 1 : groups);
    }

    /** Effective fan_in: inputs per unit times the sum of the tap validities (= taps without padding). */
    public double fanIn() {
        double t = taps();
        if (tapValidity != null) {
            t = 0;
            for (double v : tapValidity) {
                t += v;
            }
        }
        return inputsPerUnit() * t;
    }
}
