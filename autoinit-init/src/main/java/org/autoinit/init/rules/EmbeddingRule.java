package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.nn.layers.Embedding;

/**
 * Embedding lookup: the output entries are entries of the table, so drawing the rows with variance s gives
 * output (0, s) whatever the ids (tokens are independent of the draw); a frozen table contributes its actual
 * moments (ids taken as uniform). The input (ids) is not a signal and is ignored.
 */
public final class EmbeddingRule implements MomentRule<Embedding> {
    @Override
    public Signal apply(Embedding layer, List<Signal> inputs, RuleContext ctx) {
        return ctx.embedding(layer.weight());
    }
}
