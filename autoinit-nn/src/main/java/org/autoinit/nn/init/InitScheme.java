package org.autoinit.nn.init;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;

/**
 * Initializes every parameter of a model by its kind (weight, bias, norm scale/shift, embedding, positional),
 * optionally overridden per layer type. Randomness: one {@code SplittableRandom(seed)}, split once per
 * parameter in {@link Model#namedParameters()} order (skipped parameters still consume their split), so the
 * same seed gives identical weights and sibling layers always draw from distinct streams. Buffers are never
 * touched; frozen (non-trainable) parameters are left alone unless {@link #includeFrozen(boolean)}.
 * Immutable: {@code with...} return modified copies.
 */
public final class InitScheme {
    private final String name;
    private final EnumMap<ParamKind, Initializer> byKind;
    private final Map<String, EnumMap<ParamKind, Initializer>> byLayerType;
    private final boolean includeFrozen;

    private InitScheme(String name, EnumMap<ParamKind, Initializer> byKind, Map<String, EnumMap<ParamKind, Initializer>> byLayerType,
            boolean includeFrozen) {
        this.name = name;
        this.byKind = byKind;
        this.byLayerType = byLayerType;
        this.includeFrozen = includeFrozen;
    }

    private static InitScheme base(String name, Initializer weight, Initializer bias, Initializer embedding, Initializer positional) {
        EnumMap<ParamKind, Initializer> m = new EnumMap<>(ParamKind.class);
        m.put(ParamKind.WEIGHT, weight);
        m.put(ParamKind.BIAS, bias);
        m.put(ParamKind.NORM_SCALE, Initializers.ones());
        m.put(ParamKind.NORM_SHIFT, Initializers.zeros());
        m.put(ParamKind.EMBEDDING, embedding);
        m.put(ParamKind.POSITIONAL, positional);
        return new InitScheme(name, m, new HashMap<>(), false);
    }

    /**
     * PyTorch's defaults (torch.nn Linear/Conv reset_parameters): weights kaiming_uniform(a = sqrt 5), i.e.
     * U(+-1/sqrt(fan_in)) with variance 1/(3 fan_in) (He et al. 2015 with that leaky slope); biases
     * U(+-1/sqrt(fan_in)); norm gamma 1, beta 0; embeddings N(0, 1); positional embeddings N(0, 0.02^2).
     */
    public static InitScheme pytorchDefault() {
        return base("pytorch-default", Initializers.pytorchLinear(), Initializers.pytorchLinear(), Initializers.normal(0, 1),
                Initializers.normal(0, 0.02));
    }

    /**
     * Keras's defaults: kernels glorot_uniform, U(+-sqrt(6 / (fan_in + fan_out))), variance 2/(fan_in + fan_out)
     * (Glorot &amp; Bengio 2010); biases 0; norm gamma 1, beta 0; embeddings and positional embeddings U(-0.05, 0.05).
     */
    public static InitScheme kerasDefault() {
        return base("keras-default", Initializers.glorotUniform(), Initializers.zeros(), Initializers.uniform(-0.05, 0.05),
                Initializers.uniform(-0.05, 0.05));
    }

    /**
     * Weights from {@code weights} (e.g. {@code Initializers.heNormal()}: N(0, 2/fan_in), He et al. 2015), biases 0,
     * norm gamma 1, beta 0, embeddings N(0, 1), positional N(0, 0.02^2) (the peer's kaiming scheme).
     */
    public static InitScheme of(Initializer weights) {
        return base("custom", weights, Initializers.zeros(), Initializers.normal(0, 1), Initializers.normal(0, 0.02));
    }

    /** A copy using {@code init} for every parameter of {@code kind} (BUFFER is not allowed). */
    public InitScheme with(ParamKind kind, Initializer init) {
        if (kind == ParamKind.BUFFER) {
            throw new IllegalArgumentException("InitScheme: buffers are state, not initialized parameters");
        }
        EnumMap<ParamKind, Initializer> m = new EnumMap<>(byKind);
        m.put(kind, init);
        return new InitScheme(name, m, byLayerType, includeFrozen);
    }

    /** A copy using {@code init} for parameters of {@code kind} in layers whose {@link Layer#type()} is {@code layerType}. */
    public InitScheme withLayerType(String layerType, ParamKind kind, Initializer init) {
        Map<String, EnumMap<ParamKind, Initializer>> m = new HashMap<>();
        byLayerType.forEach((k, v) -> m.put(k, new EnumMap<>(v)));
        m.computeIfAbsent(layerType, k -> new EnumMap<>(ParamKind.class)).put(kind, init);
        return new InitScheme(name, byKind, m, includeFrozen);
    }

    /** A copy that also (re)initializes frozen parameters. */
    public InitScheme includeFrozen(boolean on) {
        return new InitScheme(name, byKind, byLayerType, on);
    }

    /** The initializer this scheme uses for {@code p}, or null when it leaves it alone. */
    public Initializer initializerFor(Parameter p) {
        if (p.kind() == ParamKind.BUFFER || (!p.trainable() && !includeFrozen)) {
            return null;
        }
        EnumMap<ParamKind, Initializer> special = byLayerType.get(p.owner().type());
        if (special != null && special.containsKey(p.kind())) {
            return special.get(p.kind());
        }
        return byKind.get(p.kind());
    }

    /** Initializes all parameters of {@code model} from {@code seed}. */
    public void apply(Model model, long seed) {
        apply(new ArrayList<>(model.namedParameters().values()), seed);
    }

    /** Initializes all parameters of one (built) layer from {@code seed}. */
    public void apply(Layer layer, long seed) {
        if (!layer.isBuilt()) {
            throw new IllegalStateException(layer + " is not built; apply it to a Node or call build(shape) first");
        }
        apply(layer.parameters(), seed);
    }

    private void apply(List<Parameter> params, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        for (Parameter p : params) {
            SplittableRandom rng = root.split();
            Initializer init = initializerFor(p);
            if (init != null) {
                init.initialize(p.value(), p.fans(), rng);
            }
        }
    }

    @Override
    public String toString() {
        return "InitScheme(" + name + ")";
    }
}
