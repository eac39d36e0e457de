package org.autoinit.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.autoinit.tensor.Tensor;

/**
 * Per-call state of a forward pass: training flag (dropout, batch statistics), the random generator that
 * dropout draws from, and observers of node outputs. Create one per pass (or per training step).
 */
public final class ForwardContext {
    private final boolean training;
    private final RandomGenerator rng;
    private final List<NodeObserver> observers = new ArrayList<>();

    private ForwardContext(boolean training, RandomGenerator rng) {
        this.training = training;
        this.rng = rng;
    }

    /** Training mode: dropout active (drawing from {@code rng}), batch norm uses and updates batch statistics. */
    public static ForwardContext training(RandomGenerator rng) {
        if (rng == null) {
            throw new IllegalArgumentException("ForwardContext.training: a random generator is required (dropout draws from it)");
        }
        return new ForwardContext(true, rng);
    }

    /** Inference mode: dropout is the identity, batch norm uses its running statistics. */
    public static ForwardContext eval() {
        return new ForwardContext(false, null);
    }

    public boolean training() {
        return training;
    }

    /** The generator for stochastic layers; throws in eval mode, where no layer should need one. */
    public RandomGenerator rng() {
        if (rng == null) {
            throw new IllegalStateException("ForwardContext: eval mode has no random generator");
        }
        return rng;
    }

    /** Adds an observer (this context is returned, so calls chain); it is called after each node, inner nodes of blocks included. */
    public ForwardContext observe(NodeObserver o) {
        observers.add(o);
        return this;
    }

    /** Whether any observer is attached (then every node's output is computed and reported: no fused nodes). */
    public boolean hasObservers() {
        return !observers.isEmpty();
    }

    /** Reports a node's output to every observer. */
    public void notify(Node node, Tensor output) {
        for (NodeObserver o : observers) {
            o.onOutput(node, output);
        }
    }
}
