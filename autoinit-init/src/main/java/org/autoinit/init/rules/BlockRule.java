package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.nn.Block;

/**
 * A {@link Block} (transformer encoder block, residual block, any user subgraph): its inner graph is walked
 * node by node with the block's input signals, every inner layer handled by its own rule (and reported under
 * its own node name, as forward observers see it); the block outputs the inner output's signal.
 */
public final class BlockRule implements MomentRule<Block> {
    @Override
    public Signal apply(Block layer, List<Signal> inputs, RuleContext ctx) {
        return ctx.subgraph(layer.innerModel(), inputs);
    }
}
