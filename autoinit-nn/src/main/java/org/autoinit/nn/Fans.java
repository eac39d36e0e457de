package org.autoinit.nn;

/**
 * fan_in / fan_out of a weighted layer: Dense (in, out); Conv ({@code C_in/groups * prod(kernel)},
 * {@code C_out/groups * prod(kernel)}) (fan_in as PyTorch; PyTorch's fan_out omits the division by groups,
 * here it counts the outputs each input really feeds); Embedding {@code [vocab, dim]} (dim, vocab) as PyTorch. Initializers take fans from here; nothing guesses fans from a tensor shape.
 */
public record Fans(int fanIn, int fanOut) {
    public Fans {
        if (fanIn <= 0 || fanOut <= 0) {
            throw new IllegalArgumentException("Fans: fan_in and fan_out must be positive, got (" + fanIn + ", " + fanOut + ")");
        }
    }

    /** (fan_in + fan_out) / 2, as Glorot's FAN_AVG mode uses it. */
    public double fanAvg() {
        return (fanIn + fanOut) / 2.0;
    }
}
