package org.autoinit.nn.train;

import java.util.SplittableRandom;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.init.InitScheme;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.Dropout;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/** Small models, layers with scripted failures, and a synthetic dataset for the trainer tests. */
final class TestModels {
    private TestModels() {}

    /**
     * Identity until its {@code failAt}-th call; from then on its output is all NaN (as a layer whose weights turned
     * NaN), or, {@code once}, only on that call (a fault the trainer's re-run cannot reproduce).
     */
    static final class Poison extends Layer {
        private final int failAt;
        private final boolean once;
        private int calls;

        Poison(String name, int failAt) {
            this(name, failAt, false);
        }

        Poison(String name, int failAt, boolean once) {
            super(name);
            this.failAt = failAt;
            this.once = once;
        }

        @Override
        protected int[] doBuild(int[][] in) {
            return in[0];
        }

        @Override
        protected Tensor doForward(ForwardContext ctx, Tensor[] in) {
            return (once ? ++calls == failAt : ++calls >= failAt) ? in[0].mul(Double.NaN) : in[0];
        }
    }

    /** Identity forward whose backward passes NaN upstream. */
    static final class NanGrad extends Layer {
        NanGrad(String name) {
            super(name);
        }

        @Override
        protected int[] doBuild(int[][] in) {
            return in[0];
        }

        @Override
        protected Tensor doForward(ForwardContext ctx, Tensor[] in) {
            Tensor x = in[0];
            return Tensor.record("nan_grad", x.detach().copy(), g -> x.accumulateGrad(g.mul(Double.NaN)), x);
        }
    }

    /** in[6] -> fc1(16) -> bn -> relu -> dropout -> fc2(3), initialized from {@code initSeed}; {@code extra} goes between fc1 and drop. */
    static Model mlp(long initSeed, Layer extra) {
        Node in = Model.input("x", 6);
        Node h = new Dense("fc1", 16).apply(in);
        if (extra != null) h = extra.apply(h);
        h = new BatchNorm("bn").apply(h); // running statistics are buffers: checkpoints must carry them
        h = Activation.relu().apply(h);
        h = new Dropout("drop", 0.2).apply(h); // draws from the trainer's checkpointed dropout stream
        Node out = new Dense("fc2", 3).apply(h);
        Model m = Model.of(in, out);
        InitScheme.pytorchDefault().apply(m, initSeed);
        return m;
    }

    /** A learnable 3-class problem: label = argmax(x W*) for a fixed W*. */
    static Batch data(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.randn(r, DType.FLOAT32, n, 6);
        double[][] w = new double[6][3];
        SplittableRandom wr = new SplittableRandom(99);
        for (double[] row : w) for (int j = 0; j < 3; j++) row[j] = wr.nextGaussian();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 6; k++) s += x.get(i, k) * w[k][j];
                if (s > best) {
                    best = s;
                    y[i] = j;
                }
            }
        }
        return new Batch(x, y);
    }

    static BatchSource source(Batch all, int batchSize, boolean shuffle) {
        return BatchSource.inMemory(all.x(), all.labels(), batchSize, shuffle);
    }
}
