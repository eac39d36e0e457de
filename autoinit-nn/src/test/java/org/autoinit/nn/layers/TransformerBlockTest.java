package org.autoinit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.Sequential;
import org.autoinit.nn.testing.LayerGradCheck;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class TransformerBlockTest {
    @Test
    void parametersAreVisibleWithQualifiedNames() {
        Model m = Sequential.of(new int[] {3, 8}, TransformerEncoderBlock.builder(2, 16).name("enc").build());
        List<String> names = new ArrayList<>(m.namedParameters().keySet());
        assertEquals(List.of("enc.ln1.gamma", "enc.ln1.beta", "enc.attn.q.weight", "enc.attn.q.bias", "enc.attn.k.weight", "enc.attn.k.bias",
                "enc.attn.v.weight", "enc.attn.v.bias", "enc.attn.o.weight", "enc.attn.o.bias", "enc.ln2.gamma", "enc.ln2.beta",
                "enc.fc1.weight", "enc.fc1.bias", "enc.fc2.weight", "enc.fc2.bias"), names);
        // ln 16 + attention 4 * (64 + 8) + ln 16 + fc1 (128 + 16) + fc2 (128 + 8)
        assertEquals(16 + 288 + 16 + 144 + 136, m.parameterCount(true));
        assertTrue(m.summary().contains("enc (TransformerEncoderBlock)"), m.summary());
        assertEquals(List.of("enc", "enc.ln1", "enc.attn", "enc.attn.q", "enc.attn.k", "enc.attn.v", "enc.attn.o", "enc.add1", "enc.ln2",
                "enc.fc1", "enc.act", "enc.fc2", "enc.add2"), m.allLayers().stream().map(l -> l.name()).toList());
    }

    @Test
    void preAndPostNormWiring() {
        for (boolean pre : new boolean[] {true, false}) {
            TransformerEncoderBlock b = TransformerEncoderBlock.builder(2, 6).preNorm(pre).build();
            b.build(new int[] {3, 4});
            b.to(DType.FLOAT64);
            LayerGradCheck.randomize(b.parameters(), 0.5, 4);
            Tensor x = Tensor.randn(new SplittableRandom(5), DType.FLOAT64, 2, 3, 4);
            ForwardContext ev = ForwardContext.eval();
            Model inner = b.innerModel();
            LayerNorm ln1 = (LayerNorm) inner.layer(b.name() + ".ln1"), ln2 = (LayerNorm) inner.layer(b.name() + ".ln2");
            Dense fc1 = (Dense) inner.layer(b.name() + ".fc1"), fc2 = (Dense) inner.layer(b.name() + ".fc2");
            Activation act = (Activation) inner.layer(b.name() + ".act");
            MultiHeadAttention att = b.attention();
            Tensor want;
            if (pre) {
                Tensor h = x.add(att.forward(ev, ln1.forward(ev, x)));
                want = h.add(fc2.forward(ev, act.forward(ev, fc1.forward(ev, ln2.forward(ev, h)))));
            } else {
                Tensor h = ln1.forward(ev, x.add(att.forward(ev, x)));
                want = ln2.forward(ev, h.add(fc2.forward(ev, act.forward(ev, fc1.forward(ev, h)))));
            }
            assertArrayEquals(want.toDoubleArray(), b.forward(ev, x).toDoubleArray(), 1e-12, "preNorm=" + pre);
        }
    }

    @Test
    void gradientChecksAndObservers() {
        LayerGradCheck.check("pre-LN block", TransformerEncoderBlock.builder(2, 6).build(), 0.5, LayerGradCheck.input(1, 2, 3, 4));
        LayerGradCheck.check("post-LN block", TransformerEncoderBlock.builder(2, 6).postNorm().fusedQkv(true).build(), 0.5,
                LayerGradCheck.input(2, 1, 3, 4));
        LayerGradCheck.checkTraining("block with dropout", TransformerEncoderBlock.builder(1, 4).dropout(0.3).build(), 0.5,
                LayerGradCheck.input(3, 2, 2, 4));
        Node in = Model.input("x", 3, 4);
        Model m = Model.of(in, TransformerEncoderBlock.builder(2, 6).name("blk").build().apply(in));
        List<String> seen = new ArrayList<>();
        m.forward(ForwardContext.eval().observe((node, t) -> seen.add(node.name())), Tensor.zeros(DType.FLOAT32, 1, 3, 4));
        assertTrue(seen.containsAll(List.of("blk.attn", "blk.fc1", "blk.add2", "blk")), seen.toString());
    }

    @Test
    void blockFrozenParameterStaysFrozen() {
        TransformerEncoderBlock b = TransformerEncoderBlock.builder(2, 6).build();
        b.build(new int[] {3, 4});
        Parameter w = b.attention().query().weight();
        w.setTrainable(false);
        assertEquals(false, b.parameters().stream().filter(p -> p == w).findFirst().get().trainable());
    }
}
