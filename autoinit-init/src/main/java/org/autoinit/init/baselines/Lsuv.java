package org.autoinit.init.baselines;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.autoinit.init.InitReport;
import org.autoinit.init.trace.BufferSnapshot;
import org.autoinit.init.trace.Trace;
import org.autoinit.nn.Block;
import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.init.InitScheme;
import org.autoinit.nn.init.Initializer;
import org.autoinit.nn.init.Initializers;
import org.autoinit.nn.layers.MultiHeadAttention;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;

/**
 * Layer-sequential unit-variance initialization (Mishkin &amp; Matas, "All you need is a good init", ICLR 2016):
 * orthonormal weights (Saxe et al. 2014; biases 0), then, for each weighted layer in forward order, run the
 * data batch, measure the variance of the layer's output and divide its weights by the measured standard
 * deviation, until {@code |Var - 1| < tolerance} (0.1) or {@code maxIterations} (10) passes. Each pass stops
 * right after the layer being scaled (later layers do not matter yet), in training mode with fixed dropout
 * masks and without recording gradients; batch-norm running statistics are restored afterwards. Attention
 * layers are scaled through their output projection.
 */
public final class Lsuv implements InitMethod {
    private final double tolerance;
    private final int maxIterations;

    /** Tolerance 0.1, at most 10 passes per layer (the paper's settings). */
    public Lsuv() {
        this(0.1, 10);
    }

    public Lsuv(double tolerance, int maxIterations) {
        if (!(tolerance > 0) || maxIterations < 1) {
            throw new IllegalArgumentException("Lsuv: need tolerance > 0 and maxIterations >= 1, got " + tolerance + ", " + maxIterations);
        }
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    @Override
    public String name() {
        return "lsuv";
    }

    @Override
    public boolean needsData() {
        return true;
    }

    @Override
    public InitReport initialize(Model model, long seed, Tensor... sample) {
        run(model, seed, sample);
        return null;
    }

    /** Runs LSUV and returns the last measured output variance of each weighted node, in forward order. */
    public LinkedHashMap<String, Double> run(Model model, long seed, Tensor... sample) {
        if (sample == null || sample.length != model.inputs().size()) {
            throw new IllegalArgumentException("LSUV needs a data sample: one batched tensor per model input (" + model.inputs().size()
                    + "), got " + (sample == null ? 0 : sample.length));
        }
        InitScheme.of((Initializer) Initializers.orthogonal(1.0)).apply(model, seed);
        LinkedHashMap<String, Double> result = new LinkedHashMap<>();
        BufferSnapshot buffers = BufferSnapshot.of(model);
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (Node target : weightedNodes(model, sample, seed)) {
                List<Parameter> scaled = scaledWeights(target.layer());
                double var = measure(model, target.name(), sample, seed);
                for (int it = 1; it < maxIterations && Math.abs(var - 1) >= tolerance && var > 0 && Double.isFinite(var); it++) {
                    double f = 1 / Math.sqrt(var);
                    for (Parameter p : scaled) {
                        p.value().scale_(f);
                    }
                    var = measure(model, target.name(), sample, seed);
                }
                result.put(target.name(), var);
            }
        } finally {
            buffers.restore();
        }
        return result;
    }

    /** Nodes (inner nodes of blocks included) whose layer owns trainable weights, first use of each layer, in forward order. */
    private static List<Node> weightedNodes(Model model, Tensor[] sample, long seed) {
        List<Node> out = new ArrayList<>();
        Set<Layer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ForwardContext ctx = ForwardContext.training(new SplittableRandom(seed)).observe((node, t) -> {
            Layer l = node.layer();
            if (l != null && !(l instanceof Block) && !scaledWeights(l).isEmpty() && seen.add(l)) {
                out.add(node);
            }
        });
        model.forwardAll(ctx, sample);
        return out;
    }

    private static List<Parameter> scaledWeights(Layer l) {
        List<Parameter> out = new ArrayList<>();
        if (l instanceof MultiHeadAttention mha) {
            if (mha.output().weight().trainable()) {
                out.add(mha.output().weight());
            }
            return out;
        }
        for (Parameter p : l.parameters()) {
            if ((p.kind() == ParamKind.WEIGHT || p.kind() == ParamKind.EMBEDDING) && p.trainable()) {
                out.add(p);
            }
        }
        return out;
    }

    /** Thrown by the observer to end a pass once the target node has been seen. */
    private static final class Stop extends RuntimeException {
        final double variance;

        Stop(double variance) {
            super(null, null, false, false);
            this.variance = variance;
        }
    }

    private static double measure(Model model, String node, Tensor[] sample, long seed) {
        ForwardContext ctx = ForwardContext.training(new SplittableRandom(seed)).observe((n, t) -> {
            if (n.name().equals(node)) {
                throw new Stop(Trace.meanAndVariance(t)[1]);
            }
        });
        try {
            model.forwardAll(ctx, sample);
        } catch (Stop s) {
            return s.variance;
        }
        throw new IllegalStateException("LSUV: node '" + node + "' was not reached by the forward pass");
    }
}
