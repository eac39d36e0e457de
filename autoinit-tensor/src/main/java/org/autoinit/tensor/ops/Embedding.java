package org.autoinit.tensor.ops;

import java.util.Arrays;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;

/** Embedding lookup, as {@code F.embedding}: rows of a weight table selected by integer ids. */
public final class Embedding {
    private Embedding() {}

    /**
     * {@code out[..., :] = weight[ids[...], :]} for weight {@code [V, D]} and ids laid out in
     * {@code idsShape} (omitted: {@code [ids.length]}), giving {@code [...idsShape, D]}.
     * dWeight[v] = sum of the output gradient rows whose id is v (repeated ids add up).
     */
    public static Tensor lookup(Tensor weight, int[] ids, int... idsShape) {
        String op = "embedding";
        int[] ws = weight.shape();
        if (ws.length != 2) {
            throw new IllegalArgumentException(op + ": weight of shape " + Shape.str(ws) + " must have rank 2 (num_embeddings, dim)");
        }
        int[] is = idsShape.length == 0 ? new int[] {ids.length} : Shape.checked(idsShape);
        if (Shape.numel(is) != ids.length) {
            throw new IllegalArgumentException(op + ": " + ids.length + " ids do not fill ids shape " + Shape.str(is));
        }
        int v = ws[0], d = ws[1];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= v) {
                throw new IllegalArgumentException(op + ": id " + ids[i] + " at index " + i + " is out of range for " + v + " embeddings");
            }
        }
        int[] idx = ids.clone();
        int[] os = Arrays.copyOf(is, is.length + 1);
        os[is.length] = d;
        Tensor out = Tensor.zeros(weight.dtype(), os);
        boolean f32 = weight.dtype() == DType.FLOAT32;
        for (int i = 0; i < idx.length; i++) {
            if (f32) System.arraycopy(weight.floatData(), idx[i] * d, out.floatData(), i * d, d);
            else System.arraycopy(weight.doubleData(), idx[i] * d, out.doubleData(), i * d, d);
        }
        return Tensor.record(op, out, g -> {
            Tensor dw = Tensor.zeros(weight.dtype(), ws);
            if (f32) {
                float[] gs = g.floatData(), dws = dw.floatData();
                for (int i = 0; i < idx.length; i++) {
                    for (int k = 0, src = i * d, dst = idx[i] * d; k < d; k++) dws[dst + k] += gs[src + k];
                }
            } else {
                double[] gs = g.doubleData(), dws = dw.doubleData();
                for (int i = 0; i < idx.length; i++) {
                    for (int k = 0, src = i * d, dst = idx[i] * d; k < d; k++) dws[dst + k] += gs[src + k];
                }
            }
            weight.accumulateGrad(dw);
        }, weight);
    }
}
