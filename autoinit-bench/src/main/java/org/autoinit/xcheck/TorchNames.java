package org.autoinit.xcheck;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.autoinit.nn.Layer;
import org.autoinit.nn.Model;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.layers.BatchNorm;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.GroupNorm;
import org.autoinit.nn.layers.LayerNorm;

/**
 * Translates this project's parameter names into PyTorch state_dict keys. The caller says which PyTorch
 * module each leaf layer corresponds to (that needs knowledge of both model definitions, see
 * the zoo mapping); the translation of local names is generic: norm layers' {@code gamma/beta} are
 * PyTorch's {@code weight/bias}, Dense weights are transposed, everything else keeps its name
 * ({@code weight, bias, running_mean, running_var}, a positional table's {@code pos}).
 */
public final class TorchNames {
    private TorchNames() {}

    /**
     * One entry per tensor of {@code model} (parameters and buffers, {@link Model#namedParameters()} order).
     *
     * @param modulePath PyTorch module path of a leaf layer ("" for a parameter the root module owns
     *                   directly, like the ViT's {@code pos}); null means "unknown" and is an error
     */
    public static List<TorchName> map(Model model, Function<Layer, String> modulePath) {
        List<TorchName> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            Layer owner = p.owner();
            String path = modulePath.apply(owner);
            if (path == null) {
                throw new IllegalArgumentException("xcheck: no PyTorch module is known for " + owner + " (parameter '" + e.getKey() + "')");
            }
            String local = localName(owner, p);
            String torch = path.isEmpty() ? local : path + "." + local;
            String previous = seen.put(torch, e.getKey());
            if (previous != null) {
                throw new IllegalArgumentException("xcheck: '" + previous + "' and '" + e.getKey() + "' both map to PyTorch's '" + torch + "'");
            }
            boolean transpose = owner instanceof Dense && p.kind() == ParamKind.WEIGHT;
            out.add(new TorchName(e.getKey(), torch, transpose, p.kind() == ParamKind.BUFFER));
        }
        return out;
    }

    /** PyTorch's local name of a parameter of {@code owner}. */
    static String localName(Layer owner, Parameter p) {
        boolean norm = owner instanceof BatchNorm || owner instanceof LayerNorm || owner instanceof GroupNorm;
        return switch (p.name()) {
            case "gamma" -> norm ? "weight" : unknown(owner, p);
            case "beta" -> norm ? "bias" : unknown(owner, p);
            case "weight", "bias", "running_mean", "running_var", "pos" -> p.name();
            default -> unknown(owner, p);
        };
    }

    private static String unknown(Layer owner, Parameter p) {
        throw new IllegalArgumentException("xcheck: no PyTorch name is known for parameter '" + p.name() + "' of " + owner
                + "; extend TorchNames.localName");
    }
}
