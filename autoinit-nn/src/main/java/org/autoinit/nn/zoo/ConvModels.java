package org.autoinit.nn.zoo;

import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.Flatten;
import org.autoinit.nn.layers.GlobalAvgPool;
import org.autoinit.nn.layers.MaxPool2d;
import org.autoinit.tensor.ops.ActivationKind;

/** Plain convolutional models of the peer: cnn and All-CNN-C. */
final class ConvModels {
    private ConvModels() {}

    /** conv(k, stride, pad) [-> BN] -> activation. */
    private static Node conv(ZooOptions o, String name, Node x, int out, int k, int stride, int pad) {
        boolean bn = o.normalization(false);
        Node y = Conv2d.builder(out, k).stride(stride).padding(pad).bias(!bn).name(name).build().apply(x);
        if (bn) {
            y = new BatchNorm(name + "_bn").apply(y);
        }
        return Parts.act(o, ActivationKind.RELU, name + "_act", y);
    }

    /**
     * cnn (peer b): [1,28,28] conv3x3(32)-act-conv3x3(64)-act-maxpool2-conv3x3(128)-act-maxpool2-flatten-Dense(10);
     * 155,402 parameters. Dropout (if set) after each pool.
     */
    static Model cnn(ZooOptions o) {
        Node in = Model.input("input", o.inputShape(1, 28, 28));
        Node x = conv(o, "conv1", in, 32, 3, 1, 1);
        x = conv(o, "conv2", x, 64, 3, 1, 1);
        x = Parts.drop(o, "drop1", new MaxPool2d("pool1", 2, 2, 2, 2, 0, 0).apply(x));
        x = conv(o, "conv3", x, 128, 3, 1, 1);
        x = Parts.drop(o, "drop2", new MaxPool2d("pool2", 2, 2, 2, 2, 0, 0).apply(x));
        x = new Flatten("flatten").apply(x);
        return Model.of(in, new Dense("fc", o.classes(10)).apply(x));
    }

    /**
     * All-CNN-C (Springenberg et al. 2015, model C; peer c): every conv with bias and followed by the activation,
     * 96,96,96/s2, 192,192,192/s2, 192 (3x3 valid), 192 (1x1), classes (1x1), global average pool;
     * 1,369,738 parameters. Dropout (if set) after each stride-2 conv, as the paper's pooling layers.
     */
    static Model allCnnC(ZooOptions o) {
        Node in = Model.input("input", o.inputShape(3, 32, 32));
        Node x = conv(o, "conv1", in, 96, 3, 1, 1);
        x = conv(o, "conv2", x, 96, 3, 1, 1);
        x = Parts.drop(o, "drop1", conv(o, "conv3", x, 96, 3, 2, 1));
        x = conv(o, "conv4", x, 192, 3, 1, 1);
        x = conv(o, "conv5", x, 192, 3, 1, 1);
        x = Parts.drop(o, "drop2", conv(o, "conv6", x, 192, 3, 2, 1));
        x = conv(o, "conv7", x, 192, 3, 1, 0);
        x = conv(o, "conv8", x, 192, 1, 1, 0);
        x = conv(o, "conv9", x, o.classes(10), 1, 1, 0);
        return Model.of(in, new GlobalAvgPool("gap").apply(x));
    }
}
