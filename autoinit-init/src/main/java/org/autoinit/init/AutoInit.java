package org.autoinit.init;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.autoinit.init.moments.Moments;
import org.autoinit.init.rules.MomentRule;
import org.autoinit.init.rules.RuleRegistry;
import org.autoinit.init.rules.Signal;
import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.parallel.Parallel;
import org.autoinit.tensor.Tensor;

/**
 * AutoInit (Bingham &amp; Miikkulainen, AAAI 2023): data-free initialization that walks the graph in topological
 * order, maps each signal's mean and second moment through every layer with that layer's {@link MomentRule},
 * and draws every weighted layer's weights with {@code Var(W) = s / (fan_in E[x^2])} (bias 0) so that its
 * output has mean 0 and variance s. Non-weighted parameters (norm scales, positional tables) and frozen
 * parameters are left alone; their actual values enter the prediction.
 *
 * <pre>{@code
 * InitReport r = AutoInit.builder().seed(42).build().initialize(model);
 * System.out.println(r);
 * }</pre>
 * Immutable and thread-safe; {@link #initialize} modifies the model's parameters in place.
 */
public final class AutoInit {
    private final double signalVariance;
    private final WeightDistribution distribution;
    private final boolean dropoutAdjustment;
    private final boolean keepWeightedSumCoefficients;
    private final boolean exactOutputVariance;
    private final boolean realizedStatistics;
    private final UnknownLayerPolicy unknownLayers;
    private final RuleRegistry rules;
    private final long seed;
    private final List<Moments> inputMoments;
    private final List<Tensor> inputSamples;

    private AutoInit(Builder b) {
        this.signalVariance = b.signalVariance;
        this.distribution = b.distribution;
        this.dropoutAdjustment = b.dropoutAdjustment;
        this.keepWeightedSumCoefficients = b.keepWeightedSumCoefficients;
        this.exactOutputVariance = b.exactOutputVariance;
        this.realizedStatistics = b.realizedStatistics;
        this.unknownLayers = b.unknownLayers;
        this.rules = b.rules.copy();
        this.seed = b.seed;
        this.inputMoments = b.inputMoments == null ? null : List.copyOf(b.inputMoments);
        this.inputSamples = b.inputSamples == null ? null : List.copyOf(b.inputSamples);
    }

    /** Defaults: s = 1, truncated normal, dropout adjustment on, exact output variance, unknown layers fail, seed 0, inputs (0, 1). */
    public static Builder builder() {
        return new Builder();
    }

    /** AutoInit with every default (see {@link #builder()}). */
    public static AutoInit defaults() {
        return builder().build();
    }

    /** Initializes {@code model} in place (weights of weighted layers drawn, their biases zeroed) and reports what it did. */
    public InitReport initialize(Model model) {
        List<Signal> inputs = inputSignals(model);
        if (!realizedStatistics) {
            // The paper's algorithm: the analysis (outputs on average over draws), writing each draw as it goes.
            return new Propagation(this, true, true, true).run(model, inputs);
        }
        if (DrawAhead.supports(distribution) && Parallel.threads() > 1) {
            // A large model: its draws (one sequential stream, most of the time) run ahead of the propagation on
            // another thread, in the order a dry pass finds; the same bits as drawing in place.
            Propagation dry = new Propagation(this, true, true);
            dry.run(model, inputs);
            List<Parameter> plan = dry.plan();
            if (DrawAhead.weights(plan) >= DrawAhead.MIN_WEIGHTS) {
                return new Propagation(this, true).run(model, inputs, plan);
            }
        }
        return new Propagation(this, true).run(model, inputs);
    }

    /**
     * Predicts every node's moments for the model's CURRENT weights without changing anything (every weight is
     * summarized from its actual values, as a frozen one would be). Useful to compare other initializations.
     */
    public InitReport predict(Model model) {
        return new Propagation(this, false).run(model, inputSignals(model));
    }

    /**
     * AutoInit's analysis alone, without changing the model: the weight std it would give every weighted layer
     * and every node's moments, with each weighted layer's output taken on average over weight draws (mean 0,
     * variance s; the per-channel statistics of an actual draw need the drawn weights, which {@link #initialize}'s
     * report has). Nothing is drawn and no weight array is read or written (frozen weights excepted), so this
     * is the part of AutoInit's cost that is not filling weights.
     */
    public InitReport analyze(Model model) {
        return new Propagation(this, true, true).run(model, inputSignals(model));
    }

    List<Signal> inputSignals(Model model) {
        int n = model.inputs().size();
        List<Signal> out = new ArrayList<>();
        if (inputSamples != null) {
            if (inputSamples.size() != n) {
                throw new IllegalArgumentException("AutoInit: " + inputSamples.size() + " input sample tensor(s) for a model with " + n + " input(s)");
            }
            for (int i = 0; i < n; i++) {
                int[] want = model.inputs().get(i).shape();
                int[] got = inputSamples.get(i).shape();
                if (got.length != want.length + 1 || !Arrays.equals(Arrays.copyOfRange(got, 1, got.length), want)) {
                    throw new IllegalArgumentException("AutoInit: input sample of shape " + Arrays.toString(got) + " does not match input '"
                            + model.inputs().get(i).name() + "' of per-sample shape " + Arrays.toString(want));
                }
                out.add(InputEstimate.of(inputSamples.get(i)));
            }
        } else if (inputMoments != null) {
            if (inputMoments.size() != n) {
                throw new IllegalArgumentException("AutoInit: " + inputMoments.size() + " input moments for a model with " + n + " input(s)");
            }
            for (int i = 0; i < n; i++) {
                out.add(InputEstimate.given(model.inputs().get(i).shape(), inputMoments.get(i)));
            }
        } else {
            for (int i = 0; i < n; i++) {
                out.add(InputEstimate.given(model.inputs().get(i).shape(), Moments.standard()));
            }
        }
        return out;
    }

    public double signalVariance() { return signalVariance; }
    public WeightDistribution distribution() { return distribution; }
    public boolean dropoutAdjustment() { return dropoutAdjustment; }
    public boolean keepWeightedSumCoefficients() { return keepWeightedSumCoefficients; }
    public boolean exactOutputVariance() { return exactOutputVariance; }
    public boolean realizedStatistics() { return realizedStatistics; }
    public UnknownLayerPolicy unknownLayerPolicy() { return unknownLayers; }
    public long seed() { return seed; }
    /** The rules in use (a copy). */
    public RuleRegistry rules() { return rules.copy(); }

    RuleRegistry ruleTable() {
        return rules;
    }

    @Override
    public String toString() {
        return "AutoInit(s=" + signalVariance + ", " + distribution.id() + ", dropoutAdjustment=" + dropoutAdjustment + ", unknownLayers="
                + unknownLayers + ", seed=" + seed + ")";
    }

    /** Options of {@link AutoInit}; every setting has a default. */
    public static final class Builder {
        private double signalVariance = 1.0;
        private WeightDistribution distribution = WeightDistribution.TRUNCATED_NORMAL;
        private boolean dropoutAdjustment = true;
        private boolean keepWeightedSumCoefficients;
        private boolean exactOutputVariance = true;
        private boolean realizedStatistics = true;
        private UnknownLayerPolicy unknownLayers = UnknownLayerPolicy.FAIL;
        private final RuleRegistry rules = RuleRegistry.builtIns();
        private long seed;
        private List<Moments> inputMoments;
        private List<Tensor> inputSamples;

        private Builder() {}

        /** Target variance s of every weighted layer's output (default 1). */
        public Builder signalVariance(double s) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("AutoInit: signal variance must be finite and > 0, got " + s);
            }
            signalVariance = s;
            return this;
        }

        /** Weight distribution (default truncated normal, Keras convention: exact variance). */
        public Builder distribution(WeightDistribution d) {
            if (d == null) {
                throw new IllegalArgumentException("AutoInit: distribution must not be null");
            }
            distribution = d;
            return this;
        }

        /** Account for dropout's training-mode scaling, {@code E[x^2] / (1 - p)} (default true); off treats dropout as the identity. */
        public Builder dropoutAdjustment(boolean on) {
            dropoutAdjustment = on;
            return this;
        }

        /** Keep the user's WeightedSum coefficients instead of setting {@code a_i = sqrt(s / (N v_i))} (default false). */
        public Builder keepWeightedSumCoefficients(boolean keep) {
            keepWeightedSumCoefficients = keep;
            return this;
        }

        /**
         * After drawing a layer's weights, rescale them so that its output variance (pooled over units and
         * positions), computed for the drawn weights from the per-channel statistics of its input, is exactly s
         * (default true; the second moment is kept at most 4s where the units' fixed offsets dominate). Off, the
         * variance {@code s / (fan_in E[x^2])} is used as drawn and the output is s only on average over draws
         * (a narrow layer then lands within a few tens of percent of s).
         */
        public Builder exactOutputVariance(boolean on) {
            exactOutputVariance = on;
            return this;
        }

        /**
         * Whether each layer's output statistics are computed from the weights actually drawn (default true: one
         * pass over every weight, exact for this draw, and {@link #exactOutputVariance} can rescale them). Off, AutoInit
         * runs as in the paper: every weighted layer's output is taken on average over draws (mean 0, variance s, as
         * {@link AutoInit#analyze} reports it) and its weights are drawn with {@code Var(W) = s / (fan_in E[x^2])} and
         * used as drawn, without reading them back; cheaper (the analysis plus the draws), but each layer is s only on
         * average over draws. {@code exactOutputVariance} has no effect then.
         */
        public Builder realizedStatistics(boolean on) {
            realizedStatistics = on;
            return this;
        }

        /** What to do with a layer type without a rule (default {@link UnknownLayerPolicy#FAIL}). */
        public Builder unknownLayers(UnknownLayerPolicy p) {
            if (p == null) {
                throw new IllegalArgumentException("AutoInit: unknown-layer policy must not be null");
            }
            unknownLayers = p;
            return this;
        }

        /** Uses {@code rule} for {@code type} and its subclasses (the most specific registered superclass of a layer wins). */
        public <L extends Layer> Builder rule(Class<L> type, MomentRule<? super L> rule) {
            rules.register(type, type.getSimpleName() + " (user)", rule);
            return this;
        }

        /** As {@link #rule(Class, MomentRule)}, with the name shown in reports. */
        public <L extends Layer> Builder rule(Class<L> type, String name, MomentRule<? super L> rule) {
            rules.register(type, name, rule);
            return this;
        }

        /** Seed of the weight draws; each weight tensor gets its own split stream (default 0). */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Moments of each model input, in {@code Model.inputs()} order (default (0, 1) each). */
        public Builder inputMoments(Moments... perInput) {
            for (Moments m : perInput) {
                if (m == null) {
                    throw new IllegalArgumentException("AutoInit: input moments must not be null");
                }
            }
            inputMoments = List.of(perInput);
            inputSamples = null;
            return this;
        }

        /**
         * Estimates each input's moments from a data sample (one batched tensor per model input): the pooled
         * mean and second moment, and the shared variance across entries of the per-entry mean over samples.
         */
        public Builder inputSample(Tensor... perInput) {
            for (Tensor t : perInput) {
                if (t == null || t.rank() < 1 || t.dim(0) < 2) {
                    throw new IllegalArgumentException("AutoInit: an input sample needs a batch of at least 2 samples, got "
                            + (t == null ? "null" : Arrays.toString(t.shape())));
                }
            }
            inputSamples = List.of(perInput);
            inputMoments = null;
            return this;
        }

        public AutoInit build() {
            return new AutoInit(this);
        }
    }
}
