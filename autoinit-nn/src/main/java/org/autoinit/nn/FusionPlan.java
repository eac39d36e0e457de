package org.autoinit.nn;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.tensor.Tensor;

/**
 * Which nodes a {@link Model} runs as one fused op. Two shapes of group, both ending in a tail node that reads one node:
 * <ul>
 * <li>a pair: the tail reads a head whose layer {@link Layer#fusesWith} the tail's (BatchNorm then ReLU);</li>
 * <li>a merge: the tail reads a two-input merge node, one of whose inputs is a head whose layer
 * {@link Layer#fusesWithMerge} the merge's and the tail's (BatchNorm, the shortcut added, ReLU);</li>
 * <li>a merge tail: the tail is itself the two-input merge and one of its inputs a head whose layer
 * {@link Layer#fusesWithMerge} it, with no next layer (a Dense projection, then the residual Add).</li>
 * </ul>
 * Every node a group absorbs is read by exactly one node (the next in the group) and is not a model output. The
 * layer graph is untouched (summaries, parameter names, AutoInit's moment walk and checkpoints see every layer);
 * only execution changes: the absorbed outputs are never materialized, so backward keeps no copy of them. Passes
 * with observers run every node (observers see each output). {@code -Dautoinit.fuse=false} turns fusion off.
 */
final class FusionPlan {
    static final boolean ENABLED = !"false".equals(System.getProperty("autoinit.fuse"));

    /**
     * A fused group ending at a tail: {@code head}, and {@code merge} reading head at input {@code slot} (null for a
     * pair; the tail itself for a merge tail).
     */
    record Group(Node head, Node merge, int slot) {
        Tensor run(ForwardContext ctx, Node tail, Map<Node, Tensor> values) {
            Tensor[] args = new Tensor[head.inbound().size()];
            for (int i = 0; i < args.length; i++) {
                args[i] = values.get(head.inbound().get(i));
            }
            if (merge == null) {
                return head.layer().forwardFused(ctx, tail.layer(), args);
            }
            Tensor other = values.get(merge.inbound().get(1 - slot));
            return head.layer().forwardFusedMerge(ctx, merge.layer(), slot, other, merge == tail ? null : tail.layer(), args);
        }
    }

    private final Map<Node, Group> groupOfTail = new IdentityHashMap<>();
    private final Map<Node, Boolean> absorbed = new IdentityHashMap<>();

    FusionPlan(List<Node> nodes, List<Node> outputs) {
        Map<Node, Integer> reads = new IdentityHashMap<>();
        for (Node n : nodes) {
            for (Node in : n.inbound()) {
                reads.merge(in, 1, Integer::sum);
            }
        }
        for (Node o : outputs) {
            reads.merge(o, 1, Integer::sum); // an output is read by the caller
        }
        for (Node tail : nodes) {
            if (!tail.isInput() && tail.inbound().size() == 2 && tail.inbound().get(0) != tail.inbound().get(1)) {
                for (int slot = 0; slot < 2; slot++) {
                    Node head = tail.inbound().get(slot);
                    if (soleReader(head, reads) && !absorbed.containsKey(tail.inbound().get(1 - slot))
                            && head.layer().fusesWithMerge(tail.layer(), slot, null)) {
                        add(tail, new Group(head, tail, slot));
                        break;
                    }
                }
                continue;
            }
            if (tail.isInput() || tail.inbound().size() != 1) {
                continue;
            }
            Node p = tail.inbound().get(0);
            if (!soleReader(p, reads)) {
                continue;
            }
            if (p.layer().fusesWith(tail.layer())) {
                add(tail, new Group(p, null, 0));
                continue;
            }
            if (p.inbound().size() != 2 || p.inbound().get(0) == p.inbound().get(1)) {
                continue;
            }
            for (int slot = 0; slot < 2; slot++) {
                Node head = p.inbound().get(slot);
                if (soleReader(head, reads) && !absorbed.containsKey(p.inbound().get(1 - slot))
                        && head.layer().fusesWithMerge(p.layer(), slot, tail.layer())) {
                    absorbed.put(p, Boolean.TRUE);
                    add(tail, new Group(head, p, slot));
                    break;
                }
            }
        }
    }

    /** A computed node read by one node only, not an output, and not already part of a group. */
    private boolean soleReader(Node n, Map<Node, Integer> reads) {
        return !n.isInput() && reads.getOrDefault(n, 0) == 1 && !absorbed.containsKey(n) && !groupOfTail.containsKey(n);
    }

    private void add(Node tail, Group g) {
        groupOfTail.put(tail, g);
        absorbed.put(g.head(), Boolean.TRUE);
    }

    /** True when {@code n} is computed inside a later node's fused op (skip it). */
    boolean isAbsorbed(Node n) {
        return absorbed.containsKey(n);
    }

    /** The group ending at {@code n}, or null. */
    Group groupOf(Node n) {
        return groupOfTail.get(n);
    }

    /** Fused groups by tail (for tests and diagnostics). */
    Map<Node, Group> groups() {
        return Collections.unmodifiableMap(groupOfTail);
    }
}
