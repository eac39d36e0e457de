package org.autoinit.nn.layers;

import java.util.Arrays;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;
import org.autoinit.tensor.ops.Norm;

/**
 * Batch normalization over channel axis 1 of {@code [N, C]}, {@code [N, C, L]} (BatchNorm1d) or
 * {@code [N, C, H, W]} (BatchNorm2d): {@code y = gamma (x - mean) / sqrt(var + eps) + beta}. Training uses
 * the batch statistics (biased variance) and updates running_mean/running_var (BUFFER parameters) with
 * {@code momentum} and the unbiased variance, as PyTorch; eval uses the running statistics.
 */
public final class BatchNorm extends Layer {
    private final double momentum;
    private final double eps;
    private final boolean affine;
    private Parameter gamma, beta, runningMean, runningVar;

    /** momentum 0.1, eps 1e-5, affine (PyTorch defaults). */
    public BatchNorm() {
        this(null, 0.1, 1e-5, true);
    }

    public BatchNorm(String name) {
        this(name, 0.1, 1e-5, true);
    }

    private BatchNorm(String name, double momentum, double eps, boolean affine) {
        super(name);
        if (!(momentum >= 0 && momentum <= 1) || !(eps > 0)) {
            throw new IllegalArgumentException("BatchNorm: need momentum in [0, 1] and eps > 0, got " + momentum + ", " + eps);
        }
        this.momentum = momentum;
        this.eps = eps;
        this.affine = affine;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Optional settings (all have PyTorch's defaults). */
    public static final class Builder {
        private double momentum = 0.1, eps = 1e-5;
        private boolean affine = true;
        private String name;

        public Builder momentum(double m) { momentum = m; return this; }
        public Builder eps(double e) { eps = e; return this; }
        /** Without learnable gamma/beta. */
        public Builder affine(boolean a) { affine = a; return this; }
        public Builder name(String n) { name = n; return this; }
        public BatchNorm build() { return new BatchNorm(name, momentum, eps, affine); }
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.single(this, in);
        if (in[0].length < 1 || in[0].length > 3) {
            throw new IllegalArgumentException(this + ": input of per-sample shape " + Arrays.toString(in[0])
                    + " must be (C), (C, L) or (C, H, W) (batch dimension excluded)");
        }
        int c = in[0][0];
        if (affine) {
            gamma = addParameter("gamma", ParamKind.NORM_SCALE, new int[] {c}, null);
            beta = addParameter("beta", ParamKind.NORM_SHIFT, new int[] {c}, null);
            gamma.value().fill_(1);
        }
        runningMean = addParameter("running_mean", ParamKind.BUFFER, new int[] {c}, null);
        runningVar = addParameter("running_var", ParamKind.BUFFER, new int[] {c}, null);
        runningVar.value().fill_(1);
        return in[0].clone();
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return Norm.batchNorm(inputs[0], affine ? gamma.value() : null, affine ? beta.value() : null, runningMean.value(),
                runningVar.value(), ctx.training(), momentum, eps);
    }

    /** Fuses with a plain ReLU (built-in kind, not centred): {@link Norm#batchNormRelu}, same bits as the two layers. */
    @Override
    public boolean fusesWith(Layer next) {
        return next instanceof Activation a && a.kind() == ActivationKind.RELU && !a.isCentred() && next.isBuilt();
    }

    @Override
    protected Tensor doForwardFused(ForwardContext ctx, Layer next, Tensor[] inputs) {
        return Norm.batchNormRelu(inputs[0], affine ? gamma.value() : null, affine ? beta.value() : null, runningMean.value(),
                runningVar.value(), ctx.training(), momentum, eps);
    }

    /**
     * Fuses a residual tail, BatchNorm then {@link Add} with one other tensor then a plain ReLU:
     * {@link Norm#batchNormAddRelu} (same bits as the three layers).
     */
    @Override
    public boolean fusesWithMerge(Layer merge, int slot, Layer next) {
        return merge instanceof Add && merge.isBuilt() && merge.inputShapes().length == 2 && next != null && fusesWith(next);
    }

    @Override
    protected Tensor doForwardFusedMerge(ForwardContext ctx, Layer merge, int slot, Tensor other, Layer next, Tensor[] inputs) {
        if (other.dtype() != inputs[0].dtype() || !Arrays.equals(other.shape(), inputs[0].shape())) {
            // Not the case the fused op covers (Add checks the shapes and promotes dtypes): run the three layers.
            Tensor y = doForward(ctx, inputs);
            return next.forward(ctx, merge.forward(ctx, slot == 0 ? new Tensor[] {y, other} : new Tensor[] {other, y}));
        }
        return Norm.batchNormAddRelu(inputs[0], other, affine ? gamma.value() : null, affine ? beta.value() : null,
                runningMean.value(), runningVar.value(), ctx.training(), momentum, eps);
    }

    public double momentum() { return momentum; }
    public double eps() { return eps; }
    public boolean affine() { return affine; }
    /** Null when not affine. */
    public Parameter gamma() { return gamma; }
    public Parameter beta() { return beta; }
    public Parameter runningMean() { return runningMean; }
    public Parameter runningVar() { return runningVar; }
}
