package org.autoinit.init;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.autoinit.init.moments.Moments;
import org.autoinit.init.rules.MomentRule;
import org.autoinit.init.rules.RuleContext;
import org.autoinit.init.rules.RuleRegistry;
import org.autoinit.init.rules.Signal;
import org.autoinit.init.rules.ChannelStats;
import org.autoinit.init.rules.WeightSpec;
import org.autoinit.init.rules.WeightedStats;
import org.autoinit.tensor.Tensor;
import org.autoinit.nn.Block;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Conv2d;
import org.autoinit.nn.layers.Flatten;
import org.autoinit.nn.layers.MaxPool2d;

/**
 * One AutoInit pass over a model: visits nodes in topological order, dispatches each layer to its rule and
 * collects the report. Implements the {@link RuleContext} the rules see. Single use, not thread-safe.
 */
final class Propagation implements RuleContext {
    private static final System.Logger LOG = System.getLogger(AutoInit.class.getName());

    /** Report entry under construction; its slot in the list is reserved when the node starts. */
    private static final class Frame {
        final String node, type;
        final int slot;
        String rule;
        List<Moments> inputs;
        final List<InitReport.WeightDraw> weights = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        Frame(String node, String type, int slot) {
            this.node = node;
            this.type = type;
            this.slot = slot;
        }
    }

    private final AutoInit options;
    private final boolean draw;
    /** AutoInit's analysis without touching the model ({@link AutoInit#analyze}): weighted layers give their expected output over draws. */
    private final boolean dryRun;
    /** With {@link #dryRun}: the analysis's variances are drawn as it goes ({@code realizedStatistics(false)}). */
    private final boolean writeDraws;
    private final RuleRegistry rules;
    private final SplittableRandom root;
    private final List<InitReport.Entry> entries = new ArrayList<>();
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    /** Weights already drawn in this pass: a shared layer's later uses predict from the actual values. */
    /** Whether feature maps carry per-position statistics (the model flattens a feature map). */
    private boolean positionMaps;
    private final Set<Parameter> drawn = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Dry run: the weights a real pass would draw, in draw order (each once). */
    private final Set<Parameter> plan = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Parameter> planOrder = new ArrayList<>();
    /** Real pass: standard draws made ahead on another thread (null: every fill draws its own). */
    private DrawAhead ahead;
    private int fills;

    Propagation(AutoInit options, boolean draw) {
        this(options, draw, false);
    }

    Propagation(AutoInit options, boolean draw, boolean dryRun) {
        this(options, draw, dryRun, false);
    }

    Propagation(AutoInit options, boolean draw, boolean dryRun, boolean writeDraws) {
        this.options = options;
        this.draw = draw;
        this.dryRun = dryRun;
        this.writeDraws = dryRun && writeDraws;
        this.rules = options.ruleTable();
        this.root = new SplittableRandom(options.seed());
    }

    InitReport run(Model model, List<Signal> inputSignals) {
        boolean chain = true, convs = false, nonlinear = false;
        for (Node n : model.nodes()) {
            positionMaps |= !dryRun && !n.isInput() && n.layer() instanceof Flatten && n.layer().inputShapes()[0].length == 3;
            chain &= n.inbound().size() <= 1 && (n.isInput() || !(n.layer() instanceof Block));
            convs |= !n.isInput() && n.layer() instanceof Conv2d;
            nonlinear |= !n.isInput() && (n.layer() instanceof Activation || n.layer() instanceof MaxPool2d);
        }
        // Per-position maps also for plain conv stacks (no merge, no block): every entry is then a conv output, close to
        // Gaussian, and zero padding's per-position constants reach the deep layers (All-CNN-C). Only where an activation
        // or max pool reads the entries (a linear stack's pooled moments are exact without them). After a residual Add
        // entries are far from Gaussian, and the per-entry model was measured worse on resnet20 (docs, section 6).
        positionMaps |= !dryRun && chain && convs && nonlinear;
        walk(model, inputSignals);
        return new InitReport(options.signalVariance(), entries);
    }

    /** As {@link #run}, drawing the weights of {@code plan} (a dry pass's {@link #plan()}) ahead on another thread. */
    InitReport run(Model model, List<Signal> inputSignals, List<Parameter> plan) {
        try (DrawAhead a = new DrawAhead(options.seed(), plan, options.distribution())) {
            ahead = a;
            return run(model, inputSignals);
        } finally {
            ahead = null;
        }
    }

    /** After a dry run: the weights a real pass draws, in its order. */
    List<Parameter> plan() {
        return List.copyOf(planOrder);
    }

    /** The next fill: the next split of the root stream, or the same values drawn ahead. */
    private void fill(Parameter p, double variance) {
        SplittableRandom rng = root.split();
        int index = fills++;
        if (ahead == null || !ahead.fill(index, p, variance)) {
            options.distribution().fill(p.value(), variance, rng);
        }
    }

    /**
     * As {@link #fill}, but returned unwritten when it can be (null: written already), for {@link WeightedStats#predict}
     * to write in its own pass: a truncated-normal fill (computed per entry, any range at any time) or a draw made ahead.
     */
    private WeightedStats.PendingFill fillPending(Parameter p, double variance) {
        SplittableRandom rng = root.split();
        int index = fills++;
        if (ahead == null && options.distribution() == WeightDistribution.TRUNCATED_NORMAL) {
            return WeightDistribution.truncatedNormalPending(p.value(), variance, rng);
        }
        DrawAhead.Draw d = ahead == null ? null : ahead.take(index, p, variance);
        if (d == null) {
            options.distribution().fill(p.value(), variance, rng);
        }
        return d;
    }

    private void planned(Parameter p) {
        if (plan.add(p)) {
            planOrder.add(p);
        }
    }

    /** Visits every node of {@code graph} (inputs get {@code inputSignals}); returns the signals of its outputs. */
    private List<Signal> walk(Model graph, List<Signal> inputSignals) {
        Map<Node, Signal> signals = new IdentityHashMap<>();
        for (int i = 0; i < graph.inputs().size(); i++) {
            Node in = graph.inputs().get(i);
            Signal s = inputSignals.get(i);
            signals.put(in, s);
            entries.add(new InitReport.Entry(in.name(), "Input", "input", List.of(), s.moments(), s.sharedVariance(), List.of(), List.of()));
        }
        for (Node n : graph.nodes()) {
            if (n.isInput()) {
                continue;
            }
            List<Signal> ins = new ArrayList<>(n.inbound().size());
            for (Node p : n.inbound()) {
                ins.add(signals.get(p));
            }
            signals.put(n, visit(n.name(), n.layer(), ins));
        }
        List<Signal> out = new ArrayList<>();
        for (Node o : graph.outputs()) {
            out.add(signals.get(o));
        }
        return out;
    }

    /** Applies the rule of {@code layer} as node {@code name}, recording one report entry. */
    Signal visit(String name, Layer layer, List<Signal> ins) {
        Frame f = new Frame(name, layer.type(), entries.size());
        entries.add(null);
        f.inputs = new ArrayList<>();
        for (Signal s : ins) {
            f.inputs.add(s.moments());
        }
        frames.push(f);
        Signal out;
        try {
            RuleRegistry.Registered r = rules.lookup(layer.getClass());
            if (r == null) {
                out = unknown(name, layer, ins, f);
            } else {
                f.rule = r.name();
                @SuppressWarnings("unchecked")
                MomentRule<Layer> rule = (MomentRule<Layer>) r.rule();
                out = rule.apply(layer, List.copyOf(ins), this);
                if (out == null) {
                    throw new IllegalStateException("AutoInit: the rule '" + r.name() + "' returned no signal for node '" + name + "' (" + layer + ")");
                }
            }
        } finally {
            frames.pop();
        }
        entries.set(f.slot, new InitReport.Entry(f.node, f.type, f.rule, f.inputs, out.moments(), out.sharedVariance(), f.weights, f.notes));
        return out;
    }

    private Signal unknown(String name, Layer layer, List<Signal> ins, Frame f) {
        String cls = layer.getClass().getName();
        String simple = layer.getClass().getSimpleName();
        if (options.unknownLayerPolicy() == UnknownLayerPolicy.FAIL || ins.isEmpty()) {
            throw new IllegalArgumentException("AutoInit: no moment rule for layer class " + cls + " (node '" + name + "'). Register one with "
                    + "AutoInit.builder().rule(" + simple + ".class, (layer, inputs, ctx) -> ...) returning the output Signal "
                    + "(e.g. MomentRule.ofMoments(m -> m) for a layer that keeps mean and second moment), or choose "
                    + ".unknownLayers(UnknownLayerPolicy.PASS_THROUGH) to treat unknown layers as the identity.");
        }
        LOG.log(Level.WARNING, "AutoInit: no moment rule for layer class {0} (node ''{1}''); passing its first input''s moments through "
                + "unchanged. Register a rule with AutoInit.builder().rule({2}.class, ...) for a reliable initialization.", cls, name, simple);
        f.rule = "pass-through";
        f.notes.add("no rule for " + cls + ": first input passed through");
        return ins.get(0).plain();
    }

    private Frame frame() {
        Frame f = frames.peek();
        if (f == null) {
            throw new IllegalStateException("AutoInit: rule context used outside of a rule");
        }
        return f;
    }

    @Override
    public boolean initializing() {
        return draw;
    }

    @Override
    public boolean positionMaps() {
        return positionMaps;
    }

    @Override
    public boolean dryRun() {
        return dryRun && !writeDraws;
    }

    @Override
    public double signalVariance() {
        return options.signalVariance();
    }

    @Override
    public boolean dropoutAdjustment() {
        return options.dropoutAdjustment();
    }

    @Override
    public boolean keepWeightedSumCoefficients() {
        return options.keepWeightedSumCoefficients();
    }

    @Override
    public Signal weighted(WeightSpec spec, Signal in) {
        Parameter weight = spec.weight(), bias = spec.bias();
        Frame f = frame();
        ChannelStats inCh = WeightedStats.inputChannels(spec, in);
        double fanIn = spec.fanIn();
        boolean fresh = draw && weight.trainable() && !drawn.contains(weight);
        if (!fresh) {
            double[] ms = meanAndSquare(weight.value());
            f.weights.add(new InitReport.WeightDraw(weight.qualifiedName(), fanIn, Math.sqrt(Math.max(0, ms[1] - ms[0] * ms[0])),
                    drawn.contains(weight) ? "shared" : "frozen", true));
            ChannelStats pred = WeightedStats.predict(spec, inCh);
            Signal exact = WeightedStats.withCovariance(spec, in, pred);
            return exact != null ? exact : Signal.of(pred);
        }
        double q = in.secondMoment();
        if (!(q > 0)) {
            throw new IllegalStateException("AutoInit: the input of " + weight.qualifiedName() + " (node '" + f.node + "') is predicted to be all "
                    + "zeros (E[x^2] = " + q + "), so no weight variance can give it variance " + signalVariance());
        }
        double s = signalVariance();
        double variance = s / (fanIn * q);
        if (dryRun) {
            planned(weight);
            if (writeDraws) {
                fill(weight, variance);
                drawn.add(weight);
                if (bias != null && bias.trainable()) {
                    bias.value().fill_(0);
                }
            }
            return expectedOverDraws(spec, inCh, variance, f);
        }
        WeightedStats.PendingFill pending = fillPending(weight, variance);
        drawn.add(weight);
        if (bias != null) {
            if (bias.trainable()) {
                bias.value().fill_(0);
            } else {
                f.notes.add("bias " + bias.qualifiedName() + " is frozen: its actual values are added");
            }
        }
        // A draw made ahead is written by the prediction's own pass over the weights, unit by unit.
        ChannelStats pred = WeightedStats.predict(spec, inCh, pending);
        if (pending instanceof DrawAhead.Draw d) {
            d.release();
        }
        Signal out = WeightedStats.withCovariance(spec, in, pred);
        out = out != null ? out : Signal.of(pred);
        if (options.exactOutputVariance() && (bias == null || bias.trainable())) {
            // Rescale the drawn weights so the output variance (pooled over units, as a forward pass measures it) is s
            // for THIS draw, not only on average. Zero biases leave each unit an offset sum_i w_ji E[x_i]; with few units
            // their average need not vanish, and aiming the second moment at s then left the variance at s - mean^2
            // (0.74 for a 10-channel head). When the offsets carry most of the energy (a layer of one or two units) the
            // second moment is capped at 4s instead of inflating the weights without bound.
            double a = Math.sqrt(s / Math.max(out.variance(), out.secondMoment() / 4));
            scale(weight.value(), a);
            out = out.covariance() != null ? WeightedStats.scaled(out, a) : Signal.of(WeightedStats.scaled(out.channels(), a));
            variance *= a * a;
        }
        f.weights.add(new InitReport.WeightDraw(weight.qualifiedName(), fanIn, Math.sqrt(variance), options.distribution().id(), false));
        return out;
    }

    /**
     * The output of a weighted layer on average over weight draws of variance {@code variance}, without drawing:
     * mean 0, second moment s, and as shared variance the expected spread of the per-channel constants
     * {@code sum_i w_ij m_i}: s times the input channels' share of squared means in their second moments.
     */
    private Signal expectedOverDraws(WeightSpec spec, ChannelStats in, double variance, Frame f) {
        double s = signalVariance(), m2 = 0, q = 0;
        for (int i = 0; i < in.count(); i++) {
            double m = in.mean(i);
            m2 += m * m;
            q += m * m + in.variance(i);
        }
        f.weights.add(new InitReport.WeightDraw(spec.weight().qualifiedName(), spec.fanIn(), Math.sqrt(variance), options.distribution().id(), false));
        f.notes.add(writeDraws ? "output predicted on average over draws (realizedStatistics off)"
                : "analysis only: weights not drawn, output predicted on average over draws");
        return Signal.of(new Moments(0, s), q > 0 ? s * m2 / q : 0);
    }

    @Override
    public Signal embedding(Parameter table) {
        Frame f = frame();
        double s = signalVariance();
        boolean fresh = draw && table.trainable() && !drawn.contains(table);
        if (fresh && dryRun) {
            planned(table);
            if (writeDraws) {
                fill(table, s);
                drawn.add(table);
            }
            f.weights.add(new InitReport.WeightDraw(table.qualifiedName(), 1, Math.sqrt(s), options.distribution().id(), false));
            return Signal.of(new Moments(0, s));
        }
        if (fresh) {
            fill(table, s);
            drawn.add(table);
        }
        double[] ms = meanAndSquare(table.value());
        f.weights.add(new InitReport.WeightDraw(table.qualifiedName(), 1, fresh ? Math.sqrt(s) : Math.sqrt(Math.max(0, ms[1] - ms[0] * ms[0])),
                fresh ? options.distribution().id() : drawn.contains(table) ? "shared" : "frozen", !fresh));
        return Signal.of(columns(table));
    }

    /** Per-feature mean and variance of a {@code [rows, dim]} table over its rows (ids taken as uniform). */
    private static ChannelStats columns(Parameter table) {
        Tensor t = table.value();
        int rows = t.dim(0), cols = t.numel() / rows;
        double[] m = new double[cols], q = new double[cols];
        for (int i = 0; i < rows * cols; i++) {
            double x = t.getFlat(i);
            m[i % cols] += x / rows;
            q[i % cols] += x * x / rows;
        }
        for (int c = 0; c < cols; c++) {
            q[c] = Math.max(0, q[c] - m[c] * m[c]);
        }
        return ChannelStats.of(ChannelStats.Axis.LAST, m, q);
    }

    /** {@code t *= a} in place, split over the cores (a pass over every weight of the model). */
    private static void scale(Tensor t, double a) {
        if (t.dtype() != org.autoinit.tensor.DType.FLOAT32) {
            t.scale_(a);
            return;
        }
        float[] x = t.floatData();
        float af = (float) a;
        org.autoinit.tensor.parallel.Parallel.forRange(x.length, 1 << 16, (from, to) -> {
            for (int i = from; i < to; i++) {
                x[i] *= af;
            }
        });
    }

    /** Mean and mean square of a tensor's entries. */
    static double[] meanAndSquare(Tensor t) {
        double s = 0, q = 0;
        int n = t.numel();
        for (int i = 0; i < n; i++) {
            double x = t.getFlat(i);
            s += x;
            q += x * x;
        }
        return new double[] {s / n, q / n};
    }

    @Override
    public Signal child(Layer child, List<Signal> inputs) {
        frame();
        return visit(child.name(), child, inputs);
    }

    @Override
    public Signal subgraph(Model inner, List<Signal> inputs) {
        frame();
        if (inputs.size() != inner.inputs().size()) {
            throw new IllegalArgumentException("AutoInit: subgraph with " + inner.inputs().size() + " inputs given " + inputs.size() + " signals");
        }
        return walk(inner, inputs).get(0);
    }

    @Override
    public void note(String text) {
        frame().notes.add(text);
    }
}
