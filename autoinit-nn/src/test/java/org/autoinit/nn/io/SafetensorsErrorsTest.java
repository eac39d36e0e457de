package org.autoinit.nn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.autoinit.nn.Model;
import org.autoinit.nn.Sequential;
import org.autoinit.nn.layers.Dense;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt or mismatching files beyond SafetensorsTest's: each message says exactly what is wrong and where. */
class SafetensorsErrorsTest {
    @TempDir
    Path dir;

    private Path raw(long headerLength, byte[] header, int dataBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(headerLength).put(header);
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, b.array());
        return f;
    }

    private Path file(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return raw(h.length, h, dataBytes);
    }

    private static String error(Path f) {
        return assertThrows(IllegalArgumentException.class, () -> Safetensors.read(f)).getMessage();
    }

    @Test
    void headerLengthBounds() throws IOException {
        Path f = raw(-8, new byte[16], 0); // 0xFFFFFFFFFFFFFFF8 as unsigned
        assertEquals("safetensors: header length 18446744073709551608 exceeds file size 24 (file " + f + ")", error(f));
        Path g = raw(17, new byte[16], 0);
        assertEquals("safetensors: header length 17 exceeds file size 24 (file " + g + ")", error(g));
        // A header above the reference reader's 100 MB cap, in a (sparse) file large enough to hold it.
        Path big = dir.resolve("big.safetensors");
        try (RandomAccessFile r = new RandomAccessFile(big.toFile(), "rw")) {
            r.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_001L).array());
            r.setLength(100_000_100L);
        }
        assertEquals("safetensors: header length 100000001 is above the 100000000-byte limit (file " + big + ")", error(big));
    }

    @Test
    void headerContents() throws IOException {
        Path f = raw(4, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, 0);
        assertEquals("safetensors: header is not valid UTF-8 (file " + f + ")", error(f));
        String dup = error(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8));
        assertTrue(dup.startsWith("safetensors: header is not valid JSON: ") && dup.contains("duplicate key \"a\""), dup);
        Path w = dir.resolve("bad.safetensors");
        assertEquals("safetensors: tensor 'a' needs a \"shape\" array of non-negative integers (file " + w + ")",
                error(file("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4)));
        assertEquals("safetensors: tensor 'a' has dtype null; only \"F32\" and \"F64\" are supported (file " + w + ")",
                error(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4)));
        assertEquals("safetensors: tensor 'a' has shape [65536,65536] with more than 2^31-1 elements (file " + w + ")",
                error(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}}", 4)));
        assertEquals("safetensors: tensor 'a' must be described by an object (file " + w + ")", error(file("{\"a\":[1]}", 0)));
    }

    @Test
    void truncatedCheckpointIsRejectedBeforeTheModelChanges() throws IOException {
        Model m = Sequential.of(new int[] {3}, new Dense("fc", 2));
        m.namedParameters().get("fc.weight").value().fill_(0.5);
        Path f = dir.resolve("w.safetensors");
        Checkpoints.saveWeights(m, f);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 4)); // the last float of the data is cut off
        Model target = Sequential.of(new int[] {3}, new Dense("fc", 2));
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadWeights(target, f));
        // Tensors are laid out by name: fc.bias (8 bytes) then fc.weight (24 bytes); 28 of 32 data bytes remain.
        assertEquals("safetensors: tensor 'fc.weight' has data_offsets [8, 32] out of bounds of the 28-byte data section (file " + f + ")",
                e.getMessage());
        assertEquals(0.0, target.namedParameters().get("fc.weight").value().getFlat(0), 0);
    }

    @Test
    void float64FileIntoAFloat32ModelNamesTheDtypes() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("fc.weight", Tensor.zeros(DType.FLOAT64, 3, 2));
        t.put("fc.bias", Tensor.zeros(DType.FLOAT64, 2));
        Path f = dir.resolve("f64.safetensors");
        Safetensors.write(f, t);
        Model m = Sequential.of(new int[] {3}, new Dense("fc", 2));
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadWeights(m, f));
        assertEquals("load: 'fc.weight' has dtype float64 in the file but float32 in the model; convert the model with to(FLOAT64) first",
                e.getMessage());
    }

    @Test
    void severalMismatchesAreAllNamedUpToALimit() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("fc.weight", Tensor.zeros(DType.FLOAT32, 3, 4));
        t.put("head.weight", Tensor.zeros(DType.FLOAT32, 4, 2));
        Path f = dir.resolve("other.safetensors");
        Safetensors.write(f, t);
        Model m = Sequential.of(new int[] {3}, new Dense("fc", 2));
        var mixed = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadWeights(m, f));
        assertEquals("load: 3 mismatches between the model and " + f + ": 'fc.weight' has shape [3, 4] in the file but [3, 2] in the model; "
                + "'fc.bias' is in the model but not in " + f + "; 'head.weight' is in " + f + " but not in the model", mixed.getMessage());

        // Another architecture altogether: 10 tensors missing, 2 unexpected; 8 are spelled out.
        Model deep = Sequential.of(new int[] {3}, new Dense("x1", 3), new Dense("x2", 3), new Dense("x3", 3), new Dense("x4", 3), new Dense("x5", 2));
        var many = assertThrows(IllegalArgumentException.class, () -> Checkpoints.loadWeights(deep, f));
        String missing = "' is in the model but not in " + f;
        assertEquals("load: 12 mismatches between the model and " + f + ": 'x1.weight" + missing + "; 'x1.bias" + missing + "; 'x2.weight" + missing
                + "; 'x2.bias" + missing + "; 'x3.weight" + missing + "; 'x3.bias" + missing + "; 'x4.weight" + missing + "; 'x4.bias" + missing
                + "; and 4 more", many.getMessage());
    }
}
