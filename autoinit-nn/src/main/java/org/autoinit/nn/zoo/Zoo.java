package org.autoinit.nn.zoo;

import java.util.List;
import java.util.Locale;

import org.autoinit.nn.Model;

/**
 * Ready-made models with exactly the shapes of the PyTorch peer ({@code shared/peers/torch_peer.py}) plus a
 * few deeper ones. Each is built, then initialized with {@link ZooOptions}' scheme (PyTorch's defaults unless
 * set) and seed (0 unless set).
 *
 * <table>
 * <caption>models</caption>
 * <tr><th>name</th><th>input</th><th>parameters (defaults)</th></tr>
 * <tr><td>mlp</td><td>[784]</td><td>669,706</td></tr>
 * <tr><td>cnn</td><td>[1,28,28]</td><td>155,402</td></tr>
 * <tr><td>allcnnc</td><td>[3,32,32]</td><td>1,369,738</td></tr>
 * <tr><td>resnet20 (alias resnet; depth option 6n+2)</td><td>[3,32,32]</td><td>272,474</td></tr>
 * <tr><td>resnet56</td><td>[3,32,32]</td><td>855,770</td></tr>
 * <tr><td>resnet50</td><td>[3,224,224]</td><td>25,557,032</td></tr>
 * <tr><td>vit (alias transformer)</td><td>[1,28,28]</td><td>541,834</td></tr>
 * <tr><td>deep-mlp (24 x 128)</td><td>[784]</td><td>481,546</td></tr>
 * <tr><td>deep-resmlp (16 blocks x 128)</td><td>[784]</td><td>630,154</td></tr>
 * </table>
 */
public final class Zoo {
    private Zoo() {}

    /** The model names {@link #build} accepts (aliases excluded). */
    public static List<String> names() {
        return List.of("mlp", "cnn", "allcnnc", "resnet20", "resnet56", "resnet50", "vit", "deep-mlp", "deep-resmlp");
    }

    /** Builds and initializes the named model. */
    public static Model build(String name, ZooOptions opts) {
        Model m = buildUninitialized(name, opts);
        if (opts.init() != null) {
            opts.init().apply(m, opts.seed());
        }
        return m;
    }

    /** Builds the named model with default options. */
    public static Model build(String name) {
        return build(name, ZooOptions.defaults());
    }

    private static Model buildUninitialized(String name, ZooOptions o) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mlp" -> MlpModels.mlp(o, 2, 512);
            case "deep-mlp" -> MlpModels.mlp(o, 24, 128);
            case "deep-resmlp" -> MlpModels.deepResMlp(o);
            case "cnn" -> ConvModels.cnn(o);
            case "allcnnc", "all-cnn-c" -> ConvModels.allCnnC(o);
            case "resnet", "resnet20" -> ResNets.cifar(o, o.depth(20));
            case "resnet56" -> ResNets.cifar(o, o.depth(56));
            case "resnet50" -> ResNets.resnet50(o);
            case "vit", "transformer" -> VisionTransformer.vit(o);
            default -> throw new IllegalArgumentException("Zoo: unknown model '" + name + "'; known: " + String.join(", ", names())
                    + " (aliases: resnet, transformer, all-cnn-c)");
        };
    }
}
