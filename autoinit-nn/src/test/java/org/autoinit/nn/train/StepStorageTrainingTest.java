package org.autoinit.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.optim.Optimizer;
import org.autoinit.nn.optim.Sgd;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.memory.StepStorage;
import org.autoinit.tensor.ops.Losses;
import org.autoinit.tensor.ops.Reduction;
import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.Test;

/**
 * Training steps inside {@link StepStorage} scopes give the same bits as steps that allocate every array anew. The
 * scopes are {@link StepStorage#openChecked() checked} (every array handed out is NaN-filled first, reused or not), so
 * an op that read an entry of its step-storage output before writing it, or relied on zeros, would put NaN or other
 * bits into the loss, a gradient or a parameter. Covers the convolution paths of ResNet-20 (stride 1, Winograd, strided
 * shortcuts), All-CNN-C (strided 3x3, 1x1) and the MNIST cnn, fused and unfused BatchNorm, one and two threads.
 */
class StepStorageTrainingTest {
    @Test
    void resnet20SameBitsWithRecycledStorage() {
        sameBits("resnet20", 4, 3, 32, 32);
    }

    @Test
    void allCnnCSameBitsWithRecycledStorage() {
        sameBits("allcnnc", 2, 3, 32, 32);
    }

    @Test
    void cnnSameBitsWithRecycledStorage() {
        sameBits("cnn", 4, 1, 28, 28);
    }

    private static void sameBits(String model, int... inputShape) {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (boolean fused : new boolean[] {true, false}) {
                    String label = model + " threads=" + threads + " fused=" + fused;
                    Map<String, int[]> plain = train(model, inputShape, fused, false);
                    Map<String, int[]> recycled = train(model, inputShape, fused, true);
                    assertEquals(plain.keySet(), recycled.keySet(), label);
                    for (String k : plain.keySet()) assertArrayEquals(plain.get(k), recycled.get(k), label + ": " + k);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** Three SGD steps (momentum); bits of each step's loss and of every parameter, gradient and buffer after the last. */
    private static Map<String, int[]> train(String model, int[] inputShape, boolean fused, boolean recycled) {
        Model m = Zoo.build(model, ZooOptions.builder().seed(3).build());
        SplittableRandom r = new SplittableRandom(4);
        Tensor x = Tensor.randn(r, DType.FLOAT32, inputShape);
        int[] labels = new int[inputShape[0]];
        for (int i = 0; i < labels.length; i++) labels[i] = r.nextInt(10);
        LinkedHashMap<String, Tensor> params = new LinkedHashMap<>();
        for (Parameter p : m.trainableParameters()) params.put(p.qualifiedName(), p.value());
        Optimizer opt = Sgd.builder(params, 0.05).momentum(0.9).build();
        List<Tensor> kept = new ArrayList<>(params.values());
        Map<String, int[]> out = new TreeMap<>();
        int[] losses = new int[3];
        int handedOut = 0;
        for (int step = 0; step < 3; step++) {
            try (StepStorage.Scope scope = recycled ? StepStorage.openChecked() : null) {
                opt.zeroGrad();
                ForwardContext ctx = ForwardContext.training(new SplittableRandom(5 + step));
                if (!fused) ctx.observe((node, t) -> { });
                Tensor loss = Losses.crossEntropy(m.forward(ctx, x), labels, Reduction.MEAN, 0);
                loss.backward();
                opt.step();
                losses[step] = Float.floatToRawIntBits((float) loss.item());
                if (scope != null) {
                    handedOut += scope.handedOut();
                    scope.keep(kept);
                }
            }
        }
        if (recycled) assertTrue(handedOut > 3, model + ": the steps took their activations from step storage (" + handedOut + ")");
        out.put("loss", losses);
        for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
            out.put(e.getKey(), bits(e.getValue().value()));
            Tensor g = e.getValue().value().grad();
            if (g != null) out.put(e.getKey() + ".grad", bits(g));
        }
        return out;
    }

    private static int[] bits(Tensor t) {
        Tensor f = t.dtype() == DType.FLOAT32 ? t : t.to(DType.FLOAT32);
        int[] out = new int[f.numel()];
        for (int i = 0; i < out.length; i++) out[i] = Float.floatToRawIntBits(f.floatData()[i]);
        return out;
    }
}
