package org.autoinit.nn.layers;

import org.autoinit.nn.Fans;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.Conv;
import org.autoinit.tensor.ops.Conv1dSpec;

/**
 * 1-d convolution of {@code [N, C, L]}: weight {@code [O, C/groups, k]}, bias {@code [O]}; stride, padding
 * (or "same"), dilation, groups. Fans {@code (C/groups * k, O * k)} as {@link Conv2d}.
 */
public final class Conv1d extends Layer {
    private final int outChannels, kernel, stride, padding, dilation, groups;
    private final boolean same, useBias;
    private Conv1dSpec spec;
    private Parameter weight, bias;

    private Conv1d(Builder b) {
        super(b.name);
        outChannels = b.outChannels;
        kernel = b.kernel;
        stride = b.stride;
        padding = b.padding;
        dilation = b.dilation;
        groups = b.groups;
        same = b.same;
        useBias = b.bias;
        if (outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || dilation <= 0 || groups <= 0) {
            throw new IllegalArgumentException("Conv1d: channels, kernel, stride, dilation and groups must be positive and padding non-negative");
        }
    }

    public static Builder builder(int outChannels, int kernel) {
        return new Builder(outChannels, kernel);
    }

    /** Optional settings of a Conv1d; output channels and kernel size are required. */
    public static final class Builder {
        private final int outChannels, kernel;
        private int stride = 1, padding, dilation = 1, groups = 1;
        private boolean same, bias = true;
        private String name;

        private Builder(int outChannels, int kernel) {
            this.outChannels = outChannels;
            this.kernel = kernel;
        }

        public Builder stride(int s) { stride = s; return this; }
        public Builder padding(int p) { padding = p; same = false; return this; }
        /** "same" (TF/Keras) or "valid". */
        public Builder padding(String mode) {
            switch (mode) {
                case "same" -> same = true;
                case "valid" -> { same = false; padding = 0; }
                default -> throw new IllegalArgumentException("Conv1d: padding must be \"same\" or \"valid\", got \"" + mode + "\"");
            }
            return this;
        }
        public Builder dilation(int d) { dilation = d; return this; }
        public Builder groups(int g) { groups = g; return this; }
        public Builder bias(boolean b) { bias = b; return this; }
        public Builder name(String n) { name = n; return this; }
        public Conv1d build() { return new Conv1d(this); }
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.rank(this, in, 2, "(C, L)");
        int c = in[0][0];
        if (c % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException(this + ": in channels " + c + " and out channels " + outChannels
                    + " must both be divisible by groups " + groups);
        }
        Conv1dSpec s = (same ? Conv1dSpec.same(stride) : Conv1dSpec.of(stride, padding)).withDilation(dilation).withGroups(groups);
        int len;
        try {
            len = s.outputLength(in[0][1], kernel);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ": " + e.getMessage(), e);
        }
        spec = s;
        // As PyTorch: fan_in = C/groups * k, fan_out = O * k (PyTorch does not divide fan_out by groups).
        Fans fans = new Fans(c / groups * kernel, outChannels * kernel);
        weight = addParameter("weight", ParamKind.WEIGHT, new int[] {outChannels, c / groups, kernel}, fans);
        if (useBias) {
            bias = addParameter("bias", ParamKind.BIAS, new int[] {outChannels}, fans);
        }
        return new int[] {outChannels, len};
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return Conv.conv1d(inputs[0], weight.value(), bias == null ? null : bias.value(), spec);
    }

    public int outChannels() { return outChannels; }
    public int kernelSize() { return kernel; }
    public Conv1dSpec spec() { requireBuilt(); return spec; }
    public int groups() { return groups; }
    public Parameter weight() { return weight; }
    public Parameter bias() { return bias; }
}
