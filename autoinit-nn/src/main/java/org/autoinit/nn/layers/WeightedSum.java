package org.autoinit.nn.layers;

import java.util.Arrays;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Layer;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.Tensor;

/**
 * {@code y = sum_i a_i x_i} with fixed, non-trainable coefficients {@code a_i} (a BUFFER parameter named
 * "coefficients", so checkpoints keep them). Starts as a plain sum (all 1); AutoInit sets
 * {@code a_i = sqrt(s / (N v_i))} through {@link #setCoefficients} so a residual stream keeps variance s.
 */
public final class WeightedSum extends Layer {
    private double[] pending;
    private Parameter coefficients;

    public WeightedSum() {
        this(null);
    }

    public WeightedSum(String name) {
        super(name);
    }

    /** Coefficients fixed at construction (e.g. {@code 1/sqrt(2)} each); overwritable with {@link #setCoefficients}. */
    public WeightedSum(String name, double... coefficients) {
        super(name);
        this.pending = coefficients.clone();
    }

    @Override
    protected int[] doBuild(int[][] in) {
        LayerChecks.sameShapes(this, in, 2);
        if (pending != null && pending.length != in.length) {
            throw new IllegalArgumentException(this + ": " + pending.length + " coefficients for " + in.length + " inputs");
        }
        coefficients = addParameter("coefficients", ParamKind.BUFFER, new int[] {in.length}, null);
        for (int i = 0; i < in.length; i++) {
            coefficients.value().setFlat(i, pending != null ? pending[i] : 1.0);
        }
        return in[0].clone();
    }

    /** Sets one coefficient per input (before build: remembered; after: written into the buffer). */
    public void setCoefficients(double... a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(this + ": coefficients must be finite, got " + Arrays.toString(a));
            }
        }
        if (!isBuilt()) {
            pending = a.clone();
            return;
        }
        if (a.length != coefficients.numel()) {
            throw new IllegalArgumentException(this + ": expected " + coefficients.numel() + " coefficients, got " + a.length);
        }
        for (int i = 0; i < a.length; i++) {
            coefficients.value().setFlat(i, a[i]);
        }
    }

    /** The current coefficients. */
    public double[] coefficients() {
        if (!isBuilt()) {
            return pending != null ? pending.clone() : null;
        }
        return coefficients.value().toDoubleArray();
    }

    @Override
    protected Tensor doForward(ForwardContext ctx, Tensor[] inputs) {
        Tensor y = inputs[0].mul(coefficients.value().getFlat(0));
        for (int i = 1; i < inputs.length; i++) {
            y = y.add(inputs[i].mul(coefficients.value().getFlat(i)));
        }
        return y;
    }
}
