package org.autoinit.nn.layers;

import java.util.function.DoubleUnaryOperator;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;
import org.autoinit.tensor.ops.Activations;
import org.autoinit.tensor.ops.Unary;

/**
 * Elementwise activation {@code y = f(x) - shift}: a built-in {@link ActivationKind} with its alpha (leaky
 * slope, ELU alpha; the kind's default when not set), or a user function with its derivative. The optional
 * constant {@code shift} ("centred" activations, e.g. {@code E[f(z)]} for z ~ N(0,1)) is given by the caller.
 * Analyses read {@link #kind()}, {@link #alpha()}, {@link #shift()} and the scalar {@link #function()}.
 */
public final class Activation extends Layer {
    private final ActivationKind kind;
    private final double alpha;
    private final String label;
    private final DoubleUnaryOperator f, df;
    private final double shift;

    private Activation(String name, ActivationKind kind, double alpha, String label, DoubleUnaryOperator f, DoubleUnaryOperator df, double shift) {
        super(name);
        if (!Double.isFinite(shift)) {
            throw new IllegalArgumentException("Activation: shift must be finite, got " + shift);
        }
        this.kind = kind;
        this.alpha = alpha;
        this.label = label;
        this.f = f;
        this.df = df;
        this.shift = shift;
    }

    /** A built-in activation with its default alpha. */
    public Activation(ActivationKind kind) {
        this(null, kind, kind.defaultAlpha(), kind.id(), null, null, 0);
    }

    /** Shorthand for {@code new Activation(kind)}. */
    public static Activation of(ActivationKind kind) {
        return new Activation(kind);
    }

    public static Activation relu() {
        return new Activation(ActivationKind.RELU);
    }

    public static Builder builder(ActivationKind kind) {
        return new Builder(kind, null, null, null);
    }

    /** A user function {@code f} with derivative {@code df}; {@code label} names it in summaries. */
    public static Builder custom(String label, DoubleUnaryOperator f, DoubleUnaryOperator df) {
        if (label == null || f == null || df == null) {
            throw new IllegalArgumentException("Activation.custom: label, function and derivative are required");
        }
        return new Builder(null, label, f, df);
    }

    /** Optional settings: alpha (built-in kinds), constant shift, name. */
    public static final class Builder {
        private final ActivationKind kind;
        private final String label;
        private final DoubleUnaryOperator f, df;
        private double alpha = Double.NaN, shift;
        private String name;

        private Builder(ActivationKind kind, String label, DoubleUnaryOperator f, DoubleUnaryOperator df) {
            this.kind = kind;
            this.label = label;
            this.f = f;
            this.df = df;
        }

        /** The kind's parameter (leaky slope, ELU alpha); ignored by kinds without one. */
        public Builder alpha(double a) { alpha = a; return this; }
        /** Outputs {@code f(x) - c}. */
        public Builder centred(double c) { shift = c; return this; }
        public Builder name(String n) { name = n; return this; }

        public Activation build() {
            if (kind == null) {
                return new Activation(name, null, Double.NaN, label, f, df, shift);
            }
            double a = Double.isNaN(alpha) ? kind.defaultAlpha() : alpha;
            return new Activation(name, kind, a, kind.id(), null, null, shift);
        }
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.single(this, in);
        return in[0].clone();
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        Tensor y = kind != null ? Activations.apply(inputs[0], kind, alpha) : Unary.elementwise(label, inputs[0], f, df);
        return shift == 0 ? y : y.sub(shift);
    }

    /** The built-in kind, or null for a user function. */
    public ActivationKind kind() { return kind; }
    /** The kind's alpha (NaN when unused or for user functions). */
    public double alpha() { return alpha; }
    /** The constant subtracted from f (0 unless centred). */
    public double shift() { return shift; }
    public boolean isCentred() { return shift != 0; }
    public boolean isCustom() { return kind == null; }
    /** "relu", "leaky_relu", ... or the user label. */
    public String label() { return label; }

    /** The scalar f (without the shift), for integration against Gaussians. */
    public DoubleUnaryOperator function() {
        return kind != null ? x -> kind.apply(x, alpha) : f;
    }

    /** The scalar f'. */
    public DoubleUnaryOperator derivative() {
        return kind != null ? x -> kind.derivative(x, alpha) : df;
    }

    /** {@code f(x) - shift}, what the layer computes per element. */
    public double applyScalar(double x) {
        return function().applyAsDouble(x) - shift;
    }

    @Override
    public String type() {
        return "Activation";
    }

    @Override
    public String toString() {
        return "Activation(" + label + (isCentred() ? ", centred" : "") + ") '" + name() + "'";
    }
}
