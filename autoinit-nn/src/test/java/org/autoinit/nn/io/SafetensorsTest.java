package org.autoinit.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void headerAndDataAreByteExact() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("b", Tensor.of(new float[] {1.0f, -2.0f}, 2));
        t.put("a", Tensor.scalar(0.5, DType.FLOAT64));
        Path f = dir.resolve("tiny.safetensors");
        Safetensors.write(f, t, Map.of("k", "v"));

        // Written by hand: metadata first, then F64 before F32 (alignment), offsets relative to the data start.
        String json = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        assertEquals(132, json.length());
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(new byte[] {(byte) 136, 0, 0, 0, 0, 0, 0, 0});     // 132 padded to 136, little endian
        want.writeBytes(json.getBytes(StandardCharsets.US_ASCII));
        want.writeBytes("    ".getBytes(StandardCharsets.US_ASCII));
        want.writeBytes(new byte[] {0, 0, 0, 0, 0, 0, (byte) 0xE0, 0x3F}); // 0.5 = 0x3FE0000000000000
        want.writeBytes(new byte[] {0, 0, (byte) 0x80, 0x3F});              // 1.0f = 0x3F800000
        want.writeBytes(new byte[] {0, 0, 0, (byte) 0xC0});                 // -2.0f = 0xC0000000
        assertArrayEquals(want.toByteArray(), Files.readAllBytes(f));
    }

    @Test
    void roundTripKeepsValuesShapesDtypesAndMetadata() throws IOException {
        SplittableRandom rng = new SplittableRandom(7);
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("conv.weight", Tensor.randn(rng, DType.FLOAT32, 4, 3, 3, 3));
        t.put("big", Tensor.randn(rng, DType.FLOAT64, 20_000)); // more than one 64 KiB chunk
        t.put("scalar32", Tensor.scalar(-3.25, DType.FLOAT32));
        t.put("scalar64", Tensor.scalar(Math.PI, DType.FLOAT64));
        t.put("empty", Tensor.zeros(DType.FLOAT32, 0, 5));
        t.put("special", Tensor.of(new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0.0f, Float.MIN_VALUE}, 4));
        Path f = dir.resolve("rt.safetensors");
        Safetensors.write(f, t, Map.of("format", "test", "note", "quote \" and \u00e9"));
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals(Map.of("format", "test", "note", "quote \" and \u00e9"), c.metadata());
        assertEquals(List.of("big", "scalar64", "conv.weight", "empty", "scalar32", "special"), List.copyOf(c.tensors().keySet()));
        for (Map.Entry<String, Tensor> e : t.entrySet()) {
            Tensor got = c.tensors().get(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            if (got.dtype() == DType.FLOAT32) {
                float[] a = e.getValue().floatData(), b = got.floatData();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), e.getKey() + "[" + i + "]");
                }
            } else {
                assertArrayEquals(e.getValue().doubleData(), got.doubleData(), 0, e.getKey());
            }
        }
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "header padded to a multiple of 8");
    }

    // ------------------------------------------------------------------ corrupt files

    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private String error(Path f) {
        return assertThrows(IllegalArgumentException.class, () -> Safetensors.read(f)).getMessage();
    }

    @Test
    void corruptFilesGivePreciseMessages() throws IOException {
        String ok = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        String where = " (file " + dir.resolve("bad.safetensors") + ")";

        Path tooBig = dir.resolve("bad.safetensors");
        ByteBuffer b = ByteBuffer.allocate(1000).order(ByteOrder.LITTLE_ENDIAN).putLong(123456);
        Files.write(tooBig, b.array());
        assertEquals("safetensors: header length 123456 exceeds file size 1000" + where, error(tooBig));

        Files.write(tooBig, new byte[] {1, 2, 3});
        assertEquals("safetensors: file is 3 bytes, too short for the 8-byte header length" + where, error(tooBig));

        assertEquals("safetensors: tensor 'a' has data_offsets [0, 8] out of bounds of the 4-byte data section" + where,
                error(file(ok, 4))); // truncated data

        assertTrue(error(file("{\"a\":{\"dtype\":", 0)).startsWith("safetensors: header is not valid JSON: invalid JSON at offset 14: unexpected end of input, expected a value"));
        assertEquals("safetensors: header must be a JSON object" + where, error(file("[1,2]", 0)));

        assertEquals("safetensors: tensor 'a' has data_offsets [0, 12] (12 bytes) but dtype F32 and shape [2] need 8 bytes" + where,
                error(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", 12)));

        assertEquals("safetensors: tensor 'a' has data_offsets [8, 16] out of bounds of the 8-byte data section" + where,
                error(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", 8)));

        assertEquals("safetensors: tensors 'a' [0, 8) and 'b' [4, 12) overlap in the data section" + where,
                error(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12)));

        assertEquals("safetensors: bytes [0, 4) of the data section belong to no tensor" + where,
                error(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)));

        assertEquals("safetensors: the data section has 12 bytes but the tensors end at byte 8" + where, error(file(ok, 12)));

        assertEquals("safetensors: tensor 'a' has dtype \"F16\"; only \"F32\" and \"F64\" are supported" + where,
                error(file("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)));

        assertEquals("safetensors: tensor 'a' has an invalid shape [2,-1]" + where,
                error(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,4]}}", 4)));

        assertEquals("safetensors: tensor 'a' needs \"data_offsets\" [begin, end] with 0 <= begin <= end, got [8,0]" + where,
                error(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8)));

        assertEquals("safetensors: __metadata__ value of 'n' must be a string, got 3" + where,
                error(file("{\"__metadata__\":{\"n\":3}}", 0)));
    }

    // ------------------------------------------------------------------ atomic saves

    private static Map<String, Tensor> weights(double v) {
        return Map.of("w", Tensor.full(v, DType.FLOAT32, 1000));
    }

    private List<Path> listDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void interruptedSaveLeavesThePreviousFileIntact() throws IOException {
        Path f = dir.resolve("model.safetensors");
        Safetensors.write(f, weights(1.0));
        byte[] before = Files.readAllBytes(f);
        Thread.currentThread().interrupt(); // the first channel write then fails with ClosedByInterruptException
        try {
            assertThrows(ClosedByInterruptException.class, () -> Safetensors.write(f, weights(2.0)));
        } finally {
            Thread.interrupted();
        }
        assertArrayEquals(before, Files.readAllBytes(f));
        assertEquals(1.0, Safetensors.read(f).tensors().get("w").getFlat(999), 0);
        assertEquals(List.of(f), listDir(), "no temporary file left behind");
    }

    @Test
    void failedRenameLeavesTheTargetAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("occupied");
        Files.createDirectories(target.resolve("child")); // a non-empty directory cannot be replaced by a file
        assertThrows(IOException.class, () -> Safetensors.write(target, weights(3.0)));
        assertTrue(Files.isDirectory(target.resolve("child")));
        assertEquals(List.of(target), listDir());
    }

    @Test
    void invalidNamesAreRejectedBeforeWriting() {
        Path f = dir.resolve("x.safetensors");
        var e = assertThrows(IllegalArgumentException.class, () -> Safetensors.write(f, Map.of("__metadata__", Tensor.zeros(DType.FLOAT32, 1))));
        assertEquals("safetensors: invalid tensor name '__metadata__'", e.getMessage());
        assertTrue(Files.notExists(f));
    }
}
