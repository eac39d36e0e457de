package org.autoinit.xcheck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.autoinit.nn.ForwardContext;
import org.autoinit.nn.Model;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.init.InitScheme;
import org.autoinit.nn.init.Initializers;
import org.autoinit.nn.io.AtomicFiles;
import org.autoinit.nn.io.Json;
import org.autoinit.nn.io.Safetensors;
import org.autoinit.nn.train.Loss;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * One training-mode step of a model, written for {@code scripts/torch_xcheck.py} to replay in PyTorch:
 * <ul>
 *   <li>{@code weights.safetensors}: every parameter and buffer before the step (project names);
 *   <li>{@code batch.safetensors}: {@code x} (uniform [0, 1)), {@code labels} (integers stored as floats of
 *       the model dtype), {@code logits}, {@code loss} (rank 0);
 *   <li>{@code grads.safetensors}: d(mean cross-entropy)/d(parameter) for every trainable parameter;
 *   <li>{@code buffers.safetensors}: the buffers after the forward (BatchNorm's updated running statistics),
 *       only when the model has buffers;
 *   <li>{@code names.json}: model names, dtype, seed and the {@link TorchName} list.
 * </ul>
 * Initialization is the PyTorch default scheme except that norm scales and shifts are drawn from
 * U(0.5, 1.5) and U(-0.5, 0.5) and running statistics are randomized too, so a swapped or ignored
 * gamma/beta/running stat cannot hide behind the values 1 and 0. Everything derives from one seed.
 */
public final class XcheckExport {
    private XcheckExport() {}

    /** What was written. */
    public record Result(Path dir, double loss, int parameters, int buffers) {}

    /**
     * Initializes {@code model} from {@code seed}, converts it to {@code dtype}, runs one forward/backward on a
     * seeded batch of {@code batch} samples and writes the files into {@code dir} (created if missing).
     *
     * @param names     the mapping to PyTorch names (covering every tensor of the model)
     * @param modelName the project's model name, {@code peerModel} the key of the peer's constructor
     */
    public static Result run(Model model, String modelName, String peerModel, List<TorchName> names, Path dir, long seed,
            int batch, DType dtype) throws IOException {
        if (batch <= 0) {
            throw new IllegalArgumentException("xcheck-export: batch must be positive, got " + batch);
        }
        if (model.inputs().size() != 1 || model.outputs().size() != 1) {
            throw new IllegalArgumentException("xcheck-export: needs a model with one input and one output, got "
                    + model.inputs().size() + " and " + model.outputs().size());
        }
        checkCoverage(model, names);
        SplittableRandom root = new SplittableRandom(seed);
        initialize(model, root.split());
        model.to(dtype);

        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            weights.put(e.getKey(), e.getValue().value().detach().copy());
        }
        SplittableRandom data = root.split();
        int[] sample = model.inputs().get(0).shape();
        int[] shape = new int[sample.length + 1];
        shape[0] = batch;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        Tensor x = Tensor.rand(data, dtype, shape);
        int[] out = model.outputs().get(0).shape();
        if (out.length != 1) {
            throw new IllegalArgumentException("xcheck-export: the model must output logits [N, classes], its per-sample output is "
                    + java.util.Arrays.toString(out));
        }
        int[] labels = new int[batch];
        Tensor labelTensor = Tensor.zeros(dtype, batch);
        for (int i = 0; i < batch; i++) {
            labels[i] = data.nextInt(out[0]);
            labelTensor.setFlat(i, labels[i]);
        }

        Tensor logits = model.forward(ForwardContext.training(root.split()), x);
        Tensor loss = Loss.crossEntropy().compute(logits, labels);
        loss.backward();

        Map<String, Tensor> grads = new LinkedHashMap<>();
        Map<String, Tensor> buffers = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            if (p.kind() == ParamKind.BUFFER) {
                buffers.put(e.getKey(), p.value().detach().copy());
            } else if (p.trainable()) {
                Tensor g = p.value().grad();
                // A parameter the loss does not reach has gradient zero in PyTorch too.
                grads.put(e.getKey(), g == null ? Tensor.zerosLike(p.value()) : g.detach().copy());
            }
        }
        Map<String, Tensor> batchFile = new LinkedHashMap<>();
        batchFile.put("x", x);
        batchFile.put("labels", labelTensor);
        batchFile.put("logits", logits.detach().copy());
        batchFile.put("loss", loss.detach().copy().reshape());

        Files.createDirectories(dir);
        Map<String, String> meta = new LinkedHashMap<>(); // ordered: the same seed gives the same bytes
        meta.put("format", "autoinit-xcheck-1");
        meta.put("model", modelName);
        Safetensors.write(dir.resolve("weights.safetensors"), weights, meta);
        Safetensors.write(dir.resolve("batch.safetensors"), batchFile, meta);
        Safetensors.write(dir.resolve("grads.safetensors"), grads, meta);
        Files.deleteIfExists(dir.resolve("buffers.safetensors"));
        if (!buffers.isEmpty()) {
            Safetensors.write(dir.resolve("buffers.safetensors"), buffers, meta);
        }
        AtomicFiles.writeString(dir.resolve("names.json"), Json.pretty(namesJson(modelName, peerModel, names, seed, batch, dtype)));
        return new Result(dir, loss.item(), grads.size(), buffers.size());
    }

    private static void initialize(Model model, SplittableRandom rng) {
        InitScheme scheme = InitScheme.pytorchDefault()
                .with(ParamKind.NORM_SCALE, Initializers.uniform(0.5, 1.5))
                .with(ParamKind.NORM_SHIFT, Initializers.uniform(-0.5, 0.5));
        scheme.apply(model, rng.nextLong());
        for (Parameter p : model.namedParameters().values()) {
            if (p.kind() == ParamKind.BUFFER) {
                boolean variance = p.name().contains("var");
                Tensor v = p.value();
                for (int i = 0; i < v.numel(); i++) {
                    v.setFlat(i, variance ? rng.nextDouble(0.5, 1.5) : rng.nextDouble(-0.5, 0.5));
                }
            }
        }
    }

    /** Every tensor of the model appears exactly once in the mapping, and nothing else does. */
    static void checkCoverage(Model model, List<TorchName> names) {
        Map<String, Parameter> params = model.namedParameters();
        List<String> listed = new ArrayList<>();
        for (TorchName n : names) {
            if (!params.containsKey(n.name())) {
                throw new IllegalArgumentException("xcheck-export: the mapping names '" + n.name() + "', which the model does not have");
            }
            if (listed.contains(n.name())) {
                throw new IllegalArgumentException("xcheck-export: the mapping lists '" + n.name() + "' twice");
            }
            listed.add(n.name());
        }
        for (String p : params.keySet()) {
            if (!listed.contains(p)) {
                throw new IllegalArgumentException("xcheck-export: the mapping leaves '" + p + "' out");
            }
        }
    }

    static Map<String, Object> namesJson(String modelName, String peerModel, List<TorchName> names, long seed, int batch, DType dtype) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", "autoinit-xcheck-1");
        json.put("model", modelName);
        json.put("peer_model", peerModel);
        json.put("dtype", Safetensors.dtypeName(dtype));
        json.put("seed", seed);
        json.put("batch", batch);
        List<Object> list = new ArrayList<>();
        for (TorchName n : names) {
            list.add(n.toJson());
        }
        json.put("params", list);
        return json;
    }
}
