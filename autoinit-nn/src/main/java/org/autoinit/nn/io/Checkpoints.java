package org.autoinit.nn.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.optim.Optimizer;
import org.autoinit.tensor.Tensor;

/**
 * Model weights as one safetensors file, and training checkpoints as a directory:
 * <pre>
 *   manifest.json                      format, version, epoch, step, RNG states, history, file names
 *   weights-step000120.safetensors     model parameters and buffers ("fc1.weight", ...)
 *   optimizer-step000120.safetensors   optimizer slots ("fc1.weight.exp_avg", ...)
 * </pre>
 * The manifest is the commit point: the two data files of a step are written first (each atomically),
 * then the manifest is atomically replaced to point at them, then files of older steps are deleted. A
 * crash at any moment leaves a manifest whose files exist and agree.
 */
public final class Checkpoints {
    public static final String WEIGHTS_FORMAT = "autoinit-weights";
    public static final String TRAINING_FORMAT = "autoinit-training-checkpoint";
    public static final int FORMAT_VERSION = 1;
    public static final String MANIFEST = "manifest.json";

    private Checkpoints() {}

    /** Writes every parameter and buffer of {@code model} ("layer.param" names) to a safetensors file, atomically. */
    public static void saveWeights(Model model, Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.namedParameters().forEach((name, p) -> tensors.put(name, p.value()));
        Safetensors.write(file, tensors, Map.of("format", WEIGHTS_FORMAT, "format_version", Integer.toString(FORMAT_VERSION)));
    }

    /**
     * Loads weights saved by {@link #saveWeights} (or any safetensors file with the model's names) into the
     * model in place. Everything is checked before anything is copied, so a failed load changes nothing.
     */
    public static void loadWeights(Model model, Path file) throws IOException {
        loadWeights(model, Safetensors.read(file).tensors(), file.toString());
    }

    /** At most this many mismatches are spelled out in one error (a wrong architecture can mismatch hundreds). */
    static final int MAX_LISTED = 8;

    /**
     * Loads named tensors into the model, checking names, shapes and dtypes; {@code source} names them in errors.
     * One mismatch gives one sentence; several are all listed (as PyTorch's load_state_dict does), except that
     * a dtype mismatch is reported once: it is the same fix for every tensor.
     */
    public static void loadWeights(Model model, Map<String, Tensor> tensors, String source) {
        LinkedHashMap<String, Parameter> params = model.namedParameters();
        List<String> problems = new ArrayList<>();
        boolean dtypeReported = false;
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor t = tensors.get(e.getKey());
            Tensor v = e.getValue().value();
            if (t == null) {
                problems.add("'" + e.getKey() + "' is in the model but not in " + source);
            } else if (!Arrays.equals(t.shape(), v.shape())) {
                problems.add("'" + e.getKey() + "' has shape " + Arrays.toString(t.shape()) + " in the file but "
                        + Arrays.toString(v.shape()) + " in the model");
            } else if (t.dtype() != v.dtype() && !dtypeReported) {
                dtypeReported = true;
                problems.add("'" + e.getKey() + "' has dtype " + t.dtype() + " in the file but " + v.dtype()
                        + " in the model; convert the model with to(" + t.dtype().name() + ") first");
            }
        }
        for (String name : tensors.keySet()) {
            if (!params.containsKey(name)) {
                problems.add("'" + name + "' is in " + source + " but not in the model");
            }
        }
        if (problems.size() == 1) {
            throw new IllegalArgumentException("load: " + problems.get(0));
        }
        if (!problems.isEmpty()) {
            StringBuilder sb = new StringBuilder("load: " + problems.size() + " mismatches between the model and " + source + ": ");
            sb.append(String.join("; ", problems.subList(0, Math.min(MAX_LISTED, problems.size()))));
            if (problems.size() > MAX_LISTED) {
                sb.append("; and ").append(problems.size() - MAX_LISTED).append(" more");
            }
            throw new IllegalArgumentException(sb.toString());
        }
        // In place, so optimizers holding the parameter tensors keep working.
        params.forEach((name, p) -> p.value().copy_(tensors.get(name)));
    }

    /**
     * Saves a training checkpoint into {@code dir} (created if needed), replacing the previous one atomically.
     * The data files never overwrite the ones the current manifest names (a second save at the same step gets
     * "-1", "-2", ... names), so a save that fails at any point leaves the previous checkpoint loadable.
     */
    public static void saveTraining(Path dir, Model model, Optimizer optimizer, TrainingState state) throws IOException {
        Files.createDirectories(dir);
        String tag = String.format("step%06d", state.step());
        String weights = "weights-" + tag + ".safetensors";
        String optim = "optimizer-" + tag + ".safetensors";
        for (int n = 1; Files.exists(dir.resolve(weights)) || Files.exists(dir.resolve(optim)); n++) {
            weights = "weights-" + tag + "-" + n + ".safetensors";
            optim = "optimizer-" + tag + "-" + n + ".safetensors";
        }
        saveWeights(model, dir.resolve(weights));
        Safetensors.write(dir.resolve(optim), optimizer.state(), Map.of("optimizer", optimizer.type()));

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", TRAINING_FORMAT);
        m.put("format_version", (long) FORMAT_VERSION);
        m.put("epoch", (long) state.epoch());
        m.put("step", state.step());
        m.put("learning_rate", state.learningRate());
        m.put("optimizer", optimizer.type());
        m.put("weights", weights);
        m.put("optimizer_state", optim);
        Map<String, Object> rng = new LinkedHashMap<>();
        rng.put("algorithm", "xoshiro256**");
        rng.put("data", hex(state.dataRng()));
        rng.put("dropout", hex(state.dropoutRng()));
        m.put("rng", rng);
        m.put("history", state.history());
        AtomicFiles.writeString(dir.resolve(MANIFEST), Json.pretty(m));

        // The new checkpoint is committed; removing older data files (and leftovers of failed saves) is tidying
        // only, so a file that cannot be removed is left for the next save rather than failing this one.
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "{weights,optimizer}-step*.safetensors")) {
            for (Path p : old) {
                String n = p.getFileName().toString();
                if (!n.equals(weights) && !n.equals(optim)) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        // e.g. a directory of that name; harmless
                    }
                }
            }
        }
    }

    /** Loads a training checkpoint into {@code model} and {@code optimizer} and returns the run position. */
    public static TrainingState loadTraining(Path dir, Model model, Optimizer optimizer) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST);
        String text;
        try {
            text = Files.readString(manifestFile);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("checkpoint: " + dir + " has no " + MANIFEST + " (not a training checkpoint directory)", e);
        }
        String where = " (" + manifestFile + ")";
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("checkpoint: " + e.getMessage() + where, e);
        }
        if (!(parsed instanceof Map<?, ?> m) || !TRAINING_FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException("checkpoint: manifest is not an " + TRAINING_FORMAT + " manifest" + where);
        }
        long version = number(m, "format_version", where).longValue();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("checkpoint: format_version " + version + " is not supported (this library reads version "
                    + FORMAT_VERSION + ")" + where);
        }
        if (!optimizer.type().equals(m.get("optimizer"))) {
            throw new IllegalArgumentException("checkpoint: optimizer state was saved by " + m.get("optimizer") + " but the optimizer is "
                    + optimizer.type() + where);
        }
        Safetensors.Contents optim = Safetensors.read(dataFile(dir, string(m, "optimizer_state", where), where));
        Path weights = dataFile(dir, string(m, "weights", where), where);
        Map<String, Tensor> w = Safetensors.read(weights).tensors();
        if (!(m.get("rng") instanceof Map<?, ?> rng)) {
            throw new IllegalArgumentException("checkpoint: manifest needs an \"rng\" object" + where);
        }
        TrainingState state = new TrainingState(number(m, "epoch", where).intValue(), number(m, "step", where).longValue(),
                number(m, "learning_rate", where).doubleValue(), unhex(rng.get("data"), where), unhex(rng.get("dropout"), where),
                historyList(m.get("history"), where));
        Map<String, Tensor> previous = new LinkedHashMap<>();
        optimizer.state().forEach((k, t) -> previous.put(k, t.copy()));
        optimizer.loadState(optim.tensors());
        try {
            loadWeights(model, w, weights.toString());
        } catch (RuntimeException e) {
            optimizer.loadState(previous); // a failed load changes neither the model nor the optimizer
            throw e;
        }
        return state;
    }

    /** A data file the manifest names; missing means the directory was damaged by something other than a save. */
    private static Path dataFile(Path dir, String name, String where) {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("checkpoint: the manifest names " + name + ", which is missing from " + dir + where);
        }
        return p;
    }

    private static Number number(Map<?, ?> m, String key, String where) {
        if (!(m.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("checkpoint: manifest needs a number \"" + key + "\"" + where);
        }
        return n;
    }

    private static String string(Map<?, ?> m, String key, String where) {
        if (!(m.get(key) instanceof String s) || s.contains("/") || s.contains("\\")) {
            throw new IllegalArgumentException("checkpoint: manifest needs a file name \"" + key + "\"" + where);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> historyList(Object v, String where) {
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException("checkpoint: manifest needs a \"history\" array" + where);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("checkpoint: every \"history\" entry must be an object, got " + Json.write(o) + where);
            }
            out.add((Map<String, Object>) o);
        }
        return out;
    }

    /** 64-bit words as unsigned hex strings: exact in any JSON reader (JSON numbers lose bits past 2^53). */
    private static List<String> hex(long[] words) {
        List<String> out = new ArrayList<>();
        for (long w : words) out.add(Long.toHexString(w));
        return out;
    }

    private static long[] unhex(Object v, String where) {
        if (!(v instanceof List<?> l) || l.size() != 4) {
            throw new IllegalArgumentException("checkpoint: a generator state must be 4 hex strings" + where);
        }
        long[] out = new long[4];
        for (int i = 0; i < 4; i++) {
            try {
                out[i] = Long.parseUnsignedLong((String) l.get(i), 16);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("checkpoint: bad generator word " + Json.write(l.get(i)) + where, e);
            }
        }
        return out;
    }
}
