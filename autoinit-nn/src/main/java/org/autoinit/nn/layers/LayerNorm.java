package org.autoinit.nn.layers;

import java.util.Arrays;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.Norm;

/**
 * Layer normalization over the last {@code normalizedDims} dimensions of each sample (default 1, the
 * features): {@code y = gamma (x - mean) / sqrt(var + eps) + beta}, biased variance, eps 1e-5 (PyTorch).
 */
public final class LayerNorm extends Layer {
    private final int normalizedDims;
    private final double eps;
    private Parameter gamma, beta;

    public LayerNorm() {
        this(null, 1, 1e-5);
    }

    public LayerNorm(String name) {
        this(name, 1, 1e-5);
    }

    public LayerNorm(String name, int normalizedDims, double eps) {
        super(name);
        if (normalizedDims < 1 || !(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: need normalizedDims >= 1 and eps > 0, got " + normalizedDims + ", " + eps);
        }
        this.normalizedDims = normalizedDims;
        this.eps = eps;
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.single(this, in);
        int r = in[0].length;
        if (r < normalizedDims) {
            throw new IllegalArgumentException(this + ": cannot normalize the last " + normalizedDims + " dimensions of a sample of shape "
                    + Arrays.toString(in[0]));
        }
        int[] shape = Arrays.copyOfRange(in[0], r - normalizedDims, r);
        gamma = addParameter("gamma", ParamKind.NORM_SCALE, shape, null);
        beta = addParameter("beta", ParamKind.NORM_SHIFT, shape, null);
        gamma.value().fill_(1);
        return in[0].clone();
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return Norm.layerNorm(inputs[0], normalizedDims, gamma.value(), beta.value(), eps);
    }

    public int normalizedDims() { return normalizedDims; }
    public double eps() { return eps; }
    public Parameter gamma() { return gamma; }
    public Parameter beta() { return beta; }
}
