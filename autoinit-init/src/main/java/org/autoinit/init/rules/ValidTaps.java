package org.autoinit.init.rules;

/** Geometry of zero padding: how many kernel taps (or window entries) land on real inputs, per axis. */
final class ValidTaps {
    private ValidTaps() {}

    /**
     * Number of taps {@code k < kernel} of output position o that read a real input:
     * {@code 0 <= o stride - padBefore + k dilation < in}.
     */
    static int count(int o, int in, int kernel, int stride, int padBefore, int dilation) {
        int n = 0;
        for (int k = 0; k < kernel; k++) {
            int i = o * stride - padBefore + k * dilation;
            if (i >= 0 && i < in) {
                n++;
            }
        }
        return n;
    }

    /** Padding before the input for TF/Keras "same": output ceil(in / stride), the odd extra at the end. */
    static int samePadBefore(int in, int kernel, int stride, int dilation) {
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + dilation * (kernel - 1) + 1 - in, 0);
        return total / 2;
    }
}
