package org.autoinit.tensor.ops;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * Moves runs of a tensor's storage into and out of {@code double[]} scratch buffers, so the fused norm and
 * attention kernels are written once, in double (float32 statistics then accumulate in double for free),
 * with one buffer per thread chunk rather than per element.
 */
final class DoubleRows {
    private DoubleRows() {}

    /** Copies {@code len} elements of {@code t} from {@code off} into {@code buf} as doubles. */
    static void load(Tensor t, int off, double[] buf, int bufOff, int len) {
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.floatData();
            for (int i = 0; i < len; i++) buf[bufOff + i] = a[off + i];
        } else {
            System.arraycopy(t.doubleData(), off, buf, bufOff, len);
        }
    }

    /** Writes {@code len} doubles from {@code buf} into {@code t} at {@code off}, rounding for float32. */
    static void store(double[] buf, int bufOff, Tensor t, int off, int len) {
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.floatData();
            for (int i = 0; i < len; i++) a[off + i] = (float) buf[bufOff + i];
        } else {
            System.arraycopy(buf, bufOff, t.doubleData(), off, len);
        }
    }
}
