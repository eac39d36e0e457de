package org.autoinit.nn.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.testing.GradCheck;

/** Float64 gradient checks of layers and models w.r.t. their inputs and every trainable parameter. */
public final class LayerGradCheck {
    private LayerGradCheck() {}

    /** As {@link #check(String, Layer, double, Tensor...)} in training mode; every evaluation gets a fresh generator with the same seed (same dropout mask). */
    public static GradCheck.Result checkTraining(String name, Layer layer, double scale, Tensor... inputs) {
        prepare(layer, scale, inputs);
        return check(name, layer.parameters(), in -> layer.forward(ForwardContext.training(new SplittableRandom(99)), in), inputs);
    }

    private static void prepare(Layer layer, double scale, Tensor[] inputs) {
        if (!layer.isBuilt()) {
            int[][] shapes = new int[inputs.length][];
            for (int i = 0; i < inputs.length; i++) {
                int[] s = inputs[i].shape();
                shapes[i] = java.util.Arrays.copyOfRange(s, 1, s.length);
            }
            layer.build(shapes);
        }
        layer.to(DType.FLOAT64);
        randomize(layer.parameters(), scale, 7);
    }

    /** Builds from the input shapes if needed, converts to float64, fills trainable parameters with N(0, scale^2) (seeded), checks the eval-mode forward. */
    public static GradCheck.Result check(String name, Layer layer, double scale, Tensor... inputs) {
        prepare(layer, scale, inputs);
        return check(name, layer.parameters(), in -> layer.forward(ForwardContext.eval(), in), inputs);
    }

    /** As {@link #check(String, Layer, double, Tensor...)} for a whole model. */
    public static GradCheck.Result check(String name, Model model, double scale, Tensor... inputs) {
        model.to(DType.FLOAT64);
        List<Parameter> ps = new ArrayList<>(model.namedParameters().values());
        randomize(ps, scale, 11);
        return check(name, ps, in -> model.forward(ForwardContext.eval(), in), inputs);
    }

    /** Checks {@code f(inputs)} w.r.t. the inputs and the trainable parameters in {@code params}. */
    public static GradCheck.Result check(String name, List<Parameter> params, Function<Tensor[], Tensor> f, Tensor... inputs) {
        List<Tensor> all = new ArrayList<>();
        for (Tensor t : inputs) {
            all.add(t);
        }
        for (Parameter p : params) {
            if (p.trainable()) {
                all.add(p.value().name(p.qualifiedName()));
            }
        }
        int n = inputs.length;
        return GradCheck.check(name, ts -> f.apply(ts.subList(0, n).toArray(new Tensor[0])), all.toArray(new Tensor[0]));
    }

    public static void randomize(List<Parameter> params, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        for (Parameter p : params) {
            if (p.trainable()) {
                Tensor v = p.value();
                for (int i = 0; i < v.numel(); i++) {
                    v.setFlat(i, scale * r.nextGaussian());
                }
            }
        }
    }

    /** A float64 input of N(0,1) entries that requires grad. */
    public static Tensor input(long seed, int... shape) {
        return GradCheck.param(seed, shape).name("input");
    }
}
