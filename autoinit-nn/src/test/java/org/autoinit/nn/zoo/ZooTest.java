package org.autoinit.nn.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Add;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.LayerNorm;
import org.autoinit.nn.layers.TransformerEncoderBlock;
import org.autoinit.nn.layers.WeightedSum;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;
import org.junit.jupiter.api.Test;

class ZooTest {
    private static final ZooOptions NO_INIT = ZooOptions.builder().init(null).build();

    private static long count(String name) {
        return Zoo.build(name, NO_INIT).parameterCount(false);
    }

    @Test
    void parameterCountsMatchThePeer() {
        assertEquals(669_706, count("mlp"));
        assertEquals(155_402, count("cnn"));
        assertEquals(1_369_738, count("allcnnc"));
        assertEquals(272_474, count("resnet20"));
        assertEquals(272_474, count("resnet"));
        assertEquals(541_834, count("vit"));
        assertEquals(541_834, count("transformer"));
    }

    @Test
    void deeperModelCounts() {
        assertEquals(25_557_032, count("resnet50"));
        // ResNet-56: stem 432 + BN 32; stage 1: 9 x (2*2304 + 64); stage 2: (4608 + 9216 + 128 + 512 + 64) + 8 x (2*9216 + 128);
        // stage 3: (18432 + 36864 + 256 + 2048 + 128) + 8 x (2*36864 + 256); fc 650.
        assertEquals(464 + 9 * 4672 + 14528 + 8 * 18560 + 57728 + 8 * 73984 + 650, count("resnet56"));
        assertEquals((784 * 128 + 128) + 23 * (128 * 128 + 128) + 1290, count("deep-mlp"));
        assertEquals((784 * 128 + 128) + 16 * 2 * (128 * 128 + 128) + 1290, count("deep-resmlp"));
        Model small = Zoo.build("deep-mlp", ZooOptions.builder().depth(3).width(16).classes(5).init(null).build());
        assertEquals((784 * 16 + 16) + 2 * (16 * 16 + 16) + (16 * 5 + 5), small.parameterCount(false));
        // running mean + var of every BN: channels 16 (stem) + 3*2*16 + (3*2*32 + 32) + (3*2*64 + 64) = 784.
        assertEquals(2 * 784, Zoo.build("resnet20", NO_INIT).bufferCount());
    }

    @Test
    void forwardShapesOfSmallModels() {
        SplittableRandom r = new SplittableRandom(1);
        for (String name : new String[] {"mlp", "cnn", "resnet20", "vit", "deep-resmlp"}) {
            Model m = Zoo.build(name, ZooOptions.defaults());
            int[] in = m.inputs().get(0).shape();
            int[] batch = new int[in.length + 1];
            batch[0] = 2;
            System.arraycopy(in, 0, batch, 1, in.length);
            Tensor y = m.forward(ForwardContext.training(r), Tensor.rand(r, DType.FLOAT32, batch));
            assertArrayEquals(new int[] {2, 10}, y.shape(), name);
            assertTrue(Arrays.stream(y.toDoubleArray()).allMatch(Double::isFinite), name);
        }
    }

    @Test
    void vitTokensMatchThePeer() {
        Model m = Zoo.build("vit", NO_INIT);
        assertArrayEquals(new int[] {1, 32, 32}, m.node("pad").shape());
        assertArrayEquals(new int[] {64, 128}, m.node("patch").shape());
        assertArrayEquals(new int[] {1, 64, 128}, m.namedParameters().get("pos.pos").shape());
        assertArrayEquals(new int[] {128, 384}, m.namedParameters().get("block1.attn.qkv.weight").shape());
        assertArrayEquals(new int[] {16, 128}, m.namedParameters().get("patch.proj.weight").shape());
    }

    @Test
    void optionsChangeTheGraph() {
        Model ws = Zoo.build("resnet20", ZooOptions.builder().merge(ZooOptions.Merge.WEIGHTED_SUM).init(null).build());
        assertEquals(9, ws.layers().stream().filter(l -> l instanceof WeightedSum).count());
        assertEquals(0, ws.layers().stream().filter(l -> l instanceof Add).count());
        Model noBn = Zoo.build("resnet20", ZooOptions.builder().normalization(false).init(null).build());
        assertEquals(0, noBn.layers().stream().filter(l -> l instanceof BatchNorm).count());
        assertEquals(0, noBn.bufferCount());
        Model tanhMlp = Zoo.build("mlp", ZooOptions.builder().activation(ActivationKind.TANH).dropout(0.1).classes(3).init(null).build());
        assertTrue(tanhMlp.summary().contains("drop1 (Dropout)"), tanhMlp.summary());
        assertArrayEquals(new int[] {3}, tanhMlp.outputs().get(0).shape());
        Model cifarMlp = Zoo.build("mlp", ZooOptions.builder().inputShape(3, 32, 32).init(null).build());
        assertArrayEquals(new int[] {3072}, cifarMlp.node("flatten").shape());
        Model centred = Zoo.build("deep-mlp", ZooOptions.builder().activation(ActivationKind.SOFTPLUS).activationShift(0.75).depth(3)
                .init(null).build());
        assertEquals(3, centred.layers().stream().filter(l -> l instanceof Activation).count());
        assertTrue(centred.layers().stream().filter(l -> l instanceof Activation).allMatch(l -> ((Activation) l).shift() == 0.75));
        assertThrows(IllegalArgumentException.class, () -> Zoo.build("vit", ZooOptions.builder().activationShift(0.1).build()));
        // Without LayerNorm: two per block (gamma and beta of 128) and the final one are gone, nothing else.
        Model bareVit = Zoo.build("vit", ZooOptions.builder().normalization(false).init(null).build());
        assertEquals(541_834 - 4 * 2 * 256 - 256, bareVit.parameterCount(false));
        assertTrue(bareVit.layers().stream().noneMatch(l -> l instanceof LayerNorm));
        assertTrue(bareVit.layers().stream().filter(l -> l instanceof TransformerEncoderBlock)
                .allMatch(b -> !((TransformerEncoderBlock) b).normalization()));
        assertThrows(IllegalArgumentException.class, () -> Zoo.build("resnet", ZooOptions.builder().depth(21).build()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zoo.build("vgg16"));
        assertTrue(e.getMessage().startsWith("Zoo: unknown model 'vgg16'; known: mlp, cnn"), e.getMessage());
    }

    @Test
    void seededInitIsDeterministic() {
        Model a = Zoo.build("cnn", ZooOptions.builder().seed(3).build());
        Model b = Zoo.build("cnn", ZooOptions.builder().seed(3).build());
        Model c = Zoo.build("cnn", ZooOptions.builder().seed(4).build());
        double[] wa = a.namedParameters().get("conv2.weight").value().toDoubleArray();
        assertArrayEquals(wa, b.namedParameters().get("conv2.weight").value().toDoubleArray());
        assertFalse(Arrays.equals(wa, c.namedParameters().get("conv2.weight").value().toDoubleArray()));
        double bound = 1 / Math.sqrt(32 * 9);
        assertTrue(Arrays.stream(wa).allMatch(v -> Math.abs(v) <= bound));
    }

    @Test
    void saveLoadRoundTripKeepsParametersBuffersAndOutputs(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ZooOptions opts = ZooOptions.builder().depth(8).merge(ZooOptions.Merge.WEIGHTED_SUM).seed(1).build();
        Model a = Zoo.build("resnet", opts);
        ((WeightedSum) a.layer("stage2.block1.merge")).setCoefficients(0.6, 0.8);
        Tensor x = Tensor.rand(new SplittableRandom(2), DType.FLOAT32, 3, 3, 32, 32);
        a.forward(ForwardContext.training(new SplittableRandom(3)), x); // moves the BN running statistics
        java.nio.file.Path file = dir.resolve("resnet8.safetensors");
        org.autoinit.nn.io.Checkpoints.saveWeights(a, file);
        Model b = Zoo.build("resnet", ZooOptions.builder().depth(8).merge(ZooOptions.Merge.WEIGHTED_SUM).seed(9).build());
        org.autoinit.nn.io.Checkpoints.loadWeights(b, file);
        a.namedParameters().forEach((k, p) -> assertArrayEquals(p.value().toDoubleArray(), b.namedParameters().get(k).value().toDoubleArray(), k));
        assertArrayEquals(new double[] {0.6, 0.8}, ((WeightedSum) b.layer("stage2.block1.merge")).coefficients(), 1e-7);
        assertArrayEquals(a.forward(ForwardContext.eval(), x).toDoubleArray(), b.forward(ForwardContext.eval(), x).toDoubleArray());
    }

    @Test
    void summaryOfAZooModel() {
        Model m = Zoo.build("resnet20", NO_INIT);
        String s = m.summary();
        assertTrue(s.contains("stage2.block1.short_conv (Conv2d)"), s);
        assertTrue(s.contains("[32, 16, 16]"), s);
        assertTrue(s.contains("Total params: 272,474"), s);
        assertTrue(s.contains("Buffers: " + String.format("%,d", m.bufferCount())), s);
        Node fc = m.node("fc");
        assertArrayEquals(new int[] {10}, fc.shape());
    }
}
