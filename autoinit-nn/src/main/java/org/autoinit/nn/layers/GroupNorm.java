package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.Norm;

/**
 * Group normalization (Wu &amp; He 2018) of {@code [N, C, ...]}: channels split into {@code groups} consecutive
 * groups, each (sample, group) normalized over its channels and positions; per-channel gamma/beta; eps 1e-5.
 */
public final class GroupNorm extends Layer {
    private final int groups;
    private final double eps;
    private Parameter gamma, beta;

    public GroupNorm(int groups) {
        this(null, groups, 1e-5);
    }

    public GroupNorm(String name, int groups, double eps) {
        super(name);
        if (groups < 1 || !(eps > 0)) {
            throw new IllegalArgumentException("GroupNorm: need groups >= 1 and eps > 0, got " + groups + ", " + eps);
        }
        this.groups = groups;
        this.eps = eps;
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.single(this, in);
        if (in[0].length < 1 || in[0][0] % groups != 0) {
            throw new IllegalArgumentException(this + ": the " + (in[0].length < 1 ? 0 : in[0][0]) + " channels of a sample of shape "
                    + java.util.Arrays.toString(in[0]) + " are not divisible into " + groups + " groups");
        }
        int c = in[0][0];
        gamma = addParameter("gamma", ParamKind.NORM_SCALE, new int[] {c}, null);
        beta = addParameter("beta", ParamKind.NORM_SHIFT, new int[] {c}, null);
        gamma.value().fill_(1);
        return in[0].clone();
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return Norm.groupNorm(inputs[0], groups, gamma.value(), beta.value(), eps);
    }

    public int groups() { return groups; }
    public double eps() { return eps; }
    public Parameter gamma() { return gamma; }
    public Parameter beta() { return beta; }
}
