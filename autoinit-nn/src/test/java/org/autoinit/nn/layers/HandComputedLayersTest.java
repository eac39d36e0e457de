package org.autoinit.nn.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Layer outputs on inputs small enough to work out on paper (all-ones or identity weights, iota inputs). The
 * expected numbers are written out, not computed by loops, so they also catch layout mistakes (which channel a
 * gamma scales, which pixels form a patch) that a loop sharing the code's assumptions would repeat.
 */
class HandComputedLayersTest {
    private static final ForwardContext EVAL = ForwardContext.eval();
    private static final double E = 1e-12;

    private static <L extends Layer> L built(L layer, int[]... shapes) {
        layer.build(shapes);
        layer.to(DType.FLOAT64);
        return layer;
    }

    private static void fill(Parameter p, double... values) {
        if (values.length == 1) {
            p.value().fill_(values[0]);
            return;
        }
        for (int i = 0; i < values.length; i++) p.value().setFlat(i, values[i]);
    }

    private static Tensor t(double[] v, int... shape) {
        return Tensor.of(v.clone(), shape);
    }

    @Test
    void conv2dAllOnesCountsTheTapsInsideThePaddedImage() {
        Conv2d c = built(Conv2d.builder(1, 3).padding(1).build(), new int[] {2, 3, 3});
        fill(c.weight(), 1);
        fill(c.bias(), 0.5);
        // Two all-ones channels: a corner sees 2 x 4 taps, an edge 2 x 6, the centre 2 x 9; plus the bias.
        Tensor y = c.forward(EVAL, Tensor.ones(DType.FLOAT64, 1, 2, 3, 3));
        assertArrayEquals(new double[] {8.5, 12.5, 8.5, 12.5, 18.5, 12.5, 8.5, 12.5, 8.5}, y.toDoubleArray(), E);
        // No padding on 0..15: each output is the sum of a 3x3 block, e.g. {0,1,2,4,5,6,8,9,10} = 45.
        Conv2d s = built(Conv2d.builder(1, 3).stride(1).padding(0).bias(false).build(), new int[] {1, 4, 4});
        fill(s.weight(), 1);
        Tensor iota = t(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 1, 1, 4, 4);
        assertArrayEquals(new double[] {45, 54, 81, 90}, s.forward(EVAL, iota).toDoubleArray(), E);
    }

    @Test
    void conv1dAllOnes() {
        Conv1d c = built(Conv1d.builder(1, 3).padding(1).bias(false).build(), new int[] {1, 4});
        fill(c.weight(), 1);
        assertArrayEquals(new double[] {3, 6, 9, 7}, c.forward(EVAL, t(new double[] {1, 2, 3, 4}, 1, 1, 4)).toDoubleArray(), E);
    }

    @Test
    void poolsOnIota() {
        Tensor iota = t(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 1, 1, 4, 4);
        assertArrayEquals(new double[] {5, 7, 13, 15}, built(new MaxPool2d(2), new int[] {1, 4, 4}).forward(EVAL, iota).toDoubleArray());
        assertArrayEquals(new double[] {2.5, 4.5, 10.5, 12.5},
                built(AvgPool2d.builder(2).build(), new int[] {1, 4, 4}).forward(EVAL, iota).toDoubleArray(), E);
        // 3x3 average with zero padding 1 divides by 9 (count_include_pad, PyTorch's default): corner (0+1+4+5)/9.
        Tensor y = built(AvgPool2d.builder(3).stride(3).padding(1).build(), new int[] {1, 4, 4}).forward(EVAL, iota);
        assertArrayEquals(new double[] {10.0 / 9, (2 + 3 + 6 + 7) / 9.0, (8 + 9 + 12 + 13) / 9.0, (10 + 11 + 14 + 15) / 9.0}, y.toDoubleArray(), E);
    }

    @Test
    void batchNormOnOneToFour() {
        BatchNorm bn = built(BatchNorm.builder().build(), new int[] {1});
        // mean 2.5, biased variance 1.25; running: 0.9 * 0 + 0.1 * 2.5, 0.9 * 1 + 0.1 * (5/3) (unbiased 1.25 * 4/3).
        Tensor y = bn.forward(ForwardContext.training(new SplittableRandom(0)), t(new double[] {1, 2, 3, 4}, 4, 1));
        double s = Math.sqrt(1.25 + 1e-5);
        assertArrayEquals(new double[] {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s}, y.toDoubleArray(), E);
        assertEquals(0.25, bn.runningMean().value().getFlat(0), E);
        assertEquals(0.9 + 0.1 * 5 / 3.0, bn.runningVar().value().getFlat(0), E);
        // Eval: (x - 0.25) / sqrt(1.0666... + eps) * gamma + beta.
        fill(bn.gamma(), 2);
        fill(bn.beta(), -1);
        double ye = bn.forward(EVAL, t(new double[] {3.25}, 1, 1)).getFlat(0);
        assertEquals(2 * 3 / Math.sqrt(0.9 + 0.5 / 3 + 1e-5) - 1, ye, E);
    }

    @Test
    void layerNormOverOneAndTwoDims() {
        double s = Math.sqrt(1.25 + 1e-5);
        LayerNorm ln = built(new LayerNorm(), new int[] {4});
        fill(ln.gamma(), 1, 2, 3, 4);
        fill(ln.beta(), 0, 0, 0, 1);
        assertArrayEquals(new double[] {-1.5 / s, -1 / s, 1.5 / s, 6 / s + 1}, ln.forward(EVAL, t(new double[] {1, 2, 3, 4}, 1, 4)).toDoubleArray(), E);
        // Two normalized dims: statistics over the whole 2x2 sample, gamma/beta of shape [2, 2].
        LayerNorm ln2 = built(new LayerNorm(null, 2, 1e-5), new int[] {2, 2});
        fill(ln2.gamma(), 1, 1, 1, -1);
        assertArrayEquals(new double[] {-1.5 / s, -0.5 / s, 0.5 / s, -1.5 / s}, ln2.forward(EVAL, t(new double[] {1, 2, 3, 4}, 1, 2, 2)).toDoubleArray(), E);
    }

    @Test
    void groupNormScalesEachChannelWithItsOwnGammaAndBeta() {
        // One group over channels [1, 3] and [5, 7]: mean 4, variance (9 + 1 + 1 + 9) / 4 = 5.
        GroupNorm gn = built(new GroupNorm(1), new int[] {2, 2});
        fill(gn.gamma(), 2, 3);
        fill(gn.beta(), 0.5, -1);
        double s = Math.sqrt(5 + 1e-5);
        assertArrayEquals(new double[] {2 * -3 / s + 0.5, 2 * -1 / s + 0.5, 3 * 1 / s - 1, 3 * 3 / s - 1},
                gn.forward(EVAL, t(new double[] {1, 3, 5, 7}, 1, 2, 2)).toDoubleArray(), E);
        // Two groups: each channel normalized alone, [1, 3] -> [-1, 1] / sqrt(1 + eps).
        GroupNorm g2 = built(new GroupNorm(2), new int[] {2, 2});
        fill(g2.gamma(), 1);
        fill(g2.beta(), 0);
        double s1 = Math.sqrt(1 + 1e-5);
        assertArrayEquals(new double[] {-1 / s1, 1 / s1, -1 / s1, 1 / s1}, g2.forward(EVAL, t(new double[] {1, 3, 5, 7}, 1, 2, 2)).toDoubleArray(), E);
    }

    /** q = k = 0 makes every score equal; v and o the identity: each query gets the mean of the keys it may see. */
    private static MultiHeadAttention averaging(MultiHeadAttention m) {
        for (Dense d : new Dense[] {m.query(), m.key()}) fill(d.weight(), 0);
        fill(m.value().weight(), 1, 0, 0, 1);
        fill(m.output().weight(), 1, 0, 0, 1);
        return m;
    }

    @Test
    void attentionWithEqualScoresAveragesTheVisibleTokens() {
        Tensor x = t(new double[] {1, 0, 0, 2, 4, 4}, 1, 3, 2);
        MultiHeadAttention causal = averaging(built(MultiHeadAttention.builder(1).causal(true).build(), new int[] {3, 2}));
        assertArrayEquals(new double[] {1, 0, 0.5, 1, 5 / 3.0, 2}, causal.forward(EVAL, x).toDoubleArray(), E);
        MultiHeadAttention full = averaging(built(MultiHeadAttention.builder(2).build(), new int[] {3, 2}));
        assertArrayEquals(new double[] {5 / 3.0, 2, 5 / 3.0, 2, 5 / 3.0, 2}, full.forward(EVAL, x).toDoubleArray(), E);
        // A mask input dropping key 1 for every query: the mean of tokens 0 and 2.
        MultiHeadAttention masked = averaging(built(MultiHeadAttention.builder(1).build(), new int[] {3, 2}, new int[] {3, 2}, new int[] {3, 3}));
        Tensor mask = t(new double[] {0, Double.NEGATIVE_INFINITY, 0, 0, Double.NEGATIVE_INFINITY, 0, 0, Double.NEGATIVE_INFINITY, 0}, 1, 3, 3);
        assertArrayEquals(new double[] {2.5, 2, 2.5, 2, 2.5, 2}, masked.forward(EVAL, x, x, mask).toDoubleArray(), E);
    }

    @Test
    void transformerBlockWithZeroWeights() {
        Tensor x = t(new double[] {1, 2, 3, 4, -2, 0, 2, 4}, 1, 2, 4);
        // Pre-LN: both residual branches end in zero Dense layers, so the block is the identity.
        TransformerEncoderBlock pre = built(TransformerEncoderBlock.builder(2, 8).build(), new int[] {2, 4});
        pre.parameters().stream().filter(p -> p.name().equals("weight") || p.name().equals("bias")).forEach(p -> fill(p, 0));
        assertArrayEquals(x.toDoubleArray(), pre.forward(EVAL, x).toDoubleArray(), 0);
        // Post-LN: LN(LN(x)). Token [1,2,3,4]: z = [-1.5,-0.5,0.5,1.5]/s, then z has variance 1.25/s^2.
        TransformerEncoderBlock post = built(TransformerEncoderBlock.builder(2, 8).postNorm().build(), new int[] {2, 4});
        post.parameters().stream().filter(p -> p.name().equals("weight") || p.name().equals("bias")).forEach(p -> fill(p, 0));
        double s = Math.sqrt(1.25 + 1e-5), s2 = Math.sqrt(1.25 / (1.25 + 1e-5) + 1e-5);
        double[] tok = {-1.5 / s / s2, -0.5 / s / s2, 0.5 / s / s2, 1.5 / s / s2};
        // Token [-2,0,2,4] has mean 1, variance 5: z = [-3,-1,1,3]/sqrt(5+eps), then variance 5/(5+eps).
        double u = Math.sqrt(5 + 1e-5), u2 = Math.sqrt(5 / (5 + 1e-5) + 1e-5);
        double[] tok2 = {-3 / u / u2, -1 / u / u2, 1 / u / u2, 3 / u / u2};
        Tensor y = post.forward(EVAL, x);
        for (int i = 0; i < 4; i++) {
            assertEquals(tok[i], y.getFlat(i), 1e-12);
            assertEquals(tok2[i], y.getFlat(4 + i), 1e-12);
        }
    }

    @Test
    void patchEmbeddingSumsEachPatchWithAllOnesWeights() {
        PatchEmbedding pe = built(new PatchEmbedding(2, 3), new int[] {1, 4, 4});
        fill(pe.projection().weight(), 1);
        fill(pe.projection().bias(), 0);
        Tensor iota = t(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15}, 1, 1, 4, 4);
        // Patches in row-major order: top-left {0,1,4,5}, top-right {2,3,6,7}, bottom-left {8,9,12,13}, bottom-right.
        assertArrayEquals(new double[] {10, 10, 10, 18, 18, 18, 42, 42, 42, 50, 50, 50}, pe.forward(EVAL, iota).toDoubleArray(), E);
    }

    @Test
    void reshapeKeepsTheFlatOrder() {
        Tensor y = built(new Reshape(3, 2), new int[] {2, 3}).forward(EVAL, t(new double[] {1, 2, 3, 4, 5, 6}, 1, 2, 3));
        assertArrayEquals(new int[] {1, 3, 2}, y.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, y.toDoubleArray());
        assertEquals(4, y.get(0, 1, 1));
    }
}
