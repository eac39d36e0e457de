package org.autoinit.init.rules;

import java.util.List;
import java.util.function.UnaryOperator;

import org.autoinit.init.moments.Moments;
import org.autoinit.nn.Layer;

/**
 * Maps the signals entering one application of a layer to the signal it outputs (AutoInit's per-layer step).
 * Rules of weighted layers also choose the weights, through {@link RuleContext#weighted}. Every built-in rule
 * states its derivation in its Javadoc and has a Monte Carlo test on the real layer.
 *
 * <p>Register a rule for your own layer type with {@code AutoInit.builder().rule(MyLayer.class, rule)}; the
 * rule of the most specific registered superclass of a layer's class is used.
 *
 * @param <L> the layer type the rule handles
 */
@FunctionalInterface
public interface MomentRule<L extends Layer> {

    /**
     * @param layer  the layer (built)
     * @param inputs one signal per inbound node, in order
     * @param ctx    options, weight drawing and the report entry of this node
     * @return the output signal
     */
    Signal apply(L layer, List<Signal> inputs, RuleContext ctx);

    /** A rule for single-input layers that only maps moments (no shared part, no provenance), e.g. {@code m -> m}. */
    static <L extends Layer> MomentRule<L> ofMoments(UnaryOperator<Moments> f) {
        return (layer, inputs, ctx) -> {
            if (inputs.size() != 1) {
                throw new IllegalArgumentException(layer + ": a moments-only rule needs exactly one input, got " + inputs.size());
            }
            return Signal.of(f.apply(inputs.get(0).moments()));
        };
    }

    /** The identity rule: the output signal is the input signal (shape-only layers). */
    static <L extends Layer> MomentRule<L> identity() {
        return (layer, inputs, ctx) -> {
            if (inputs.size() != 1) {
                throw new IllegalArgumentException(layer + ": the identity rule needs exactly one input, got " + inputs.size());
            }
            return inputs.get(0);
        };
    }
}
