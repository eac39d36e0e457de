package org.autoinit.xcheck;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where one of this project's tensors lives in a PyTorch {@code state_dict}.
 *
 * @param name      the project's qualified name ({@code Model.namedParameters()} key, e.g. "fc1.weight")
 * @param torch     the PyTorch state_dict key (e.g. "0.weight")
 * @param transpose true when PyTorch stores the transpose (Dense {@code [in, out]} vs Linear {@code [out, in]})
 * @param buffer    true for running statistics (no gradient; compared after the training-mode forward)
 */
public record TorchName(String name, String torch, boolean transpose, boolean buffer) {
    public TorchName {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(torch, "torch");
    }

    /** The names.json entry. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("torch", torch);
        m.put("transpose", transpose);
        m.put("buffer", buffer);
        return m;
    }
}
