package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ShapeOps;

/** Pads {@code [N, C, H, W]} with zeros: top/bottom rows and left/right columns (as torch.nn.ZeroPad2d). */
public final class ZeroPadding2d extends Layer {
    private final int top, bottom, left, right;

    /** The same padding on all four sides. */
    public ZeroPadding2d(int pad) {
        this(null, pad, pad, pad, pad);
    }

    public ZeroPadding2d(String name, int top, int bottom, int left, int right) {
        super(name);
        if (top < 0 || bottom < 0 || left < 0 || right < 0) {
            throw new IllegalArgumentException("ZeroPadding2d: padding must be non-negative, got " + top + ", " + bottom + ", " + left + ", " + right);
        }
        this.top = top;
        this.bottom = bottom;
        this.left = left;
        this.right = right;
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.rank(this, in, 3, "(C, H, W)");
        return new int[] {in[0][0], in[0][1] + top + bottom, in[0][2] + left + right};
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return ShapeOps.pad(inputs[0], new int[] {0, 0, 0, 0, top, bottom, left, right}, 0.0);
    }

    /** {top, bottom, left, right}. */
    public int[] padding() {
        return new int[] {top, bottom, left, right};
    }
}
