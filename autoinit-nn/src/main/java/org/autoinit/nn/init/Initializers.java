package org.autoinit.nn.init;

/**
 * Classic initializers as one-liners over {@link VarianceScaling} (variance {@code scale / fan}):
 * <ul>
 * <li>Glorot/Xavier (Glorot &amp; Bengio 2010): var = 2 / (fan_in + fan_out); uniform bound sqrt(6 / (fan_in + fan_out)).</li>
 * <li>He/Kaiming (He et al. 2015): var = 2 / fan (fan_in or fan_out); uniform bound sqrt(6 / fan).</li>
 * <li>LeCun (LeCun et al. 1998): var = 1 / fan_in; uniform bound sqrt(3 / fan_in).</li>
 * <li>PyTorch Linear/Conv default, kaiming_uniform(a = sqrt 5): U(+-1/sqrt(fan_in)), var = 1 / (3 fan_in).</li>
 * </ul>
 * Truncated normals use Keras's convention: cut at 2 sigma_p, sigma_p = sigma / 0.87962566103423978 so the
 * variance is exact.
 */
public final class Initializers {
    private Initializers() {}

    public static VarianceScaling glorotUniform() { return new VarianceScaling(1, FanMode.FAN_AVG, Distribution.UNIFORM); }
    public static VarianceScaling glorotNormal() { return new VarianceScaling(1, FanMode.FAN_AVG, Distribution.NORMAL); }
    public static VarianceScaling glorotTruncatedNormal() { return new VarianceScaling(1, FanMode.FAN_AVG, Distribution.TRUNCATED_NORMAL); }
    public static VarianceScaling xavierUniform() { return glorotUniform(); }
    public static VarianceScaling xavierNormal() { return glorotNormal(); }

    public static VarianceScaling heUniform() { return heUniform(FanMode.FAN_IN); }
    public static VarianceScaling heNormal() { return heNormal(FanMode.FAN_IN); }
    public static VarianceScaling heUniform(FanMode mode) { return new VarianceScaling(2, mode, Distribution.UNIFORM); }
    public static VarianceScaling heNormal(FanMode mode) { return new VarianceScaling(2, mode, Distribution.NORMAL); }
    public static VarianceScaling heTruncatedNormal() { return new VarianceScaling(2, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL); }

    public static VarianceScaling lecunUniform() { return new VarianceScaling(1, FanMode.FAN_IN, Distribution.UNIFORM); }
    public static VarianceScaling lecunNormal() { return new VarianceScaling(1, FanMode.FAN_IN, Distribution.NORMAL); }
    public static VarianceScaling lecunTruncatedNormal() { return new VarianceScaling(1, FanMode.FAN_IN, Distribution.TRUNCATED_NORMAL); }

    /** PyTorch's Linear/Conv weight and bias default: U(+-1/sqrt(fan_in)). */
    public static VarianceScaling pytorchLinear() { return new VarianceScaling(1.0 / 3.0, FanMode.FAN_IN, Distribution.UNIFORM); }

    public static Orthogonal orthogonal(double gain) { return new Orthogonal(gain); }

    /** N(mean, std^2), ignoring fans. */
    public static Initializer normal(double mean, double std) {
        return (t, fans, rng) -> {
            Sampling.fill(t, Distribution.NORMAL, std, rng);
            if (mean != 0) {
                for (int i = 0; i < t.numel(); i++) t.setFlat(i, t.getFlat(i) + mean);
            }
        };
    }

    /** Keras TruncatedNormal(stddev): N(0, std^2) re-drawn outside +-2 std (its variance is 0.7737 std^2; no correction, as Keras). */
    public static Initializer truncatedNormal(double std) {
        return (t, fans, rng) -> Sampling.fill(t, Distribution.TRUNCATED_NORMAL, std * Sampling.TRUNC2_STD, rng);
    }

    /** U(lo, hi), ignoring fans. */
    public static Initializer uniform(double lo, double hi) {
        if (!(lo < hi)) {
            throw new IllegalArgumentException("uniform: need lo < hi, got " + lo + ", " + hi);
        }
        return (t, fans, rng) -> Sampling.uniform(t, lo, hi, rng);
    }

    public static Initializer zeros() { return constant(0); }
    public static Initializer ones() { return constant(1); }
    public static Initializer constant(double c) { return (t, fans, rng) -> t.fill_(c); }
}
