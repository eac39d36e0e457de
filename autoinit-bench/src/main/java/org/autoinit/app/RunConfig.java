package org.autoinit.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.autoinit.nn.io.AtomicFiles;
import org.autoinit.nn.io.Json;

/**
 * Everything needed to rebuild a training run's model and data: written as {@code config.json} into the run
 * folder by {@code train}, read back by {@code train --resume} and {@code evaluate}.
 *
 * @param dataset    dataset name, or null when {@code dataDir} directly holds IDX files
 * @param dataDir    data folder as given (null: the default folder)
 * @param trainLimit use only the first samples of the training split (0 = all)
 * @param testLimit  use only the first samples of the test split (0 = all)
 */
public record RunConfig(ModelSpec model, String init, long seed, String dataset, String dataDir, int trainLimit, int testLimit,
        TrainSettings training) {
    public static final String FILE = "config.json";
    static final String FORMAT = "autoinit-run";

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("format_version", 1L);
        m.put("model", model.toMap());
        m.put("init", init);
        m.put("seed", seed);
        m.put("dataset", dataset);
        m.put("data_dir", dataDir);
        m.put("train_limit", (long) trainLimit);
        m.put("test_limit", (long) testLimit);
        m.put("training", training.toMap());
        return m;
    }

    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(FILE), Json.pretty(toMap()));
    }

    /** Reads {@code dir/config.json}. */
    public static RunConfig read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        String text;
        try {
            text = Files.readString(f);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(dir + " has no " + FILE + " (not a folder written by ./autoinit train)", e);
        }
        if (!(Json.parse(text) instanceof Map<?, ?> m) || !FORMAT.equals(m.get("format"))) {
            throw new IllegalArgumentException(f + " is not an " + FORMAT + " config");
        }
        return new RunConfig(ModelSpec.fromMap((Map<?, ?>) m.get("model")), (String) m.get("init"), (long) TrainSettings.num(m, "seed"),
                (String) m.get("dataset"), (String) m.get("data_dir"), (int) TrainSettings.num(m, "train_limit"),
                (int) TrainSettings.num(m, "test_limit"), TrainSettings.fromMap((Map<?, ?>) m.get("training")));
    }

    /** Loads the data this config names. */
    public DataChoice loadData() throws IOException {
        return DataChoice.load(dataset, dataDir == null ? null : Path.of(dataDir)).limit(trainLimit, testLimit);
    }
}
