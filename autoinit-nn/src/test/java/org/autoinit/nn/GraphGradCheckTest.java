package org.autoinit.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.AvgPool2d;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.Concatenate;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.Flatten;
import org.autoinit.nn.layers.GlobalAvgPool;
import org.autoinit.nn.layers.GroupNorm;
import org.autoinit.nn.layers.WeightedSum;
import org.autoinit.nn.testing.LayerGradCheck;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;
import org.autoinit.tensor.testing.GradCheck;
import org.junit.jupiter.api.Test;

/**
 * Float64 gradient checks of whole convolutional graphs: a residual block whose shortcut is a 1x1 conv, joined
 * by WeightedSum, with BatchNorm in training mode (batch statistics: every sample's gradient depends on every
 * other sample), GroupNorm, a conv shared by two nodes, and a Concatenate of two pooled views. Smooth activations
 * only, so no input sits on a kink.
 */
class GraphGradCheckTest {
    private static Model residualConvGraph() {
        Node in = Model.input("x", 2, 4, 4);
        Node h = Conv2d.builder(3, 3).padding(1).name("conv1").build().apply(in);
        h = new BatchNorm("bn1").apply(h);
        h = Activation.builder(ActivationKind.TANH).name("act1").build().apply(h);
        Conv2d shared = Conv2d.builder(3, 3).padding(1).name("shared").build();
        h = shared.apply(Activation.builder(ActivationKind.TANH).name("act2").build().apply(shared.apply(h)));
        Node shortcut = Conv2d.builder(3, 1).name("short").build().apply(in);
        Node merged = new WeightedSum("merge", 0.7, 0.6).apply(shortcut, h);
        Node g = new GroupNorm("gn", 3, 1e-5).apply(merged);
        Node pooled = new Flatten("flat").apply(AvgPool2d.builder(2).name("pool").build().apply(g));  // [12]
        Node global = new GlobalAvgPool("gap").apply(g);                                               // [3]
        Node cat = new Concatenate("cat", -1).apply(pooled, global);
        return Model.of(in, new Dense("head", 2).apply(cat));
    }

    @Test
    void residualConvGraphInTrainingMode() {
        Model m = residualConvGraph();
        m.to(DType.FLOAT64);
        List<Parameter> ps = new ArrayList<>(m.namedParameters().values());
        LayerGradCheck.randomize(ps, 0.5, 3);
        Tensor x = LayerGradCheck.input(4, 3, 2, 4, 4);
        GradCheck.Result r = LayerGradCheck.check("residual conv graph (training)", ps,
                in -> m.forward(ForwardContext.training(new SplittableRandom(1)), in), x);
        assertTrue(r.maxRelError() <= 1e-6, r.toString());
        // The check covered the shared conv (its gradient, summed over both uses, against finite differences).
        assertTrue(m.namedParameters().get("shared.weight").value().grad() != null);
    }

    @Test
    void residualConvGraphInEvalMode() {
        Model m = residualConvGraph();
        // Non-trivial running statistics, so eval mode is not the identity normalization.
        m.forward(ForwardContext.training(new SplittableRandom(1)), Tensor.randn(new SplittableRandom(2), DType.FLOAT32, 4, 2, 4, 4).mul(3.0));
        float[] rv = m.namedParameters().get("bn1.running_var").value().floatData().clone();
        LayerGradCheck.check("residual conv graph (eval)", m, 0.5, LayerGradCheck.input(5, 2, 2, 4, 4));
        // to(FLOAT64) keeps the buffer values (converted), and eval passes do not move them.
        double[] after = m.namedParameters().get("bn1.running_var").value().toDoubleArray();
        for (int i = 0; i < rv.length; i++) assertEquals(rv[i], after[i], 0);
    }
}
