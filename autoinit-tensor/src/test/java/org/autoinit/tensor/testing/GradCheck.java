package org.autoinit.tensor.testing;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;

/**
 * Gradient checker in float64: compares the analytic gradient of {@code sum(f(inputs) * u)}, u a random
 * upstream gradient (not all ones), with central differences, for every element of every input.
 * Relative error {@code |a - n| / max(|a|, |n|, tiny)}; failures name the case, the input, the index and
 * both values.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Gradients smaller than this are compared absolutely (relative error against TINY). */
    public static final double TINY = 1e-4;

    /** Result of a check: the worst relative error and where it occurred. */
    public record Result(double maxRelError, String worst) {}

    /** Checks {@code f} at {@code inputs} (float64 tensors; those with requiresGrad are checked). */
    public static Result check(String name, Function<List<Tensor>, Tensor> f, List<Tensor> inputs, double eps, double tol, long seed) {
        for (Tensor t : inputs) {
            if (t.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException(name + ": gradient checks need float64 inputs, got " + t.dtype());
            }
        }
        Tensor out0;
        try (var s = GradMode.noGrad()) {
            out0 = f.apply(inputs);
        }
        Tensor u = Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, out0.shape());
        for (Tensor t : inputs) t.zeroGrad();
        Tensor out = f.apply(inputs);
        out.backward(u, false);
        double worst = 0;
        String where = "none";
        for (int ti = 0; ti < inputs.size(); ti++) {
            Tensor t = inputs.get(ti);
            if (!t.requiresGrad()) continue;
            Tensor ga = t.grad();
            double[] x = t.doubleData();
            for (int i = 0; i < x.length; i++) {
                double orig = x[i];
                double[] fv = new double[4];
                double[] steps = {-2 * eps, -eps, eps, 2 * eps};
                for (int s = 0; s < 4; s++) {
                    x[i] = orig + steps[s];
                    fv[s] = dot(eval(f, inputs), u);
                }
                x[i] = orig;
                // Fourth-order central difference: truncation O(eps^4), so roundoff dominates and stays ~1e-11.
                double numeric = (fv[0] - 8 * fv[1] + 8 * fv[2] - fv[3]) / (12 * eps);
                double analytic = ga == null ? 0.0 : ga.getFlat(i);
                double rel = Math.abs(analytic - numeric) / Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), TINY);
                if (rel > worst) {
                    worst = rel;
                    where = String.format("%s: input %d (%s) index %d: analytic %.12g numeric %.12g", name, ti,
                            t.name() == null ? "unnamed" : t.name(), i, analytic, numeric);
                }
            }
        }
        if (worst > tol) {
            throw new AssertionError("gradient check failed, relative error " + worst + " > " + tol + " at " + where);
        }
        return new Result(worst, where);
    }

    /** Default tolerances: step 1e-4 (fourth-order stencil), relative error 1e-6. */
    public static Result check(String name, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        return check(name, f, List.of(inputs), 1e-4, 1e-6, 42);
    }

    private static Tensor eval(Function<List<Tensor>, Tensor> f, List<Tensor> inputs) {
        try (var s = GradMode.noGrad()) {
            return f.apply(inputs);
        }
    }

    private static double dot(Tensor a, Tensor u) {
        double s = 0;
        for (int i = 0; i < a.numel(); i++) s += a.getFlat(i) * u.getFlat(i);
        return s;
    }

    /** A float64 tensor of standard normals that requires grad. */
    public static Tensor param(long seed, int... shape) {
        return Tensor.randn(new SplittableRandom(seed), DType.FLOAT64, shape).requiresGrad(true);
    }

    /** A float64 tensor of uniforms in [lo, hi) that requires grad. */
    public static Tensor uniform(long seed, double lo, double hi, int... shape) {
        Tensor t = Tensor.rand(new SplittableRandom(seed), DType.FLOAT64, shape);
        for (int i = 0; i < t.numel(); i++) t.setFlat(i, lo + (hi - lo) * t.getFlat(i));
        return t.requiresGrad(true);
    }
}
