package org.autoinit.nn.zoo;

import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.Flatten;
import org.autoinit.tensor.ops.ActivationKind;

/** Fully connected models: the peer's mlp, deep-mlp and the residual deep-resmlp. */
final class MlpModels {
    private MlpModels() {}

    /**
     * mlp (peer a): 784 -> 512 -> 512 -> 10, activation after each hidden Dense (669,706 parameters).
     * depth = hidden layers (2), width = hidden units (512). deep-mlp: the same with defaults 24 x 128.
     * Hidden block: Dense [-> BatchNorm if normalization] -> activation [-> Dropout].
     */
    static Model mlp(ZooOptions o, int defaultDepth, int defaultWidth) {
        int depth = o.depth(defaultDepth), width = o.width(defaultWidth);
        Node in = Model.input("input", o.inputShape(784));
        Node x = in.shape().length == 1 ? in : new Flatten("flatten").apply(in);
        for (int i = 1; i <= depth; i++) {
            x = new Dense("fc" + i, width).apply(x);
            if (o.normalization(false)) {
                x = new BatchNorm("bn" + i).apply(x);
            }
            x = Parts.act(o, ActivationKind.RELU, "act" + i, x);
            x = Parts.drop(o, "drop" + i, x);
        }
        return Model.of(in, new Dense("fc" + (depth + 1), o.classes(10)).apply(x));
    }

    /**
     * deep-resmlp: stem Dense(width), then {@code depth} blocks {@code x <- merge(x, fc_b(act(fc_a(x))))}
     * (Add or WeightedSum; no normalization unless asked: then BatchNorm before the activation), then
     * Dense(classes) on the stream. Defaults 16 blocks x 128.
     */
    static Model deepResMlp(ZooOptions o) {
        int depth = o.depth(16), width = o.width(128);
        Node in = Model.input("input", o.inputShape(784));
        Node x = in.shape().length == 1 ? in : new Flatten("flatten").apply(in);
        x = new Dense("stem", width).apply(x);
        for (int i = 1; i <= depth; i++) {
            String b = "block" + i;
            Node h = new Dense(b + ".fc_a", width).apply(x);
            if (o.normalization(false)) {
                h = new BatchNorm(b + ".bn").apply(h);
            }
            h = Parts.act(o, ActivationKind.RELU, b + ".act", h);
            h = Parts.drop(o, b + ".drop", h);
            h = new Dense(b + ".fc_b", width).apply(h);
            x = Parts.merge(o, b + ".merge", x, h);
        }
        return Model.of(in, new Dense("head", o.classes(10)).apply(x));
    }
}
