package org.autoinit.nn.optim;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;

/**
 * Updates a fixed, named set of parameter tensors from their gradients, PyTorch style: {@link #step()}
 * skips parameters without a gradient, {@link #zeroGrad()} clears gradients (set to none).
 *
 * <p>Per-parameter state lives in named slots ({@code momentum_buffer}, {@code exp_avg}, ...), created on a
 * parameter's first step. {@link #state()} exposes them as {@code "<param>.<slot>"} tensors so checkpoints
 * can store them as safetensors; {@link #loadState(Map)} restores them.
 *
 * <p>The optimizer holds the parameter tensors themselves: build it after the model is built and
 * converted to its final dtype.
 */
public abstract class Optimizer {
    private final String type;
    private final LinkedHashMap<String, Tensor> params;
    private final Map<String, LinkedHashMap<String, Tensor>> slots = new LinkedHashMap<>();
    private double lr;

    protected Optimizer(String type, Map<String, Tensor> params, double lr) {
        this.type = type;
        if (params.isEmpty()) {
            throw new IllegalArgumentException(type + ": optimizer got an empty parameter list");
        }
        this.params = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(type + ": parameter '" + e.getKey() + "' is not a leaf tensor (produced by "
                        + p.op() + "); optimizers update leaves only");
            }
            this.params.put(e.getKey(), p);
        }
        setLearningRate(lr);
    }

    /** The trainable parameters of a model by qualified name ("fc1.weight"), in model order: what optimizers take. */
    public static LinkedHashMap<String, Tensor> trainable(Model model) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Parameter p : model.trainableParameters()) {
            out.put(p.qualifiedName(), p.value());
        }
        return out;
    }

    /** Names unnamed tensors {@code "0"}, {@code "1"}, ... in list order (for tensors that are not model parameters). */
    public static LinkedHashMap<String, Tensor> named(List<Tensor> tensors) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            out.put(Integer.toString(i), tensors.get(i));
        }
        return out;
    }

    /** The parameters this optimizer updates, by name, in order. */
    public Map<String, Tensor> parameters() {
        return Collections.unmodifiableMap(params);
    }

    public double learningRate() {
        return lr;
    }

    /** Sets the learning rate for the next steps (schedules call this before each step). */
    public void setLearningRate(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(type + ": learning rate must be finite and >= 0, got " + lr);
        }
        this.lr = lr;
    }

    /** One update of every parameter that has a gradient. */
    public void step() {
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            if (g.dtype() != p.dtype()) {
                throw new IllegalStateException(type + ": gradient of '" + e.getKey() + "' is " + g.dtype() + " but the parameter is " + p.dtype());
            }
            update(e.getKey(), p, g);
        }
    }

    /** Clears every parameter's gradient (as {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Tensor p : params.values()) {
            p.zeroGrad();
        }
    }

    /** Applies one update to one parameter given its gradient (same shape and dtype). */
    protected abstract void update(String name, Tensor param, Tensor grad);

    /** Slot names this optimizer keeps per parameter, with their shape rule: true = like the parameter, false = scalar. */
    protected abstract Map<String, Boolean> slotKinds();

    /** The state slot of a parameter, or null before its first step. */
    protected Tensor slot(String param, String slot) {
        Map<String, Tensor> s = slots.get(param);
        return s == null ? null : s.get(slot);
    }

    /** Creates (zero-filled) or returns a slot: parameter-shaped and -typed, or a float64 scalar (step counts). */
    protected Tensor slotOrZeros(String param, String slot) {
        LinkedHashMap<String, Tensor> s = slots.computeIfAbsent(param, k -> new LinkedHashMap<>());
        Tensor t = s.get(slot);
        if (t == null) {
            Tensor p = params.get(param);
            t = slotKinds().get(slot) ? Tensor.zerosLike(p) : Tensor.zeros(DType.FLOAT64);
            s.put(slot, t);
        }
        return t;
    }

    /** The live state tensors as {@code "<param>.<slot>"} in parameter order (save them; do not modify them). */
    public LinkedHashMap<String, Tensor> state() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (String p : params.keySet()) {
            Map<String, Tensor> s = slots.get(p);
            if (s != null) {
                for (Map.Entry<String, Tensor> e : s.entrySet()) {
                    out.put(p + "." + e.getKey(), e.getValue());
                }
            }
        }
        return out;
    }

    /** Replaces the whole state with copies of {@code state} (as produced by {@link #state()}), validating every entry. */
    public void loadState(Map<String, Tensor> state) {
        Map<String, LinkedHashMap<String, Tensor>> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            String key = e.getKey();
            int dot = key.lastIndexOf('.');
            String param = dot < 0 ? null : key.substring(0, dot);
            String slot = dot < 0 ? key : key.substring(dot + 1);
            if (param == null || !params.containsKey(param)) {
                throw new IllegalArgumentException(type + ".loadState: '" + key + "' does not belong to any parameter of this optimizer");
            }
            Boolean likeParam = slotKinds().get(slot);
            if (likeParam == null) {
                throw new IllegalArgumentException(type + ".loadState: '" + key + "' has unknown slot '" + slot + "'; " + type
                        + " keeps " + slotKinds().keySet());
            }
            Tensor p = params.get(param);
            int[] want = likeParam ? p.shape() : new int[0];
            Tensor v = e.getValue();
            if (!Arrays.equals(v.shape(), want)) {
                throw new IllegalArgumentException(type + ".loadState: '" + key + "' has shape " + Shape.str(v.shape())
                        + " but " + Shape.str(want) + " is expected");
            }
            DType dt = likeParam ? p.dtype() : DType.FLOAT64;
            loaded.computeIfAbsent(param, k -> new LinkedHashMap<>()).put(slot, v.detach().to(dt).copy());
        }
        slots.clear();
        for (String p : params.keySet()) {
            if (loaded.containsKey(p)) {
                slots.put(p, loaded.get(p));
            }
        }
    }

    /** The optimizer's name in messages, e.g. "Adam". */
    public String type() {
        return type;
    }
}
