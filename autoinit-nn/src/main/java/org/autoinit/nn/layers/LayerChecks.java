package org.autoinit.nn.layers;

import java.util.Arrays;

import org.autoinit.nn.Layer;

/** Shape checks shared by layers; messages name the layer and the shapes, PyTorch-style. */
final class LayerChecks {
    private LayerChecks() {}

    static void single(Layer l, int[][] in) {
        if (in.length != 1) {
            throw new IllegalArgumentException(l + " expects exactly one input, got " + in.length);
        }
    }

    /** One input of the given per-sample rank; {@code what} names the dimensions, e.g. "(C, H, W)". */
    static void rank(Layer l, int[][] in, int rank, String what) {
        single(l, in);
        if (in[0].length != rank) {
            throw new IllegalArgumentException(l + ": input of per-sample shape " + Arrays.toString(in[0]) + " must have rank "
                    + rank + " " + what + " (batch dimension excluded)");
        }
    }

    /** At least {@code min} inputs, all of one shape. */
    static void sameShapes(Layer l, int[][] in, int min) {
        if (in.length < min) {
            throw new IllegalArgumentException(l + " expects at least " + min + " inputs, got " + in.length);
        }
        for (int i = 1; i < in.length; i++) {
            if (!Arrays.equals(in[i], in[0])) {
                throw new IllegalArgumentException(l + ": inputs must have equal shapes, got " + Arrays.toString(in[0]) + " and "
                        + Arrays.toString(in[i]) + " (input " + i + ")");
            }
        }
    }

    static void positive(Layer l, String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(l + ": " + what + " must be positive, got " + v);
        }
    }
}
