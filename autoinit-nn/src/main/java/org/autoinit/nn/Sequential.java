package org.autoinit.nn;

/** A model that applies layers one after another. */
public final class Sequential {
    private Sequential() {}

    /** Chains {@code layers} from an input of per-sample shape {@code inputShape}. */
    public static Model of(int[] inputShape, Layer... layers) {
        if (layers.length == 0) {
            throw new IllegalArgumentException("Sequential.of: needs at least one layer");
        }
        Node in = Model.input("input", inputShape);
        Node x = in;
        for (Layer l : layers) {
            x = l.apply(x);
        }
        return Model.of(in, x);
    }
}
