package org.autoinit.nn.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}, "__metadata__": {...}}},
 * padded with spaces to a multiple of 8), then the raw little-endian tensor data; offsets count from the
 * start of the data section.
 *
 * <p>Like the reference writer, tensors are laid out by dtype size (F64 first) and then by name, so every
 * tensor starts 8-byte aligned; the header lists them in the same order, after {@code __metadata__}.
 * Writes are atomic ({@link AtomicFiles}); reads validate everything ({@link SafetensorsReader}).
 */
public final class Safetensors {
    /** Name of the optional string-to-string metadata entry in the header. */
    public static final String METADATA_KEY = "__metadata__";

    private Safetensors() {}

    /** A file's tensors (in file order) and its metadata (empty when absent). */
    public record Contents(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {}

    /** Writes tensors and metadata (may be empty) to {@code file} atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        List<Map.Entry<String, Tensor>> order = layout(tensors);
        byte[] header = header(order, metadata);
        AtomicFiles.write(file, ch -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            AtomicFiles.writeFully(ch, len);
            AtomicFiles.writeFully(ch, ByteBuffer.wrap(header));
            for (Map.Entry<String, Tensor> e : order) {
                writeData(ch, e.getValue());
            }
        });
    }

    /** Writes tensors without metadata. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /** Reads and validates a whole file. */
    public static Contents read(Path file) throws IOException {
        return SafetensorsReader.read(file);
    }

    /** The safetensors name of a dtype. */
    public static String dtypeName(DType t) {
        return t == DType.FLOAT32 ? "F32" : "F64";
    }

    /** Tensors in file order: larger dtypes first (keeps alignment), then by name. */
    static List<Map.Entry<String, Tensor>> layout(Map<String, Tensor> tensors) {
        List<Map.Entry<String, Tensor>> order = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("safetensors: invalid tensor name '" + name + "'");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("safetensors: tensor '" + name + "' is null");
            }
            order.add(Map.entry(name, e.getValue()));
        }
        order.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -e.getValue().dtype().bytes())
                .thenComparing(Map.Entry::getKey));
        return order;
    }

    /** The JSON header bytes, space-padded to a multiple of 8. */
    static byte[] header(List<Map.Entry<String, Tensor>> order, Map<String, String> metadata) {
        Map<String, Object> json = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            json.put(METADATA_KEY, new java.util.TreeMap<String, Object>(metadata)); // sorted: same bytes whatever the map's order
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : order) {
            Tensor t = e.getValue();
            long bytes = (long) t.numel() * t.dtype().bytes();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", dtypeName(t.dtype()));
            info.put("shape", t.shape());
            info.put("data_offsets", new long[] {offset, offset + bytes});
            json.put(e.getKey(), info);
            offset += bytes;
        }
        byte[] raw = Json.write(json).getBytes(StandardCharsets.UTF_8);
        int padded = (raw.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(raw, 0, out, 0, raw.length);
        for (int i = raw.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static final int CHUNK = 1 << 16;

    /** Streams one tensor's values little-endian in 64 KiB chunks (no copy of the whole tensor). */
    private static void writeData(FileChannel ch, Tensor t) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        int n = t.numel();
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.floatData();
            for (int i = 0; i < n; ) {
                int m = Math.min(n - i, CHUNK / 4);
                buf.clear();
                buf.asFloatBuffer().put(a, i, m);
                buf.limit(m * 4);
                AtomicFiles.writeFully(ch, buf);
                i += m;
            }
        } else {
            double[] a = t.doubleData();
            for (int i = 0; i < n; ) {
                int m = Math.min(n - i, CHUNK / 8);
                buf.clear();
                buf.asDoubleBuffer().put(a, i, m);
                buf.limit(m * 8);
                AtomicFiles.writeFully(ch, buf);
                i += m;
            }
        }
    }

    /** Opens a file for reading (shared by the reader). */
    static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }
}
