package org.autoinit.nn.init;

import java.util.random.RandomGenerator;

import org.autoinit.nn.Fans;
import org.autoinit.tensor.Tensor;

/**
 * Fills a parameter tensor in place. A function of the explicit fans reported by the layer, the tensor's
 * shape and a random generator; nothing is guessed from the shape. Presets are in {@link Initializers}.
 */
@FunctionalInterface
public interface Initializer {
    /** @param fans the layer's fans (may be null for initializers that do not use them, e.g. constants) */
    void initialize(Tensor target, Fans fans, RandomGenerator rng);
}
