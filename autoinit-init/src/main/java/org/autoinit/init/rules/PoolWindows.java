package org.autoinit.init.rules;

import java.util.TreeMap;

import org.autoinit.nn.layers.Pooling2d;

/** How many real (not padded) entries each output window of a 2-d pooling layer sees, as {count: fraction of outputs}. */
final class PoolWindows {
    private PoolWindows() {}

    static TreeMap<Integer, Double> counts(Pooling2d layer) {
        int[] in = layer.inputShapes()[0];
        int[] out = layer.outputShape();
        int[] k = layer.window(), s = layer.stride(), p = layer.padding();
        TreeMap<Integer, Double> byCount = new TreeMap<>();
        double each = 1.0 / ((double) out[1] * out[2]);
        int[] rows = new int[out[1]];
        for (int o = 0; o < out[1]; o++) {
            rows[o] = ValidTaps.count(o, in[1], k[0], s[0], p[0], 1);
        }
        for (int o = 0; o < out[2]; o++) {
            int cols = ValidTaps.count(o, in[2], k[1], s[1], p[1], 1);
            for (int r : rows) {
                byCount.merge(r * cols, each, Double::sum);
            }
        }
        return byCount;
    }
}
