package org.autoinit.nn.zoo;

import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.GlobalAvgPool;
import org.autoinit.nn.layers.MaxPool2d;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * Residual networks (He et al. 2016) with option-B projection shortcuts (1x1 conv stride s + BN) wherever
 * the stride or width changes. Convs have no bias when followed by BatchNorm; with normalization off the BNs
 * are dropped and the convs get biases. Residual joins are Add or WeightedSum (ZooOptions.merge).
 */
final class ResNets {
    private ResNets() {}

    /** conv [-> BN], no activation. */
    private static Node convBn(ZooOptions o, String name, Node x, int out, int k, int stride, int pad) {
        boolean bn = o.normalization(true);
        Node y = Conv2d.builder(out, k).stride(stride).padding(pad).bias(!bn).name(name).build().apply(x);
        return bn ? new BatchNorm(name.replace("conv", "bn")).apply(y) : y;
    }

    private static Node shortcut(ZooOptions o, String b, Node x, int out, int stride) {
        int cin = x.shape()[0];
        return stride != 1 || cin != out ? convBn(o, b + ".short_conv", x, out, 1, stride, 0) : x;
    }

    /**
     * CIFAR ResNet-(6n+2) (peer d is ResNet-20, 272,474 parameters; ResNet-56 has 855,770): stem conv3x3(16)-BN-act,
     * 3 stages x n BasicBlocks of widths 16/32/64 (first block of stages 2, 3 with stride 2), global average pool,
     * Dense(classes). BasicBlock: conv3x3-BN-act-conv3x3-BN, merged with the shortcut, then act.
     */
    static Model cifar(ZooOptions o, int depth) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("resnet: CIFAR ResNet depth must be 6n+2 (20, 32, 44, 56, 110, ...), got " + depth);
        }
        int n = (depth - 2) / 6;
        Node in = Model.input("input", o.inputShape(3, 32, 32));
        Node x = Parts.act(o, ActivationKind.RELU, "stem_act", convBn(o, "stem_conv", in, 16, 3, 1, 1));
        int[] widths = {16, 32, 64};
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < n; i++) {
                String b = "stage" + (s + 1) + ".block" + (i + 1);
                int stride = s > 0 && i == 0 ? 2 : 1;
                Node h = Parts.act(o, ActivationKind.RELU, b + ".act1", convBn(o, b + ".conv1", x, widths[s], 3, stride, 1));
                h = Parts.drop(o, b + ".drop", h);
                h = convBn(o, b + ".conv2", h, widths[s], 3, 1, 1);
                x = Parts.act(o, ActivationKind.RELU, b + ".act2", Parts.merge(o, b + ".merge", shortcut(o, b, x, widths[s], stride), h));
            }
        }
        x = new GlobalAvgPool("gap").apply(x);
        return Model.of(in, new Dense("fc", o.classes(10)).apply(x));
    }

    /**
     * ImageNet ResNet-50 (torchvision layout, 25,557,032 parameters at 1000 classes): conv7x7/2(64)-BN-act,
     * maxpool 3x3/2 pad 1, stages of 3/4/6/3 Bottlenecks (1x1 w, 3x3 w stride s, 1x1 4w; w = 64/128/256/512,
     * stride on the 3x3 as torchvision v1.5), global average pool, Dense(2048 -> classes).
     */
    static Model resnet50(ZooOptions o) {
        Node in = Model.input("input", o.inputShape(3, 224, 224));
        Node x = Parts.act(o, ActivationKind.RELU, "stem_act", convBn(o, "stem_conv", in, 64, 7, 2, 3));
        x = new MaxPool2d("stem_pool", 3, 3, 2, 2, 1, 1).apply(x);
        int[] blocks = {3, 4, 6, 3};
        for (int s = 0; s < 4; s++) {
            int w = 64 << s;
            for (int i = 0; i < blocks[s]; i++) {
                String b = "stage" + (s + 1) + ".block" + (i + 1);
                int stride = s > 0 && i == 0 ? 2 : 1;
                Node h = Parts.act(o, ActivationKind.RELU, b + ".act1", convBn(o, b + ".conv1", x, w, 1, 1, 0));
                h = Parts.act(o, ActivationKind.RELU, b + ".act2", convBn(o, b + ".conv2", h, w, 3, stride, 1));
                h = Parts.drop(o, b + ".drop", h);
                h = convBn(o, b + ".conv3", h, 4 * w, 1, 1, 0);
                x = Parts.act(o, ActivationKind.RELU, b + ".act3", Parts.merge(o, b + ".merge", shortcut(o, b, x, 4 * w, stride), h));
            }
        }
        x = new GlobalAvgPool("gap").apply(x);
        return Model.of(in, new Dense("fc", o.classes(1000)).apply(x));
    }
}
