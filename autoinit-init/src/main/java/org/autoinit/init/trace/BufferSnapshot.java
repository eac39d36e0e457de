package org.autoinit.init.trace;

import java.util.ArrayList;
import java.util.List;

import org.autoinit.nn.Model;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.Tensor;

/**
 * Copies of a model's buffers (batch-norm running statistics), so that analysis passes in training mode
 * (traces, LSUV) leave the model as they found it.
 */
public final class BufferSnapshot {
    private final List<Parameter> params = new ArrayList<>();
    private final List<Tensor> copies = new ArrayList<>();

    private BufferSnapshot() {}

    public static BufferSnapshot of(Model model) {
        BufferSnapshot s = new BufferSnapshot();
        for (Parameter p : model.namedParameters().values()) {
            if (p.kind() == ParamKind.BUFFER) {
                s.params.add(p);
                s.copies.add(p.value().detach().copy());
            }
        }
        return s;
    }

    /** Writes the saved values back. */
    public void restore() {
        for (int i = 0; i < params.size(); i++) {
            params.get(i).value().copy_(copies.get(i));
        }
    }
}
