package org.autoinit.nn.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * Reads safetensors files, validating before allocating anything large: header length against the file
 * size, the header as UTF-8 JSON, each entry's dtype, shape and offsets, offsets against dtype x shape, and
 * that the tensors tile the data section exactly (no overlap, no gap, no trailing bytes, as the reference
 * reader requires). Every message names the file.
 */
final class SafetensorsReader {
    /** The reference implementation's cap; a larger "header" is a corrupt or hostile file. */
    static final long MAX_HEADER = 100_000_000L;

    private SafetensorsReader() {}

    private record Entry(String name, DType dtype, int[] shape, long begin, long end) {}

    static Safetensors.Contents read(Path file) throws IOException {
        String where = " (file " + file + ")";
        try (FileChannel ch = Safetensors.open(file)) {
            long size = ch.size();
            if (size < 8) {
                throw corrupt("file is " + size + " bytes, too short for the 8-byte header length" + where);
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.flip().getLong();
            if (n < 0 || n > size - 8) {
                throw corrupt("header length " + Long.toUnsignedString(n) + " exceeds file size " + size + where);
            }
            if (n > MAX_HEADER) {
                throw corrupt("header length " + n + " is above the " + MAX_HEADER + "-byte limit" + where);
            }
            ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
            readFully(ch, headerBuf, 8);
            String header = decode(headerBuf.flip(), where);
            Object parsed;
            try {
                parsed = Json.parse(header);
            } catch (IllegalArgumentException e) {
                throw corrupt("header is not valid JSON: " + e.getMessage() + where);
            }
            if (!(parsed instanceof Map<?, ?> root)) {
                throw corrupt("header must be a JSON object" + where);
            }
            long dataStart = 8 + n;
            long dataSize = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : root.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals(Safetensors.METADATA_KEY)) {
                    metadata = metadata(e.getValue(), where);
                } else {
                    entries.add(entry(name, e.getValue(), dataSize, where));
                }
            }
            checkTiling(entries, dataSize, where);
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : entries) {
                tensors.put(e.name, data(ch, e, dataStart));
            }
            return new Safetensors.Contents(tensors, metadata);
        }
    }

    private static Map<String, String> metadata(Object v, String where) {
        if (!(v instanceof Map<?, ?> m)) {
            throw corrupt("__metadata__ must be an object of strings" + where);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw corrupt("__metadata__ value of '" + e.getKey() + "' must be a string, got " + Json.write(e.getValue()) + where);
            }
            out.put((String) e.getKey(), s);
        }
        return out;
    }

    private static Entry entry(String name, Object v, long dataSize, String where) {
        String what = "tensor '" + name + "'";
        if (!(v instanceof Map<?, ?> info)) {
            throw corrupt(what + " must be described by an object" + where);
        }
        Object dt = info.get("dtype");
        DType dtype;
        if ("F32".equals(dt)) {
            dtype = DType.FLOAT32;
        } else if ("F64".equals(dt)) {
            dtype = DType.FLOAT64;
        } else {
            throw corrupt(what + " has dtype " + Json.write(dt) + "; only \"F32\" and \"F64\" are supported" + where);
        }
        int[] shape = shape(info.get("shape"), what, where);
        long[] off = offsets(info.get("data_offsets"), what, where);
        long need = Arrays.stream(shape).asLongStream().reduce(1, Math::multiplyExact) * dtype.bytes();
        if (off[1] - off[0] != need) {
            throw corrupt(what + " has data_offsets [" + off[0] + ", " + off[1] + "] (" + (off[1] - off[0])
                    + " bytes) but dtype " + dt + " and shape " + Arrays.toString(shape) + " need " + need + " bytes" + where);
        }
        if (off[1] > dataSize) {
            throw corrupt(what + " has data_offsets [" + off[0] + ", " + off[1] + "] out of bounds of the "
                    + dataSize + "-byte data section" + where);
        }
        return new Entry(name, dtype, shape, off[0], off[1]);
    }

    private static int[] shape(Object v, String what, String where) {
        if (!(v instanceof List<?> l)) {
            throw corrupt(what + " needs a \"shape\" array of non-negative integers" + where);
        }
        int[] shape = new int[l.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(l.get(i) instanceof Long x) || x < 0 || x > Integer.MAX_VALUE) {
                throw corrupt(what + " has an invalid shape " + Json.write(l) + where);
            }
            shape[i] = (int) (long) x;
            numel *= x;
            if (numel > Integer.MAX_VALUE) {
                throw corrupt(what + " has shape " + Json.write(l) + " with more than 2^31-1 elements" + where);
            }
        }
        return shape;
    }

    private static long[] offsets(Object v, String what, String where) {
        if (!(v instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof Long b) || !(l.get(1) instanceof Long e)
                || b < 0 || e < b) {
            throw corrupt(what + " needs \"data_offsets\" [begin, end] with 0 <= begin <= end, got " + Json.write(v) + where);
        }
        return new long[] {b, e};
    }

    /** The reference reader accepts only files whose tensors cover the data section end to end. */
    private static void checkTiling(List<Entry> entries, long dataSize, String where) {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long cursor = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin < cursor) {
                throw corrupt("tensors '" + previous.name + "' [" + previous.begin + ", " + previous.end + ") and '" + e.name
                        + "' [" + e.begin + ", " + e.end + ") overlap in the data section" + where);
            }
            if (e.begin > cursor) {
                throw corrupt("bytes [" + cursor + ", " + e.begin + ") of the data section belong to no tensor" + where);
            }
            cursor = e.end;
            if (e.end > e.begin) previous = e;
        }
        if (cursor != dataSize) {
            throw corrupt("the data section has " + dataSize + " bytes but the tensors end at byte " + cursor + where);
        }
    }

    private static Tensor data(FileChannel ch, Entry e, long dataStart) throws IOException {
        int n = (int) ((e.end - e.begin) / e.dtype.bytes());
        Tensor t = Tensor.zeros(e.dtype, e.shape);
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        long pos = dataStart + e.begin;
        int width = e.dtype.bytes();
        for (int i = 0; i < n; ) {
            int m = Math.min(n - i, buf.capacity() / width);
            buf.clear().limit(m * width);
            readFully(ch, buf, pos);
            buf.flip();
            if (e.dtype == DType.FLOAT32) {
                buf.asFloatBuffer().get(t.floatData(), i, m);
            } else {
                buf.asDoubleBuffer().get(t.doubleData(), i, m);
            }
            pos += (long) m * width;
            i += m;
        }
        return t;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long p = position;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) {
                throw new EOFException("safetensors: unexpected end of file at byte " + p);
            }
            p += r;
        }
    }

    private static String decode(ByteBuffer bytes, String where) {
        try {
            CharBuffer cb = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return cb.toString();
        } catch (CharacterCodingException e) {
            throw corrupt("header is not valid UTF-8" + where);
        }
    }

    private static IllegalArgumentException corrupt(String message) {
        return new IllegalArgumentException("safetensors: " + message);
    }
}
