package org.autoinit.nn.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/** Bit-for-bit tensor comparison (round trips, determinism): -0.0 differs from 0.0, NaN payloads count. */
public final class Bits {
    private Bits() {}

    /** Same dtype, shape and raw bits; the message names the first differing element. */
    public static void assertEqual(Tensor want, Tensor got, String what) {
        assertEquals(want.dtype(), got.dtype(), what + " dtype");
        assertArrayEquals(want.shape(), got.shape(), what + " shape");
        int[] a = of(want), b = of(got);
        int per = a.length / Math.max(1, want.numel()); // 1 int per float32, 2 per float64
        for (int j = 0; j < a.length; j++) {
            if (a[j] != b[j]) {
                int i = j / Math.max(1, per);
                throw new AssertionError(what + "[" + i + "]: expected " + want.getFlat(i) + " but was " + got.getFlat(i) + " (not bit-identical)");
            }
        }
    }

    /** Raw bits (float32) or both halves of the raw bits (float64), so -0.0 != 0.0 and NaN payloads count. */
    public static int[] of(Tensor t) {
        int[] out = new int[t.dtype() == DType.FLOAT32 ? t.numel() : 2 * t.numel()];
        if (t.dtype() == DType.FLOAT32) {
            float[] f = t.floatData();
            for (int i = 0; i < f.length; i++) out[i] = Float.floatToRawIntBits(f[i]);
        } else {
            double[] d = t.doubleData();
            for (int i = 0; i < d.length; i++) {
                long l = Double.doubleToRawLongBits(d[i]);
                out[2 * i] = (int) (l >>> 32);
                out[2 * i + 1] = (int) l;
            }
        }
        return out;
    }
}
