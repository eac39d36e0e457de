package org.autoinit.nn.zoo;

import org.autoinit.nn.Node;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Add;
import org.autoinit.nn.layers.Dropout;
import org.autoinit.nn.layers.WeightedSum;
import org.autoinit.tensor.ops.ActivationKind;

/** Small building steps shared by the zoo's model definitions. */
final class Parts {
    private Parts() {}

    /** The configured activation, named {@code name}. */
    static Node act(ZooOptions o, ActivationKind modelDefault, String name, Node x) {
        Activation.Builder b = Activation.builder(o.activation(modelDefault)).name(name);
        if (!Double.isNaN(o.alpha())) {
            b.alpha(o.alpha());
        }
        if (o.activationShift() != 0) {
            b.centred(o.activationShift());
        }
        return b.build().apply(x);
    }

    /** Dropout when the rate is positive, else x unchanged. */
    static Node drop(ZooOptions o, String name, Node x) {
        return o.dropout() > 0 ? new Dropout(name, o.dropout()).apply(x) : x;
    }

    /** Residual join: Add, or WeightedSum starting at coefficients (1, 1). */
    static Node merge(ZooOptions o, String name, Node stream, Node branch) {
        return o.merge() == ZooOptions.Merge.ADD ? new Add(name).apply(stream, branch) : new WeightedSum(name).apply(stream, branch);
    }
}
