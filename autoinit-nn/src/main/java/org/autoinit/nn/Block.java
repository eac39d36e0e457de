package org.autoinit.nn;

import java.util.ArrayList;
import java.util.List;

import org.autoinit.tensor.Tensor;

/**
 * A layer defined as a subgraph of other layers (a transformer block, a residual block). Subclasses
 * implement {@link #define(Node...)} with the functional API; at build time the subgraph is created from
 * inner input nodes of the given shapes and becomes an inner {@link Model} ({@link #innerModel()}), whose
 * layers are this block's children. Name inner layers with {@link #childName(String)} ("block.ln1") so their
 * parameters appear as "block.ln1.gamma". Observers of a forward pass also see the inner nodes.
 */
public abstract class Block extends Layer {
    private Model inner;

    protected Block(String name) {
        super(name);
    }

    /** Builds the subgraph on {@code inputs} (inner input nodes) and returns its output node. */
    protected abstract Node define(Node... inputs);

    @Override
    protected final int[] doBuild(int[][] inputShapes) {
        List<Node> ins = new ArrayList<>();
        for (int i = 0; i < inputShapes.length; i++) {
            ins.add(Model.input(childName("in" + i), inputShapes[i]));
        }
        Node out = define(ins.toArray(new Node[0]));
        inner = Model.of(ins, List.of(out));
        for (Layer l : inner.layers()) {
            if (l.dtype() != dtype()) {
                l.to(dtype());
            }
            addChild(l);
        }
        return out.shape();
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        return inner.forwardAll(ctx, inputs).get(0);
    }

    /** The subgraph (after build), for analyses that walk into blocks (moment propagation, traces). */
    public Model innerModel() {
        requireBuilt();
        return inner;
    }
}
