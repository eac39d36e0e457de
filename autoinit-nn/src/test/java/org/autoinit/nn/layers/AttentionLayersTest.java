package org.autoinit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;

import org.autoinit.nn.Fans;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.testing.LayerGradCheck;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AttentionLayersTest {
    private static double[][] dense(Tensor x, int n, Dense d) {
        Tensor w = d.weight().value(), b = d.bias().value();
        int s = x.dim(1), in = x.dim(2), out = d.units();
        double[][] y = new double[s][out];
        for (int t = 0; t < s; t++) for (int u = 0; u < out; u++) {
            double acc = b.getFlat(u);
            for (int i = 0; i < in; i++) acc += x.get(n, t, i) * w.get(i, u);
            y[t][u] = acc;
        }
        return y;
    }

    /** Independent multi-head attention for sample n, separate projections, optional causal mask. */
    private static double[][] naive(MultiHeadAttention m, Tensor xq, Tensor xkv, int n, boolean causal) {
        double[][] q = dense(xq, n, m.query()), k = dense(xkv, n, m.key()), v = dense(xkv, n, m.value());
        int sq = q.length, sk = k.length, h = m.heads(), dh = m.headDim();
        double[][] merged = new double[sq][h * dh];
        for (int head = 0; head < h; head++) {
            for (int i = 0; i < sq; i++) {
                double[] z = new double[sk];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < sk; j++) {
                    double dot = 0;
                    for (int e = 0; e < dh; e++) dot += q[i][head * dh + e] * k[j][head * dh + e];
                    z[j] = causal && j > i ? Double.NEGATIVE_INFINITY : dot / Math.sqrt(dh);
                    max = Math.max(max, z[j]);
                }
                double sum = 0;
                for (int j = 0; j < sk; j++) sum += (z[j] = Math.exp(z[j] - max));
                for (int j = 0; j < sk; j++) for (int e = 0; e < dh; e++) merged[i][head * dh + e] += z[j] / sum * v[j][head * dh + e];
            }
        }
        Tensor mt = Tensor.zeros(DType.FLOAT64, 1, sq, h * dh);
        for (int i = 0; i < sq; i++) for (int e = 0; e < h * dh; e++) mt.setFlat(i * h * dh + e, merged[i][e]);
        return dense(mt, 0, m.output());
    }

    @Test
    void selfAndCrossAttentionMatchNaiveLoops() {
        for (boolean causal : new boolean[] {false, true}) {
            MultiHeadAttention self = MultiHeadAttention.builder(2).causal(causal).name("att" + causal).build();
            self.build(new int[] {3, 4});
            self.to(DType.FLOAT64);
            LayerGradCheck.randomize(self.parameters(), 0.5, 1);
            Tensor x = Tensor.randn(new SplittableRandom(2), DType.FLOAT64, 2, 3, 4);
            Tensor y = self.forward(ForwardContext.eval(), x);
            for (int n = 0; n < 2; n++) {
                double[][] want = naive(self, x, x, n, causal);
                for (int i = 0; i < 3; i++) for (int u = 0; u < 4; u++) assertEquals(want[i][u], y.get(n, i, u), 1e-10, "causal=" + causal);
            }
        }
        MultiHeadAttention cross = MultiHeadAttention.builder(2).headDim(3).outputDim(5).build();
        assertArrayEquals(new int[] {2, 5}, cross.build(new int[] {2, 4}, new int[] {3, 6}));
        cross.to(DType.FLOAT64);
        LayerGradCheck.randomize(cross.parameters(), 0.5, 3);
        Tensor xq = Tensor.randn(new SplittableRandom(4), DType.FLOAT64, 1, 2, 4);
        Tensor xkv = Tensor.randn(new SplittableRandom(5), DType.FLOAT64, 1, 3, 6);
        Tensor y = cross.forward(ForwardContext.eval(), xq, xkv);
        double[][] want = naive(cross, xq, xkv, 0, false);
        for (int i = 0; i < 2; i++) for (int u = 0; u < 5; u++) assertEquals(want[i][u], y.get(0, i, u), 1e-10);
    }

    @Test
    void projectionsHaveTheirOwnNamedParametersAndFans() {
        MultiHeadAttention m = MultiHeadAttention.builder(4).name("mha").build();
        m.build(new int[] {5, 8}, new int[] {7, 12});
        assertEquals(List.of("mha.q.weight", "mha.q.bias", "mha.k.weight", "mha.k.bias", "mha.v.weight", "mha.v.bias", "mha.o.weight", "mha.o.bias"),
                m.parameters().stream().map(p -> p.qualifiedName()).toList());
        assertEquals(new Fans(8, 8), m.query().weight().fans());
        assertEquals(new Fans(12, 8), m.key().weight().fans());
        assertEquals(new Fans(8, 8), m.output().weight().fans());
        assertEquals(2, m.headDim());
        MultiHeadAttention f = MultiHeadAttention.builder(4).fusedQkv(true).build();
        f.build(new int[] {5, 8});
        assertNull(f.query());
        assertEquals(new Fans(8, 24), f.qkv().weight().fans());
        assertThrows(IllegalArgumentException.class, () -> MultiHeadAttention.builder(3).build().build(new int[] {5, 8}));
    }

    @Test
    void fusedQkvEqualsSeparateProjectionsWithTheSameWeights() {
        MultiHeadAttention f = MultiHeadAttention.builder(2).fusedQkv(true).build();
        f.build(new int[] {3, 4});
        f.to(DType.FLOAT64);
        LayerGradCheck.randomize(f.parameters(), 0.5, 6);
        MultiHeadAttention s = MultiHeadAttention.builder(2).build();
        s.build(new int[] {3, 4});
        s.to(DType.FLOAT64);
        Dense[] parts = {s.query(), s.key(), s.value()};
        for (int p = 0; p < 3; p++) {
            for (int i = 0; i < 4; i++) for (int u = 0; u < 4; u++) parts[p].weight().value().setFlat(i * 4 + u, f.qkv().weight().value().get(i, p * 4 + u));
            for (int u = 0; u < 4; u++) parts[p].bias().value().setFlat(u, f.qkv().bias().value().getFlat(p * 4 + u));
        }
        s.output().weight().value().copy_(f.output().weight().value());
        s.output().bias().value().copy_(f.output().bias().value());
        Tensor x = Tensor.randn(new SplittableRandom(7), DType.FLOAT64, 2, 3, 4);
        assertArrayEquals(s.forward(ForwardContext.eval(), x).toDoubleArray(), f.forward(ForwardContext.eval(), x).toDoubleArray(), 1e-12);
    }

    @Test
    void gradientChecks() {
        LayerGradCheck.check("self attention", MultiHeadAttention.builder(2).build(), 0.5, LayerGradCheck.input(1, 2, 3, 4));
        LayerGradCheck.check("causal attention", MultiHeadAttention.builder(2).causal(true).build(), 0.5, LayerGradCheck.input(2, 1, 3, 4));
        LayerGradCheck.check("fused attention", MultiHeadAttention.builder(2).fusedQkv(true).build(), 0.5, LayerGradCheck.input(3, 1, 3, 4));
        LayerGradCheck.check("cross attention", MultiHeadAttention.builder(2).headDim(2).build(), 0.5, LayerGradCheck.input(4, 1, 2, 4),
                LayerGradCheck.input(5, 1, 3, 3));
        Tensor mask = Tensor.zeros(DType.FLOAT64, 1, 2, 3);
        mask.setFlat(1, -1e9);
        LayerGradCheck.check("masked attention", MultiHeadAttention.builder(2).build(), 0.5, LayerGradCheck.input(6, 1, 2, 4),
                LayerGradCheck.input(7, 1, 3, 4), mask);
    }

    @Test
    void attentionInsideAGraphWithResidualAndNorm() {
        Node in = Model.input("tokens", 3, 4);
        Node a = MultiHeadAttention.builder(2).name("att").build().apply(new LayerNorm("ln").apply(in));
        Node out = new Dense("head", 2).apply(new TokenMean("pool").apply(new Add("res").apply(in, a)));
        Model m = Model.of(in, out);
        LayerGradCheck.check("attention graph", m, 0.5, LayerGradCheck.input(8, 2, 3, 4));
    }

    @Test
    void patchAndPositionalEmbedding() {
        PatchEmbedding pe = new PatchEmbedding("pe", 2, 3, true);
        assertArrayEquals(new int[] {4, 3}, pe.build(new int[] {2, 4, 4}));
        pe.to(DType.FLOAT64);
        LayerGradCheck.randomize(pe.parameters(), 1, 2);
        Tensor x = Tensor.randn(new SplittableRandom(3), DType.FLOAT64, 1, 2, 4, 4);
        Tensor y = pe.forward(ForwardContext.eval(), x);
        Tensor w = pe.projection().weight().value();
        // Token t = row*2 + col, feature c*4 + dy*2 + dx.
        for (int row = 0; row < 2; row++) for (int col = 0; col < 2; col++) for (int u = 0; u < 3; u++) {
            double acc = pe.projection().bias().value().getFlat(u);
            for (int c = 0; c < 2; c++) for (int dy = 0; dy < 2; dy++) for (int dx = 0; dx < 2; dx++) {
                acc += x.get(0, c, 2 * row + dy, 2 * col + dx) * w.get(c * 4 + dy * 2 + dx, u);
            }
            assertEquals(acc, y.get(0, row * 2 + col, u), 1e-10);
        }
        assertThrows(IllegalArgumentException.class, () -> new PatchEmbedding(3, 4).build(new int[] {1, 4, 4}));
        LayerGradCheck.check("patch embedding", new PatchEmbedding(2, 3), 1, LayerGradCheck.input(4, 2, 1, 4, 2));
        PositionalEmbedding pos = new PositionalEmbedding("pos");
        pos.build(new int[] {3, 2});
        assertArrayEquals(new int[] {1, 3, 2}, pos.pos().shape());
        pos.pos().value().setFlat(5, 7);
        Tensor z = pos.forward(ForwardContext.eval(), Tensor.zeros(DType.FLOAT32, 2, 3, 2));
        assertEquals(7, z.get(1, 2, 1));
        LayerGradCheck.check("positional", new PositionalEmbedding(), 1, LayerGradCheck.input(5, 2, 3, 2));
    }

    @Test
    void globalPools() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, -1, -2, -3, -8}, 1, 2, 2, 2);
        GlobalAvgPool avg = new GlobalAvgPool();
        avg.build(new int[] {2, 2, 2});
        assertArrayEquals(new double[] {2.5, -3.5}, avg.forward(ForwardContext.eval(), x).toDoubleArray());
        GlobalMaxPool max = new GlobalMaxPool();
        max.build(new int[] {2, 2, 2});
        assertArrayEquals(new double[] {4, -1}, max.forward(ForwardContext.eval(), x).toDoubleArray());
        LayerGradCheck.check("global avg", new GlobalAvgPool(), 1, LayerGradCheck.input(1, 2, 3, 2, 2));
        LayerGradCheck.check("global max", new GlobalMaxPool(), 1, LayerGradCheck.input(2, 2, 3, 2, 2));
        LayerGradCheck.check("global avg 1d", new GlobalAvgPool(), 1, LayerGradCheck.input(3, 2, 3, 4));
    }
}
