package org.autoinit.init.moments;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

import org.autoinit.init.moments.numeric.GaussKronrod;
import org.autoinit.init.moments.numeric.Gaussian;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * Moments of an activation of a Gaussian: for X ~ N(mu, v), {@code m1 = E[f(X)]}, {@code m2 = E[f(X)^2]}.
 *
 * <p>Closed forms for relu, leaky relu, elu, selu (= scale * elu), exp, sin and identity (see
 * {@code ClosedForms}), and for gelu where its closed form has no cancellation ({@code GeluMoments}: one Owen's T
 * instead of ~110 gelu evaluations; memoized like the quadratures); smooth kinds first by fixed Gauss-Hermite rules checked against each other
 * ({@code RuleMoments}); everything else by adaptive Gauss-Kronrod quadrature in the standardized variable
 * z ~ N(0,1): {@code m_j = integral f(mu + sqrt(v) z)^j phi(z) dz}, split at 0 and at the kinks
 * {@code z = (k - mu)/sqrt(v)}. The core is z in [-12, 12]; the tails out to |z| = 38 (where phi
 * underflows) are integrated too, in a few pieces, so that fast-growing user functions are not truncated.
 * Integrating in z rather than x means a narrow Gaussian far from 0 is never missed and exp never meets
 * huge arguments. Target accuracy: 1e-12 relative to {@code E|f|^j} per moment, so tiny moments stay
 * relatively accurate (tested to 1e-9 against an mpmath table computed outside the code base).
 *
 * <p>v == 0 (a constant signal) gives exactly {@code (f(mu), f(mu)^2)}. Built-in quadrature results are memoized
 * in a bounded cache keyed by (kind, alpha, mu, v); closed forms are cheaper than the lookup and are not.
 */
public final class ActivationMoments {
    private ActivationMoments() {}

    /** Quadrature tolerance: relative to integral |f^j phi| (so also for tiny moments), no absolute floor. */
    static final double ABS_TOL = 0.0;
    static final double REL_TOL = 1e-12;
    /** Fixed breakpoints (in z) besides the kinks: the core [-12, 12] and its tails cut into a few pieces. */
    private static final double[] BASE_BREAKS = {-38, -26, -20, -16, -12, 0, 12, 16, 20, 26, 38};
    /** elu/selu closed forms subtract terms of size ~1 to get E[(e^X-1)^2; X<0] ~ v: below this v, quadrature keeps relative accuracy. */
    private static final double ELU_CLOSED_FORM_MIN_VARIANCE = 1e-3;

    private record Key(ActivationKind kind, double alpha, double mean, double variance) {}

    private static final MemoCache<Key, Moments> CACHE = new MemoCache<>(8192);

    /** {@link #of(ActivationKind, double, Moments)} with the kind's default alpha. */
    public static Moments of(ActivationKind kind, Moments in) {
        return of(kind, kind.defaultAlpha(), in);
    }

    /**
     * Moments of {@code kind.apply(X, alpha)} for X Gaussian with the moments {@code in}. {@code alpha} is
     * ignored by kinds whose {@link ActivationKind#defaultAlpha()} is NaN and must be finite for the others.
     */
    public static Moments of(ActivationKind kind, double alpha, Moments in) {
        boolean usesAlpha = !Double.isNaN(kind.defaultAlpha());
        if (usesAlpha && !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("activation moments: " + kind.id() + " needs a finite alpha, got "
                    + alpha + " (default " + kind.defaultAlpha() + ")");
        }
        double a = usesAlpha ? alpha : Double.NaN;
        if (closedForm(kind, in.mean(), in.variance())) {
            // A closed form costs less than the cache lookup (AutoInit asks once per mixture component of every
            // channel, ~10^5 distinct inputs per ResNet-50, which would only churn the cache). Gelu's (one Owen's T,
            // ~30 exp) too: with the drawn weights' statistics every channel of a ViT is a new key, and the LRU map's
            // hashing, reordering, eviction and lock cost about 3x the formula (JFR, vit).
            return compute(kind, a, in.mean(), in.variance());
        }
        return CACHE.get(new Key(kind, a, in.mean(), in.variance()), k -> compute(k.kind, k.alpha, k.mean, k.variance));
    }

    /**
     * Moments of a user function {@code f} of X Gaussian with the moments {@code in}, by quadrature split
     * at {@code kinks} (the x where f or a derivative jumps; omit them and accuracy suffers). Not memoized.
     * Throws if f (or f^2) is not finite where the Gaussian has mass.
     */
    public static Moments of(DoubleUnaryOperator f, double[] kinks, Moments in) {
        double mu = in.mean(), v = in.variance();
        if (v == 0.0) {
            return constant(f.applyAsDouble(mu), "user function", mu);
        }
        return toMoments(quadrature(f, kinks, mu, Math.sqrt(v), "user function"), "user function", mu, v);
    }

    /** The shift of the centred activation ("AutoInit++"): {@code c = E[f(z)]}, z ~ N(0, 1). */
    public static double centringShift(ActivationKind kind, double alpha) {
        return of(kind, alpha, Moments.standard()).mean();
    }

    /**
     * Moments of the centred activation {@code f(X) - c}, c = {@link #centringShift}:
     * {@code (m1 - c, m2 - 2 c m1 + c^2)}; a unit Gaussian maps to mean 0.
     */
    public static Moments ofCentred(ActivationKind kind, double alpha, Moments in) {
        return of(kind, alpha, in).shift(-centringShift(kind, alpha));
    }

    /** True when {@link #of(ActivationKind, double, Moments)} takes a closed form for this kind at every variance (thread-safe, no cache). */
    public static boolean closedFormKind(ActivationKind kind) {
        return switch (kind) {
            case IDENTITY, RELU, LEAKY_RELU, EXP, SIN -> true;
            default -> false;
        };
    }

    /** True when {@link #compute} takes a closed form (or v == 0) rather than quadrature for this kind and variance. */
    private static boolean closedForm(ActivationKind kind, double mu, double v) {
        return v == 0.0 || switch (kind) {
            case IDENTITY, RELU, LEAKY_RELU, EXP, SIN -> true;
            case ELU, SELU -> v >= ELU_CLOSED_FORM_MIN_VARIANCE;
            case GELU -> GeluMoments.covers(mu, Math.sqrt(v)); // the sigma compute() passes
            default -> false;
        };
    }

    private static Moments compute(ActivationKind kind, double alpha, double mu, double v) {
        String name = kind.id();
        if (v == 0.0) {
            return constant(kind.apply(mu, alpha), name, mu);
        }
        double sigma = Math.sqrt(v);
        boolean eluClosed = v >= ELU_CLOSED_FORM_MIN_VARIANCE;
        double[] m = switch (kind) {
            case IDENTITY -> new double[] {mu, mu * mu + v};
            case RELU -> ClosedForms.relu(mu, sigma);
            case LEAKY_RELU -> ClosedForms.leakyRelu(mu, sigma, alpha);
            case ELU -> eluClosed ? ClosedForms.elu(mu, sigma, alpha) : null;
            case SELU -> eluClosed ? ClosedForms.selu(mu, sigma) : null;
            case EXP -> ClosedForms.exp(mu, sigma);
            case SIN -> ClosedForms.sin(mu, sigma);
            case GELU -> GeluMoments.of(mu, sigma); // null outside its cancellation-free range: the rules below
            default -> null;
        };
        if (m == null && !kinkInReach(kind.kinks(alpha), mu, sigma)) {
            m = RuleMoments.of(x -> kind.apply(x, alpha), mu, sigma);
        }
        if (m == null) {
            m = quadrature(x -> kind.apply(x, alpha), kind.kinks(alpha), mu, sigma, name);
        }
        return toMoments(m, name, mu, v);
    }

    /** True when a kink lies within the z range the adaptive quadrature covers (then no fixed rule is tried). */
    private static boolean kinkInReach(double[] kinks, double mu, double sigma) {
        for (double k : kinks) {
            if (Math.abs((k - mu) / sigma) < BASE_BREAKS[BASE_BREAKS.length - 1]) {
                return true;
            }
        }
        return false;
    }

    /** {@code [E f(X), E f(X)^2]} by adaptive Gauss-Kronrod in z, for sigma > 0. */
    static double[] quadrature(DoubleUnaryOperator f, double[] kinks, double mu, double sigma, String name) {
        double[] breaks = breakpoints(kinks, mu, sigma);
        return GaussKronrod.integrate((z, out) -> {
            double x = mu + sigma * z;
            double y = f.applyAsDouble(x), w = Gaussian.pdf(z);
            out[0] = y * w;
            out[1] = y * y * w;
            if (!Double.isFinite(out[1]) || !Double.isFinite(y)) {
                throw nonFinite(name, x, y, mu, sigma * sigma);
            }
        }, 2, breaks, ABS_TOL, REL_TOL);
    }

    /** The fixed z breakpoints plus 0 and every kink mapped to z, sorted, duplicates removed. */
    static double[] breakpoints(double[] kinks, double mu, double sigma) {
        double lo = BASE_BREAKS[0], hi = BASE_BREAKS[BASE_BREAKS.length - 1];
        double[] all = Arrays.copyOf(BASE_BREAKS, BASE_BREAKS.length + kinks.length);
        int n = BASE_BREAKS.length;
        for (double k : kinks) {
            double z = (k - mu) / sigma;
            if (z > lo && z < hi) all[n++] = z;
        }
        return Arrays.stream(all, 0, n).sorted().distinct().toArray();
    }

    private static Moments constant(double y, String name, double mu) {
        if (!Double.isFinite(y) || !Double.isFinite(y * y)) {
            throw nonFinite(name, mu, y, mu, 0.0);
        }
        return new Moments(y, y * y);
    }

    private static Moments toMoments(double[] m, String name, double mu, double v) {
        if (!Double.isFinite(m[0]) || !Double.isFinite(m[1])) {
            throw new IllegalArgumentException("activation moments: " + name + " of N(mean=" + mu + ", variance=" + v
                    + ") has moments (" + m[0] + ", " + m[1] + ") outside the double range");
        }
        return clamped(m[0], m[1]);
    }

    /** Quadrature error may leave m2 a hair below m1^2 for a nearly constant output: the variance is then 0. */
    static Moments clamped(double m1, double m2) {
        return new Moments(m1, Math.max(m2, m1 * m1));
    }

    private static IllegalArgumentException nonFinite(String name, double x, double y, double mu, double v) {
        return new IllegalArgumentException("activation moments: " + name + "(" + x + ") = " + y
                + " (or its square) is not finite, at an input the Gaussian N(mean=" + mu + ", variance=" + v
                + ") reaches; rescale the signal or use a bounded activation");
    }
}
