package org.autoinit.nn.zoo;

import org.autoinit.nn.init.InitScheme;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * Options of {@link Zoo#build}. Unset options take the model's own default (e.g. ReLU everywhere but GELU
 * in the transformer; batch norm in ResNets only). Immutable; create with {@link #builder()}.
 */
public final class ZooOptions {
    /** How residual branches join the stream. */
    public enum Merge { ADD, WEIGHTED_SUM }

    private final ActivationKind activation;
    private final double alpha;
    private final double shift;
    private final double dropout;
    private final Integer depth, width;
    private final Boolean normalization;
    private final Merge merge;
    private final Integer classes;
    private final int[] inputShape;
    private final InitScheme init;
    private final long seed;

    private ZooOptions(Builder b) {
        activation = b.activation;
        alpha = b.alpha;
        shift = b.shift;
        dropout = b.dropout;
        depth = b.depth;
        width = b.width;
        normalization = b.normalization;
        merge = b.merge;
        classes = b.classes;
        inputShape = b.inputShape == null ? null : b.inputShape.clone();
        init = b.init;
        seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All defaults. */
    public static ZooOptions defaults() {
        return new Builder().build();
    }

    /** Settings for {@link ZooOptions}; every one is optional. */
    public static final class Builder {
        private ActivationKind activation;
        private double alpha = Double.NaN;
        private double shift;
        private double dropout;
        private Integer depth, width, classes;
        private Boolean normalization;
        private Merge merge = Merge.ADD;
        private int[] inputShape;
        private InitScheme init = InitScheme.pytorchDefault();
        private long seed;

        public Builder activation(ActivationKind a) { activation = a; return this; }
        /** The activation's parameter (leaky slope, ELU alpha). */
        public Builder activationAlpha(double a) { alpha = a; return this; }
        /**
         * A constant subtracted from every activation of the model's own activation layers: centred activations
         * {@code f(x) - E[f(z)]} ("AutoInit++"; the value comes from the caller, e.g. autoinit-init's
         * {@code ActivationMoments.centringShift}). Default 0. Not for vit, whose GELU sits inside its blocks.
         */
        public Builder activationShift(double s) {
            if (!Double.isFinite(s)) {
                throw new IllegalArgumentException("ZooOptions: activation shift must be finite, got " + s);
            }
            shift = s;
            return this;
        }
        public Builder dropout(double p) {
            if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("ZooOptions: dropout must be in [0, 1), got " + p);
            dropout = p;
            return this;
        }
        public Builder depth(int d) {
            if (d < 1) throw new IllegalArgumentException("ZooOptions: depth must be positive, got " + d);
            depth = d;
            return this;
        }
        public Builder width(int w) {
            if (w < 1) throw new IllegalArgumentException("ZooOptions: width must be positive, got " + w);
            width = w;
            return this;
        }
        public Builder normalization(boolean on) { normalization = on; return this; }
        public Builder merge(Merge m) { merge = m; return this; }
        public Builder classes(int c) {
            if (c < 1) throw new IllegalArgumentException("ZooOptions: classes must be positive, got " + c);
            classes = c;
            return this;
        }
        /** Per-sample input shape (batch excluded), e.g. {3, 32, 32}. */
        public Builder inputShape(int... s) { inputShape = s.clone(); return this; }
        /** The scheme applied after building (default PyTorch's); null leaves every parameter zero. */
        public Builder init(InitScheme s) { init = s; return this; }
        public Builder seed(long s) { seed = s; return this; }
        public ZooOptions build() { return new ZooOptions(this); }
    }

    ActivationKind activation(ActivationKind modelDefault) { return activation != null ? activation : modelDefault; }
    double alpha() { return alpha; }
    double activationShift() { return shift; }
    double dropout() { return dropout; }
    int depth(int modelDefault) { return depth != null ? depth : modelDefault; }
    int width(int modelDefault) { return width != null ? width : modelDefault; }
    boolean normalization(boolean modelDefault) { return normalization != null ? normalization : modelDefault; }
    boolean normalizationSet() { return normalization != null; }
    boolean depthSet() { return depth != null; }
    Merge merge() { return merge; }
    int classes(int modelDefault) { return classes != null ? classes : modelDefault; }
    int[] inputShape(int... modelDefault) { return inputShape != null ? inputShape.clone() : modelDefault; }
    InitScheme init() { return init; }
    long seed() { return seed; }
}
