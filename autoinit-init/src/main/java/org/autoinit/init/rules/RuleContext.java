package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;

/**
 * What a {@link MomentRule} may use while handling one node: the AutoInit options, weight drawing for
 * weighted layers (which also records the choice in the report), dispatch of child layers, and notes.
 */
public interface RuleContext {

    /**
     * True while initializing; false in {@code AutoInit.predict}, where rules must not change the model
     * (weights are then summarized from their actual values).
     */
    boolean initializing();

    /**
     * True in {@code AutoInit.analyze}: the pass computes what AutoInit would do but must not change the model
     * (no weights drawn, no coefficients set); weighted layers then report their output on average over draws.
     */
    default boolean dryRun() {
        return false;
    }

    /**
     * Whether feature maps carry per-position statistics ({@link PositionStats}): true when the model flattens a
     * {@code [C, H, W]} map (a Dense then reads every position separately) and weights are drawn or given.
     */
    default boolean positionMaps() {
        return false;
    }

    /** The target variance s of every weighted layer's output. */
    double signalVariance();

    /** Whether dropout's training-mode scaling is accounted for ({@code q' = q / (1 - p)}); otherwise dropout is the identity. */
    boolean dropoutAdjustment();

    /** Whether WeightedSum coefficients set by the user are kept (otherwise AutoInit sets {@code a_i = sqrt(s / (N v_i))}). */
    boolean keepWeightedSumCoefficients();

    /**
     * A weighted layer (see {@link WeightSpec}): draws the weight with variance {@code s / (fan_in E[x^2])}
     * (fan_in effective: zero padding counted) and zeroes the bias, then returns the output signal: mean 0 and
     * second moment s on average over draws (with {@code exactOutputVariance}, variance exactly s for the drawn
     * weights), with per-unit statistics of the drawn weights. A frozen weight, or one already drawn (a shared
     * layer's later use), is left alone and the output is predicted from its actual values.
     */
    Signal weighted(WeightSpec spec, Signal input);

    /** An embedding table: rows drawn with variance s (or, when frozen, the table's actual moments). */
    Signal embedding(Parameter table);

    /** Runs the registered rule of {@code child} (a sub-layer of a composite layer) on {@code inputs}, as a report entry of its own. */
    Signal child(Layer child, List<Signal> inputs);

    /**
     * Walks the nodes of an inner graph (a {@code Block}'s subgraph) with {@code inputs} on its input nodes,
     * each inner node getting a report entry under its own name; returns the signal of its (first) output.
     */
    Signal subgraph(Model inner, List<Signal> inputs);

    /** Adds a remark to this node's report entry (approximations used, coefficients set, ...). */
    void note(String text);
}
