package org.autoinit.tensor.ops;

import java.util.Locale;

/**
 * Every activation the framework knows, with its scalar function for analysis (moment propagation
 * integrates {@link #apply} against a Gaussian, split at {@link #kinks}). {@link #apply} and
 * {@link #derivative} use the same formulas as the tensor ops in {@link Activations}: for float64 tensors
 * the values agree bit for bit.
 *
 * <p>{@code alpha} matters only for {@link #usesAlpha() leaky_relu (negative slope) and elu}; the other
 * kinds ignore it (pass {@link #defaultAlpha()}, which is NaN for them).
 */
public enum ActivationKind {
    RELU("relu", Double.NaN, true),
    LEAKY_RELU("leaky_relu", 0.01, true),
    ELU("elu", 1.0, true),
    SELU("selu", Double.NaN, true),
    GELU("gelu", Double.NaN, false),
    GELU_TANH("gelu_tanh", Double.NaN, false),
    SWISH("swish", Double.NaN, false),
    MISH("mish", Double.NaN, false),
    TANH("tanh", Double.NaN, true),
    SIGMOID("sigmoid", Double.NaN, true),
    HARD_SIGMOID("hard_sigmoid", Double.NaN, true),
    SOFTPLUS("softplus", Double.NaN, true),
    SOFTSIGN("softsign", Double.NaN, true),
    SIN("sin", Double.NaN, false),
    EXP("exp", Double.NaN, true),
    IDENTITY("identity", Double.NaN, true);

    private static final double[] NONE = {};

    private final String id;
    private final double defaultAlpha;
    private final boolean monotone;

    ActivationKind(String id, double defaultAlpha, boolean monotone) {
        this.id = id;
        this.defaultAlpha = defaultAlpha;
        this.monotone = monotone;
    }

    /** Lower-case name, e.g. {@code "leaky_relu"}; {@link #fromId} inverts it. */
    public String id() {
        return id;
    }

    /** The kind named {@code id} (case-insensitive; {@code "silu"} is an alias of swish). */
    public static ActivationKind fromId(String id) {
        String key = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        if (key.equals("silu")) {
            return SWISH;
        }
        for (ActivationKind k : values()) {
            if (k.id.equals(key)) {
                return k;
            }
        }
        StringBuilder names = new StringBuilder();
        for (ActivationKind k : values()) {
            names.append(names.length() == 0 ? "" : ", ").append(k.id);
        }
        throw new IllegalArgumentException("unknown activation '" + id + "'; valid names: " + names + " (silu = swish)");
    }

    /** The parameter used when none is given: leaky_relu 0.01, elu 1.0; NaN for kinds without one. */
    public double defaultAlpha() {
        return defaultAlpha;
    }

    /** True for the kinds whose formula has a parameter alpha (leaky_relu, elu). */
    public boolean usesAlpha() {
        return !Double.isNaN(defaultAlpha);
    }

    /** Non-decreasing on the whole real line (leaky_relu and elu assume alpha >= 0). */
    public boolean monotone() {
        return monotone;
    }

    /** f(x), the same formula as the tensor op. */
    public double apply(double x, double alpha) {
        return switch (this) {
            case RELU -> ActivationMath.relu(x);
            case LEAKY_RELU -> ActivationMath.leaky(x, checkAlpha(alpha));
            case ELU -> ActivationMath.elu(x, checkAlpha(alpha));
            case SELU -> ActivationMath.selu(x);
            case GELU -> ActivationMath.gelu(x);
            case GELU_TANH -> ActivationMath.geluTanh(x);
            case SWISH -> ActivationMath.swish(x);
            case MISH -> ActivationMath.mish(x);
            case TANH -> ActivationMath.tanh(x);
            case SIGMOID -> ActivationMath.sigmoid(x);
            case HARD_SIGMOID -> ActivationMath.hardSigmoid(x);
            case SOFTPLUS -> ActivationMath.softplus(x);
            case SOFTSIGN -> ActivationMath.softsign(x);
            case SIN -> ActivationMath.sin(x);
            case EXP -> ActivationMath.exp(x);
            case IDENTITY -> x;
        };
    }

    /** f'(x), the same formula as the tensor op's backward; at a kink the value PyTorch uses (the left-hand one: relu'(0) = 0). */
    public double derivative(double x, double alpha) {
        return switch (this) {
            case RELU -> ActivationMath.reluGrad(x);
            case LEAKY_RELU -> ActivationMath.leakyGrad(x, checkAlpha(alpha));
            case ELU -> ActivationMath.eluGrad(x, ActivationMath.elu(x, checkAlpha(alpha)), alpha);
            case SELU -> ActivationMath.seluGrad(x, ActivationMath.selu(x));
            case GELU -> ActivationMath.geluGrad(x);
            case GELU_TANH -> ActivationMath.geluTanhGrad(x);
            case SWISH -> ActivationMath.swishGrad(x);
            case MISH -> ActivationMath.mishGrad(x);
            case TANH -> ActivationMath.tanhGrad(ActivationMath.tanh(x));
            case SIGMOID -> ActivationMath.sigmoidGrad(ActivationMath.sigmoid(x));
            case HARD_SIGMOID -> ActivationMath.hardSigmoidGrad(x);
            case SOFTPLUS -> ActivationMath.softplusGrad(x);
            case SOFTSIGN -> ActivationMath.softsignGrad(x);
            case SIN -> ActivationMath.sinGrad(x);
            case EXP -> ActivationMath.expGrad(ActivationMath.exp(x));
            case IDENTITY -> 1.0;
        };
    }

    /**
     * The x where f is not smooth (a jump in f' or, for elu with alpha 1 and softsign, in f''), sorted;
     * quadrature splits its intervals there. Empty for smooth kinds.
     */
    public double[] kinks(double alpha) {
        return switch (this) {
            case RELU, SELU, SOFTSIGN -> new double[] {0.0};
            case LEAKY_RELU, ELU -> {
                checkAlpha(alpha);
                yield new double[] {0.0};
            }
            case HARD_SIGMOID -> new double[] {-3.0, 3.0};
            default -> NONE.clone();
        };
    }

    /** Throws unless alpha is finite (only called by the kinds that use it). */
    double checkAlpha(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException(id + ": alpha must be finite, got " + alpha + " (default " + defaultAlpha + ")");
        }
        return alpha;
    }
}
