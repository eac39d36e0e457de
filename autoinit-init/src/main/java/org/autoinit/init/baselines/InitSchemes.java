package org.autoinit.init.baselines;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.autoinit.init.AutoInit;
import org.autoinit.init.InitReport;
import org.autoinit.nn.Model;
import org.autoinit.nn.init.InitScheme;
import org.autoinit.nn.init.Initializer;
import org.autoinit.nn.init.Initializers;
import org.autoinit.tensor.Tensor;

/**
 * Every initialization by name, for comparisons (the {@code --init} option of the command line):
 * <ul>
 * <li>{@code autoinit}: {@link AutoInit} with its defaults (data-free; the sample is ignored).</li>
 * <li>{@code autoinit-expected}: AutoInit as in the paper ({@code realizedStatistics(false)}): outputs on average over draws, weights used as drawn.</li>
 * <li>{@code lsuv}: {@link Lsuv} (needs a data sample).</li>
 * <li>{@code glorot-uniform}, {@code glorot-normal} (Glorot &amp; Bengio 2010, var 2/(fan_in + fan_out)),
 * {@code he-normal}, {@code he-uniform} (He et al. 2015, var 2/fan_in), {@code lecun-normal},
 * {@code lecun-uniform} (LeCun et al. 1998, var 1/fan_in), {@code orthogonal} (Saxe et al. 2014, gain 1):
 * weights by that rule, biases 0, norm scales 1 and shifts 0, embeddings N(0, 1), positional N(0, 0.02^2)
 * ({@link InitScheme#of}).</li>
 * <li>{@code pytorch}, {@code keras}: the frameworks' defaults ({@link InitScheme#pytorchDefault()},
 * {@link InitScheme#kerasDefault()}).</li>
 * </ul>
 */
public final class InitSchemes {
    private InitSchemes() {}

    private static final List<String> NAMES = List.of("autoinit", "autoinit-expected", "lsuv", "glorot-uniform", "glorot-normal", "he-normal", "he-uniform",
            "lecun-normal", "lecun-uniform", "orthogonal", "pytorch", "keras");

    /** The names {@link #byName} accepts. */
    public static List<String> names() {
        return NAMES;
    }

    /** The method called {@code name} (case-insensitive; underscores accepted for dashes). */
    public static InitMethod byName(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (key) {
            case "autoinit" -> new InitMethod() {
                @Override public String name() { return "autoinit"; }
                @Override public boolean needsData() { return false; }
                @Override public InitReport initialize(Model model, long seed, Tensor... sample) {
                    return AutoInit.builder().seed(seed).build().initialize(model);
                }
            };
            case "autoinit-expected" -> new InitMethod() {
                @Override public String name() { return "autoinit-expected"; }
                @Override public boolean needsData() { return false; }
                @Override public InitReport initialize(Model model, long seed, Tensor... sample) {
                    return AutoInit.builder().seed(seed).realizedStatistics(false).build().initialize(model);
                }
            };
            case "lsuv" -> new Lsuv();
            case "glorot-uniform", "xavier-uniform" -> scheme("glorot-uniform", () -> InitScheme.of(Initializers.glorotUniform()));
            case "glorot-normal", "xavier-normal" -> scheme("glorot-normal", () -> InitScheme.of(Initializers.glorotNormal()));
            case "he-normal", "kaiming-normal" -> scheme("he-normal", () -> InitScheme.of(Initializers.heNormal()));
            case "he-uniform", "kaiming-uniform" -> scheme("he-uniform", () -> InitScheme.of(Initializers.heUniform()));
            case "lecun-normal" -> scheme("lecun-normal", () -> InitScheme.of(Initializers.lecunNormal()));
            case "lecun-uniform" -> scheme("lecun-uniform", () -> InitScheme.of(Initializers.lecunUniform()));
            case "orthogonal" -> scheme("orthogonal", () -> InitScheme.of((Initializer) Initializers.orthogonal(1.0)));
            case "pytorch", "pytorch-default" -> scheme("pytorch", InitScheme::pytorchDefault);
            case "keras", "keras-default" -> scheme("keras", InitScheme::kerasDefault);
            default -> throw new IllegalArgumentException("unknown init '" + name + "'; valid names: " + String.join(", ", NAMES));
        };
    }

    private static InitMethod scheme(String name, Supplier<InitScheme> scheme) {
        return new InitMethod() {
            @Override public String name() { return name; }
            @Override public boolean needsData() { return false; }
            @Override public InitReport initialize(Model model, long seed, Tensor... sample) {
                scheme.get().apply(model, seed);
                return null;
            }
            @Override public String toString() { return "InitMethod(" + name + ")"; }
        };
    }
}
