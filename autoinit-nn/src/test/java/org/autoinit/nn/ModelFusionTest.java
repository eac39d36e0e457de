package org.autoinit.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Add;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.WeightedSum;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;
import org.autoinit.tensor.parallel.Parallel;
import org.junit.jupiter.api.Test;

/**
 * Fused execution of BatchNorm -> ReLU, BatchNorm -> Add -> ReLU and Dense/attention -> Add ({@link FusionPlan}): which
 * nodes fuse, and that a fused model gives
 * the same bits as the same model run node by node (an observer turns fusion off): outputs, every parameter's
 * gradient, running statistics; training and eval, float32 and float64, one and two threads.
 */
class ModelFusionTest {
    /** Tail name -> names of the nodes fused into it, joined by "+". */
    private static Map<String, String> groupNames(Model m) {
        Map<String, String> out = new TreeMap<>();
        m.fusedNodes().forEach((tail, absorbed) -> out.put(tail.name(),
                String.join("+", absorbed.stream().map(Node::name).toList())));
        return out;
    }

    @Test
    void fusesOnlyNodesWhoseSoleReaderIsTheNextInTheGroup() {
        Node in = Model.input("x", 2, 4, 4);
        Node c = Conv2d.builder(2, 3).padding(1).name("conv").build().apply(in);
        Node r1 = Activation.builder(ActivationKind.RELU).name("r1").build().apply(new BatchNorm("bn1").apply(c));
        Node bn2 = new BatchNorm("bn2").apply(r1);                       // read by r2 and by the add: kept
        Node r2 = Activation.builder(ActivationKind.RELU).name("r2").build().apply(bn2);
        Node sum = new Add("add").apply(r2, bn2);
        Node r3 = Activation.builder(ActivationKind.RELU).centred(0.4).name("r3").build().apply(new BatchNorm("bn3").apply(sum));
        Node r4 = Activation.builder(ActivationKind.TANH).name("r4").build().apply(new BatchNorm("bn4").apply(r3));
        Node bn5 = new BatchNorm("bn5").apply(r4);                       // a model output: kept
        Node r5 = Activation.builder(ActivationKind.RELU).name("r5").build().apply(bn5);
        Node r6 = Activation.builder(ActivationKind.RELU).name("r6").build().apply(new BatchNorm("bn6").apply(r5));
        // Residual joins: BN at either Add input fuses with the Add and the ReLU; a WeightedSum join or an Add read twice does not.
        Node r7 = Activation.relu().apply(new Add("add7").apply(r6, new BatchNorm("bn7").apply(r6)));
        Node r8 = Activation.relu().apply(new Add("add8").apply(new BatchNorm("bn8").apply(r7), r7));
        Node r9 = Activation.relu().apply(new WeightedSum("ws9", 0.5, 0.5).apply(r8, new BatchNorm("bn9").apply(r8)));
        Node add10 = new Add("add10").apply(r9, new BatchNorm("bn10").apply(r9));
        Node r10 = Activation.relu().apply(add10);
        // A Dense projection whose only reader is a two-input Add ends a group at the Add; one read twice does not.
        Node flat = new org.autoinit.nn.layers.Flatten("flat").apply(r10);
        Node d11 = new org.autoinit.nn.layers.Dense("d11", 32).apply(flat);
        Node add11 = new Add("add11").apply(flat, d11);
        Node d12 = new org.autoinit.nn.layers.Dense("d12", 32).apply(add11);
        Node add12 = new Add("add12").apply(d12, d12);
        Model m = Model.of(List.of(in), List.of(bn5, add10, add12));
        Map<String, String> want = new TreeMap<>(Map.of("r1", "bn1", "r6", "bn6", "add11", "d11"));
        want.put(r7.name(), "bn7+add7");
        want.put(r8.name(), "bn8+add8");
        assertEquals(want, groupNames(m));
        assertEquals(55, Zoo.build("resnet56", ZooOptions.builder().init(null).build()).fusedNodes().size(),
                "ResNet-56: the stem's BatchNorm and each of the 27 blocks' two BatchNorms (with the join's Add) fuse with their ReLU");
        Map<String, String> r20 = groupNames(Zoo.build("resnet20", ZooOptions.builder().init(null).build()));
        assertEquals(19, r20.size());
        assertEquals("stem_bn", r20.get("stem_act"));
        assertEquals("stage2.block1.bn1", r20.get("stage2.block1.act1"));
        assertEquals("stage2.block1.short_bn+stage2.block1.merge", r20.get("stage2.block1.act2"), "first BN input of the Add");
        assertEquals("stage2.block2.bn2+stage2.block2.merge", r20.get("stage2.block2.act2"));
    }

    @Test
    void fusedOutputIsTheFusedOp() {
        Node in = Model.input("x", 3, 2, 2);
        Node r = Activation.relu().apply(new BatchNorm("bn").apply(in));
        Model m = Model.of(in, r);
        Tensor x = Tensor.randn(new SplittableRandom(1), DType.FLOAT32, 4, 3, 2, 2).requiresGrad(true);
        assertEquals("batch_norm_relu", m.forward(ForwardContext.training(new SplittableRandom(2)), x).op());
        List<Tensor> seen = new ArrayList<>();
        Tensor observed = m.forward(ForwardContext.training(new SplittableRandom(2)).observe((node, t) -> seen.add(t)), x);
        assertEquals("relu", observed.op(), "an observer sees every node, so nothing is fused");
        assertEquals(3, seen.size());
        assertThrows(IllegalArgumentException.class, () -> m.layers().get(0).forwardFused(ForwardContext.eval(),
                Activation.of(ActivationKind.GELU), x));
    }

    @Test
    void resnet20SameBitsFusedAndUnfused() {
        sameBitsFusedAndUnfused("resnet20", 3, 3, 32, 32);
    }

    @Test
    void vitSameBitsFusedAndUnfused() {
        Model vit = Zoo.build("vit", ZooOptions.builder().init(null).build());
        Map<String, String> groups = new TreeMap<>(groupNames(vit));
        int blocks = 0;
        for (Layer l : vit.layers()) {
            if (l instanceof Block b) {
                groups.putAll(groupNames(b.innerModel()));
                blocks++;
            }
        }
        assertTrue(blocks >= 4 && groups.size() == 2 * blocks, "two residual joins in each of the " + blocks + " blocks: " + groups);
        groups.forEach((tail, absorbed) -> assertTrue(tail.endsWith(".add1") && absorbed.endsWith(".attn")
                || tail.endsWith(".add2") && absorbed.endsWith(".fc2"), tail + " <- " + absorbed));
        sameBitsFusedAndUnfused("vit", 3, 1, 28, 28);
    }

    private static void sameBitsFusedAndUnfused(String model, int... inputShape) {
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    for (boolean training : new boolean[] {true, false}) {
                        compare(model, model + " " + dt + " training=" + training + " threads=" + threads, dt, training, inputShape);
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static void compare(String model, String label, DType dt, boolean training, int[] inputShape) {
        Map<String, long[]>[] got = new Map[2];
        for (int fused = 0; fused < 2; fused++) {
            Model m = Zoo.build(model, ZooOptions.builder().seed(5).build()).to(dt);
            if (!training) {
                // Running statistics away from their 0/1 start, so eval normalizes with something non-trivial.
                SplittableRandom r = new SplittableRandom(6);
                for (Parameter p : m.namedParameters().values()) {
                    if (p.kind() == ParamKind.BUFFER) p.value().copy_(Tensor.rand(r, DType.FLOAT64, p.shape()).add(0.5).to(dt));
                }
            }
            SplittableRandom r = new SplittableRandom(7);
            Tensor x = Tensor.randn(r, DType.FLOAT64, inputShape).to(dt);
            Tensor u = Tensor.randn(r, DType.FLOAT64, inputShape[0], 10).to(dt);
            ForwardContext ctx = training ? ForwardContext.training(new SplittableRandom(8)) : ForwardContext.eval();
            if (fused == 0) ctx.observe((node, t) -> { });
            Tensor y = m.forward(ctx, x);
            y.backward(u, false);
            got[fused] = new TreeMap<>();
            got[fused].put("output", bits(y));
            for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
                Tensor t = e.getValue().kind() == ParamKind.BUFFER ? e.getValue().value() : e.getValue().value().grad();
                got[fused].put(e.getKey(), bits(t));
            }
        }
        assertEquals(got[0].keySet(), got[1].keySet());
        for (String k : got[0].keySet()) {
            assertArrayEquals(got[0].get(k), got[1].get(k), label + ": " + k);
        }
    }

    private static long[] bits(Tensor t) {
        long[] out = new long[t.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.dtype() == DType.FLOAT32 ? Float.floatToRawIntBits(t.floatData()[i]) : Double.doubleToRawLongBits(t.getFlat(i));
        }
        return out;
    }
}
