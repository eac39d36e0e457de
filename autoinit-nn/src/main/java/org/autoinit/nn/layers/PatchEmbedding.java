package org.autoinit.nn.layers;

import java.util.Arrays;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;

/**
 * Cuts an image {@code [C, H, W]} into non-overlapping {@code p x p} patches and embeds each with a Dense:
 * {@code [N, C, H, W] -> [N, (H/p)(W/p), dim]}. Token {@code t = row * (W/p) + col}; patch features ordered
 * {@code (c, dy, dx)} ({@code c*p*p + dy*p + dx}, i.e. {@code (dy, dx)} for one channel), the order of a
 * stride-p convolution's weight, as the PyTorch peer's reshape/permute. The Dense child is "proj".
 */
public final class PatchEmbedding extends Layer {
    private final int patch;
    private final int dim;
    private final boolean bias;
    private int c, gh, gw;
    private Dense proj;

    public PatchEmbedding(int patch, int dim) {
        this(null, patch, dim, true);
    }

    public PatchEmbedding(String name, int patch, int dim, boolean bias) {
        super(name);
        if (patch <= 0 || dim <= 0) {
            throw new IllegalArgumentException("PatchEmbedding: patch size and dim must be positive, got " + patch + ", " + dim);
        }
        this.patch = patch;
        this.dim = dim;
        this.bias = bias;
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.rank(this, in, 3, "(C, H, W)");
        c = in[0][0];
        if (in[0][1] % patch != 0 || in[0][2] % patch != 0) {
            throw new IllegalArgumentException(this + ": image of per-sample shape " + Arrays.toString(in[0]) + " is not divisible into "
                    + patch + "x" + patch + " patches; pad it first (ZeroPadding2d)");
        }
        gh = in[0][1] / patch;
        gw = in[0][2] / patch;
        proj = addChild(Dense.builder(dim).bias(bias).name(childName("proj")).build());
        proj.build(new int[] {gh * gw, c * patch * patch});
        return new int[] {gh * gw, dim};
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        int n = inputs[0].dim(0);
        Tensor patches = inputs[0].reshape(n, c, gh, patch, gw, patch).permute(0, 2, 4, 1, 3, 5).reshape(n, gh * gw, c * patch * patch);
        return proj.forward(ctx, patches);
    }

    public int patchSize() { return patch; }
    public int dim() { return dim; }
    /** The Dense applied to each patch. */
    public Dense projection() { return proj; }
}
