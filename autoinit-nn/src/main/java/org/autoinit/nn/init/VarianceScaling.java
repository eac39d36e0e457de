package org.autoinit.nn.init;

import java.util.random.RandomGenerator;

import org.autoinit.nn.Fans;
import org.autoinit.tensor.Tensor;

/**
 * The one core of the classic schemes: zero-mean weights with variance {@code scale / fan}, fan chosen by
 * {@code mode}, drawn from {@code distribution} (Keras's VarianceScaling). Glorot is (1, FAN_AVG), He
 * (2, FAN_IN), LeCun (1, FAN_IN); PyTorch's Linear/Conv default is (1/3, FAN_IN, UNIFORM).
 */
public record VarianceScaling(double scale, FanMode mode, Distribution distribution) implements Initializer {
    public VarianceScaling {
        if (!(scale > 0) || !Double.isFinite(scale) || mode == null || distribution == null) {
            throw new IllegalArgumentException("VarianceScaling: need scale > 0, a fan mode and a distribution, got "
                    + scale + ", " + mode + ", " + distribution);
        }
    }

    /** The variance this initializer gives for these fans: {@code scale / fan}. */
    public double variance(Fans fans) {
        return scale / mode.of(fans);
    }

    @Override
    public void initialize(Tensor target, Fans fans, RandomGenerator rng) {
        if (fans == null) {
            throw new IllegalArgumentException("VarianceScaling: the parameter has no fans (only weights, embeddings and their biases do)");
        }
        Sampling.fill(target, distribution, Math.sqrt(variance(fans)), rng);
    }
}
