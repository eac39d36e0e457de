package org.autoinit.xcheck;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;

/**
 * The zoo models that have a twin in the PyTorch peer ({@code shared/peers/torch_peer.py}) and, for each,
 * which peer module every zoo layer is. This is the one place that knows both definitions:
 * <ul>
 *   <li>mlp: {@code fc1, fc2, fc3} are {@code Sequential} indices 0, 2, 4 (a ReLU between them);
 *   <li>cnn: {@code conv1, conv2, conv3, fc} are indices 0, 2, 5, 9 (ReLUs, two MaxPools, Flatten between);
 *   <li>allcnnc: {@code convK} is index {@code 2(K-1)} (each conv is followed by its ReLU);
 *   <li>resnet20: {@code stem_conv/stem_bn} are {@code conv/bn}, {@code stageS.blockB.X} is
 *       {@code blocks.(3(S-1)+B-1).X} with {@code short_conv/short_bn} as {@code short.0/short.1};
 *   <li>vit: {@code patch.proj} is {@code embed}, {@code pos} the root's {@code pos}, {@code blockI.Y} is
 *       {@code layers.(I-1).Y} with the attention's output Dense {@code attn.o} as {@code attn.proj}.
 * </ul>
 * Only the zoo's default options build these twins (no normalization/dropout/width changes).
 */
public final class PeerModels {
    private PeerModels() {}

    /** Zoo names (as accepted by {@code Zoo.build}) with a peer twin, in the peer's order. */
    public static List<String> names() {
        return List.of("mlp", "cnn", "allcnnc", "resnet20", "vit");
    }

    /** The peer's constructor key for a zoo name ("resnet20" and "resnet" -> "resnet", "vit" and "transformer" -> "transformer"). */
    public static String peerKey(String zooName) {
        return switch (zooName.toLowerCase(Locale.ROOT)) {
            case "mlp" -> "mlp";
            case "cnn" -> "cnn";
            case "allcnnc", "all-cnn-c" -> "allcnnc";
            case "resnet20", "resnet" -> "resnet";
            case "vit", "transformer" -> "transformer";
            default -> throw new IllegalArgumentException("xcheck: zoo model '" + zooName + "' has no PyTorch peer twin; models with one: "
                    + String.join(", ", names()));
        };
    }

    /** The peer's batch size for a zoo name (mlp 128, cnn 64, the others 32). */
    public static int peerBatch(String zooName) {
        return switch (peerKey(zooName)) {
            case "mlp" -> 128;
            case "cnn" -> 64;
            default -> 32;
        };
    }

    /** The full name mapping of a zoo model built with default options. */
    public static List<TorchName> mapping(String zooName, Model model) {
        Function<Layer, String> path = switch (peerKey(zooName)) {
            case "mlp" -> l -> indexed(l, "fc", 1, 3, k -> String.valueOf(2 * (k - 1)));
            case "cnn" -> l -> switch (l.name()) {
                case "conv1" -> "0";
                case "conv2" -> "2";
                case "conv3" -> "5";
                case "fc" -> "9";
                default -> null;
            };
            case "allcnnc" -> l -> indexed(l, "conv", 1, 9, k -> String.valueOf(2 * (k - 1)));
            case "resnet" -> PeerModels::resnet;
            case "transformer" -> PeerModels::vit;
            default -> throw new AssertionError(zooName);
        };
        return TorchNames.map(model, path);
    }

    /** {@code prefix + k} for k in [lo, hi] -> path(k); anything else null (unknown). */
    private static String indexed(Layer l, String prefix, int lo, int hi, java.util.function.IntFunction<String> path) {
        Matcher m = Pattern.compile(Pattern.quote(prefix) + "(\\d+)").matcher(l.name());
        if (!m.matches()) {
            return null;
        }
        int k = Integer.parseInt(m.group(1));
        return k >= lo && k <= hi ? path.apply(k) : null;
    }

    private static final Pattern RESNET_BLOCK = Pattern.compile("stage([123])\\.block([123])\\.(conv1|bn1|conv2|bn2|short_conv|short_bn)");

    private static String resnet(Layer l) {
        switch (l.name()) {
            case "stem_conv": return "conv";
            case "stem_bn": return "bn";
            case "fc": return "fc";
            default: break;
        }
        Matcher m = RESNET_BLOCK.matcher(l.name());
        if (!m.matches()) {
            return null;
        }
        int block = 3 * (Integer.parseInt(m.group(1)) - 1) + Integer.parseInt(m.group(2)) - 1;
        String part = switch (m.group(3)) {
            case "short_conv" -> "short.0";
            case "short_bn" -> "short.1";
            default -> m.group(3);
        };
        return "blocks." + block + "." + part;
    }

    private static final Pattern VIT_BLOCK = Pattern.compile("block([1-4])\\.(ln1|ln2|fc1|fc2|attn\\.qkv|attn\\.o)");

    private static String vit(Layer l) {
        switch (l.name()) {
            case "patch.proj": return "embed";
            case "pos": return "";
            case "ln": return "ln";
            case "head": return "head";
            default: break;
        }
        Matcher m = VIT_BLOCK.matcher(l.name());
        if (!m.matches()) {
            return null;
        }
        String part = m.group(2).equals("attn.o") ? "attn.proj" : m.group(2);
        return "layers." + (Integer.parseInt(m.group(1)) - 1) + "." + part;
    }
}
