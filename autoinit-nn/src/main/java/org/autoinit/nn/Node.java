package org.autoinit.nn;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One application of a layer in a graph (or a model input). Created by {@link Layer#apply(Node...)} and
 * {@link Model#input(String, int...)}; immutable. Its shape is per sample (batch dimension excluded).
 */
public final class Node {
    private static final AtomicLong SEQ = new AtomicLong();
    private static final java.util.concurrent.atomic.AtomicInteger INPUTS = new java.util.concurrent.atomic.AtomicInteger();

    private final String name;
    private final Layer layer;
    private final List<Node> inbound;
    private final int[] shape;
    /** Creation order; creation order is always a valid topological order. */
    final long seq = SEQ.incrementAndGet();

    Node(String name, Layer layer, List<Node> inbound, int[] shape) {
        this.name = name;
        this.layer = layer;
        this.inbound = List.copyOf(inbound);
        this.shape = shape.clone();
    }

    static Node newInput(String name, int[] shape) {
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("Model.input: sample shape " + Arrays.toString(shape) + " must have positive sizes");
            }
        }
        return new Node(name != null ? name : "input_" + INPUTS.incrementAndGet(), null, List.of(), shape);
    }

    /** Unique within a model: the layer's name, "name_2" for a shared layer's second use, or the input's name. */
    public String name() {
        return name;
    }

    /** The layer applied, or null for an input node. */
    public Layer layer() {
        return layer;
    }

    public List<Node> inbound() {
        return inbound;
    }

    /** Per-sample output shape. */
    public int[] shape() {
        return shape.clone();
    }

    public boolean isInput() {
        return layer == null;
    }

    @Override
    public String toString() {
        return "Node(" + name + (layer != null ? ", " + layer.type() : ", input") + ", " + Arrays.toString(shape) + ")";
    }
}
