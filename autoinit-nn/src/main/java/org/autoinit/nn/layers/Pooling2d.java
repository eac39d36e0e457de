package org.autoinit.nn.layers;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;

/** Shared settings of the 2-d pooling layers: window, stride (default = window), zero padding. */
public abstract class Pooling2d extends Layer {
    protected final int kh, kw, sh, sw, ph, pw;

    protected Pooling2d(String name, int kh, int kw, int sh, int sw, int ph, int pw) {
        super(name);
        if (kh <= 0 || kw <= 0 || sh <= 0 || sw <= 0 || ph < 0 || pw < 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": window and stride must be positive, padding non-negative, got window "
                    + kh + "x" + kw + ", stride " + sh + "x" + sw + ", padding " + ph + "x" + pw);
        }
        if (2 * ph > kh || 2 * pw > kw) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": padding should be at most half of the window, got padding "
                    + ph + "x" + pw + " for window " + kh + "x" + kw);
        }
        this.kh = kh;
        this.kw = kw;
        this.sh = sh;
        this.sw = sw;
        this.ph = ph;
        this.pw = pw;
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.rank(this, in, 3, "(C, H, W)");
        int oh = (in[0][1] + 2 * ph - kh) / sh + 1, ow = (in[0][2] + 2 * pw - kw) / sw + 1;
        if (in[0][1] + 2 * ph < kh || in[0][2] + 2 * pw < kw) {
            throw new IllegalArgumentException(this + ": window " + kh + "x" + kw + " is larger than the padded input "
                    + (in[0][1] + 2 * ph) + "x" + (in[0][2] + 2 * pw));
        }
        return new int[] {in[0][0], oh, ow};
    }

    @Override
    protected abstract Tensor doForward(ForwardContext ctx, Tensor[] inputs);

    /** {kh, kw}. */
    public int[] window() { return new int[] {kh, kw}; }
    /** {sh, sw}. */
    public int[] stride() { return new int[] {sh, sw}; }
    /** {ph, pw}. */
    public int[] padding() { return new int[] {ph, pw}; }
    /** Number of entries in one window. */
    public int windowSize() { return kh * kw; }
}
