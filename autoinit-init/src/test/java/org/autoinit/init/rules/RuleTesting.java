package org.autoinit.init.rules;

import java.util.List;
import java.util.SplittableRandom;

import org.autoinit.init.AutoInit;
import org.autoinit.init.InitReport;
import org.autoinit.init.moments.Moments;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;

/** One layer applied to Gaussian inputs: its rule's prediction and replicated measurements. */
final class RuleTesting {
    private RuleTesting() {}

    /** A model applying {@code layer} to inputs of the given per-sample shapes. */
    static Model single(Layer layer, int[]... shapes) {
        Node[] ins = new Node[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            ins[i] = Model.input("in" + i, shapes[i]);
        }
        return Model.of(List.of(ins), List.of(layer.apply(ins)));
    }

    /** The predicted output of the model's output node for the given input moments, without changing the model. */
    static Moments predicted(Model m, Moments... in) {
        InitReport r = AutoInit.builder().inputMoments(in).build().predict(m);
        return r.entry(m.outputs().get(0).name()).output();
    }

    /** Replicated training-mode outputs of the model on fresh iid Gaussian inputs with the given moments, batch {@code n}. */
    static MonteCarlo.Estimate measure(Model m, int reps, int n, long seed, Moments... in) {
        return MonteCarlo.replicate(reps, r -> {
            SplittableRandom rng = new SplittableRandom(seed * 1000 + r);
            Tensor[] x = new Tensor[in.length];
            for (int i = 0; i < in.length; i++) {
                int[] s = m.inputs().get(i).shape();
                int[] b = new int[s.length + 1];
                b[0] = n;
                System.arraycopy(s, 0, b, 1, s.length);
                x[i] = MonteCarlo.gaussian(rng, in[i], b);
            }
            try (GradMode.Scope g = GradMode.noGrad()) {
                return m.forward(ForwardContext.training(rng), x);
            }
        });
    }
}
