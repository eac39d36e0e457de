package org.autoinit.nn.layers;

import org.autoinit.nn.Fans;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.Conv;
import org.autoinit.tensor.ops.Conv2dSpec;

/**
 * 2-d convolution (cross-correlation) of {@code [N, C, H, W]}: weight {@code [O, C/groups, kh, kw]}, bias
 * {@code [O]}; stride, zero padding (or TF-style "same"), dilation, groups (depthwise: groups = C).
 * Fans {@code (C/groups * kh*kw, O * kh*kw)}, exactly as PyTorch computes them (fan_out is not divided by
 * groups), so fan-out-based schemes give the same weights as in PyTorch.
 */
public final class Conv2d extends Layer {
    private final int outChannels, kh, kw;
    private final int strideH, strideW, padH, padW, dilation, groupsSetting;
    private final boolean same, depthwise, useBias;
    private Conv2dSpec spec;
    private Parameter weight, bias;

    private Conv2d(Builder b) {
        super(b.name);
        this.outChannels = b.outChannels;
        this.kh = b.kh;
        this.kw = b.kw;
        this.strideH = b.strideH;
        this.strideW = b.strideW;
        this.padH = b.padH;
        this.padW = b.padW;
        this.dilation = b.dilation;
        this.groupsSetting = b.groups;
        this.same = b.same;
        this.depthwise = b.depthwise;
        this.useBias = b.bias;
        if (outChannels <= 0 || kh <= 0 || kw <= 0 || strideH <= 0 || strideW <= 0 || padH < 0 || padW < 0 || dilation <= 0 || groupsSetting <= 0) {
            throw new IllegalArgumentException("Conv2d: channels, kernel, stride, dilation and groups must be positive and padding non-negative");
        }
    }

    /** A square {@code kernel x kernel} convolution to {@code outChannels} channels; stride 1, padding 0, bias. */
    public static Builder builder(int outChannels, int kernel) {
        return new Builder(outChannels, kernel, kernel);
    }

    public static Builder builder(int outChannels, int kh, int kw) {
        return new Builder(outChannels, kh, kw);
    }

    /** Optional settings of a Conv2d; output channels and kernel size are required. */
    public static final class Builder {
        private final int outChannels, kh, kw;
        private int strideH = 1, strideW = 1, padH, padW, dilation = 1, groups = 1;
        private boolean same, depthwise, bias = true;
        private String name;

        private Builder(int outChannels, int kh, int kw) {
            this.outChannels = outChannels;
            this.kh = kh;
            this.kw = kw;
        }

        public Builder stride(int s) { strideH = s; strideW = s; return this; }
        public Builder stride(int sh, int sw) { strideH = sh; strideW = sw; return this; }
        public Builder padding(int p) { padH = p; padW = p; same = false; return this; }
        public Builder padding(int ph, int pw) { padH = ph; padW = pw; same = false; return this; }
        /** "same" (TF/Keras: output ceil(in/stride), odd extra padding bottom/right) or "valid" (no padding). */
        public Builder padding(String mode) {
            switch (mode) {
                case "same" -> same = true;
                case "valid" -> { same = false; padH = 0; padW = 0; }
                default -> throw new IllegalArgumentException("Conv2d: padding must be \"same\" or \"valid\", got \"" + mode + "\"");
            }
            return this;
        }
        public Builder dilation(int d) { dilation = d; return this; }
        public Builder groups(int g) { groups = g; return this; }
        /** groups = input channels (each channel convolved separately; outChannels a multiple of C). */
        public Builder depthwise() { depthwise = true; return this; }
        public Builder bias(boolean b) { bias = b; return this; }
        public Builder name(String n) { name = n; return this; }
        public Conv2d build() { return new Conv2d(this); }
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.rank(this, in, 3, "(C, H, W)");
        int c = in[0][0];
        int g = depthwise ? c : groupsSetting;
        if (c % g != 0 || outChannels % g != 0) {
            throw new IllegalArgumentException(this + ": in channels " + c + " and out channels " + outChannels
                    + " must both be divisible by groups " + g);
        }
        Conv2dSpec s = (same ? Conv2dSpec.same(1) : Conv2dSpec.of(1, 0).withPadding(padH, padW))
                .withStride(strideH, strideW).withDilation(dilation).withGroups(g);
        int[] hw;
        try {
            hw = s.outputSize(in[0][1], in[0][2], kh, kw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(this + ": " + e.getMessage(), e);
        }
        spec = s;
        // As torch.nn.init._calculate_fan_in_and_fan_out: fan_in = C/groups * kh*kw, fan_out = O * kh*kw (no groups).
        Fans fans = new Fans(c / g * kh * kw, outChannels * kh * kw);
        weight = addParameter("weight", ParamKind.WEIGHT, new int[] {outChannels, c / g, kh, kw}, fans);
        if (useBias) {
            bias = addParameter("bias", ParamKind.BIAS, new int[] {outChannels}, fans);
        }
        return new int[] {outChannels, hw[0], hw[1]};
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return Conv.conv2d(inputs[0], weight.value(), bias == null ? null : bias.value(), spec);
    }

    public int outChannels() { return outChannels; }
    public int[] kernelSize() { return new int[] {kh, kw}; }
    /** The convolution settings with groups resolved (after build). */
    public Conv2dSpec spec() { requireBuilt(); return spec; }
    public int groups() { requireBuilt(); return spec.groups(); }
    public boolean hasBias() { return useBias; }
    /** [O, C/groups, kh, kw]. */
    public Parameter weight() { return weight; }
    /** [O], or null without bias. */
    public Parameter bias() { return bias; }
}
