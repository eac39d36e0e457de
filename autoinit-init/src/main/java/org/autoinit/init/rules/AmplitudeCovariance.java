package org.autoinit.init.rules;

/** {@code E_p[a_t a_u]} over output positions for a window over a non-uniform profile (see {@link SpatialProfile#window}). */
final class AmplitudeCovariance {
    private AmplitudeCovariance() {}

    /**
     * {@code E_p[a_t a_u]} with a non-uniform input profile ({@code s} = its square root): one pass over positions
     * (taps^2 per position). Interior positions, where every tap reads a real input, index by precomputed tap offsets.
     */
    static double[] of(double[] s, int inH, int inW, int outH, int outW, int kh, int kw, int sh, int sw,
            int padTop, int padLeft, int dh, int dw) {
        int taps = kh * kw;
        double[] m = new double[taps * taps], amp = new double[taps];
        int[] off = new int[taps];
        for (int a = 0; a < kh; a++) {
            for (int b = 0; b < kw; b++) {
                off[a * kw + b] = a * dh * inW + b * dw;
            }
        }
        for (int oh = 0; oh < outH; oh++) {
            int ih0 = oh * sh - padTop;
            boolean rowInside = ih0 >= 0 && ih0 + (kh - 1) * dh < inH;
            for (int ow = 0; ow < outW; ow++) {
                int iw0 = ow * sw - padLeft;
                if (rowInside && iw0 >= 0 && iw0 + (kw - 1) * dw < inW) {
                    int base = ih0 * inW + iw0;
                    for (int t = 0; t < taps; t++) {
                        amp[t] = s[base + off[t]];
                    }
                } else {
                    for (int a = 0; a < kh; a++) {
                        int ih = ih0 + a * dh;
                        for (int b = 0; b < kw; b++) {
                            int iw = iw0 + b * dw;
                            amp[a * kw + b] = ih < 0 || ih >= inH || iw < 0 || iw >= inW ? 0 : s[ih * inW + iw];
                        }
                    }
                }
                if (taps == 9) {
                    accumulate9(m, amp);
                    continue;
                }
                for (int t = 0; t < taps; t++) {
                    double at = amp[t];
                    if (at == 0) {
                        continue;
                    }
                    for (int u = t; u < taps; u++) {
                        m[t * taps + u] += at * amp[u];
                    }
                }
            }
        }
        double n = (double) outH * outW;
        for (int t = 0; t < taps; t++) {
            for (int u = t; u < taps; u++) {
                m[t * taps + u] /= n;
                m[u * taps + t] = m[t * taps + u];
            }
        }
        return m;
    }

    /** The general loop's {@code m[t taps + u] += a_t a_u} (u >= t, a_t = 0 skipped) for 3x3 windows, unrolled: the 45 pairs without loop overhead. */
    private static void accumulate9(double[] m, double[] amp) {
        double a0 = amp[0], a1 = amp[1], a2 = amp[2], a3 = amp[3], a4 = amp[4], a5 = amp[5], a6 = amp[6], a7 = amp[7], a8 = amp[8];
        if (a0 != 0) {
            m[0] += a0 * a0;
            m[1] += a0 * a1;
            m[2] += a0 * a2;
            m[3] += a0 * a3;
            m[4] += a0 * a4;
            m[5] += a0 * a5;
            m[6] += a0 * a6;
            m[7] += a0 * a7;
            m[8] += a0 * a8;
        }
        if (a1 != 0) {
            m[10] += a1 * a1;
            m[11] += a1 * a2;
            m[12] += a1 * a3;
            m[13] += a1 * a4;
            m[14] += a1 * a5;
            m[15] += a1 * a6;
            m[16] += a1 * a7;
            m[17] += a1 * a8;
        }
        if (a2 != 0) {
            m[20] += a2 * a2;
            m[21] += a2 * a3;
            m[22] += a2 * a4;
            m[23] += a2 * a5;
            m[24] += a2 * a6;
            m[25] += a2 * a7;
            m[26] += a2 * a8;
        }
        if (a3 != 0) {
            m[30] += a3 * a3;
            m[31] += a3 * a4;
            m[32] += a3 * a5;
            m[33] += a3 * a6;
            m[34] += a3 * a7;
            m[35] += a3 * a8;
        }
        if (a4 != 0) {
            m[40] += a4 * a4;
            m[41] += a4 * a5;
            m[42] += a4 * a6;
            m[43] += a4 * a7;
            m[44] += a4 * a8;
        }
        if (a5 != 0) {
            m[50] += a5 * a5;
            m[51] += a5 * a6;
            m[52] += a5 * a7;
            m[53] += a5 * a8;
        }
        if (a6 != 0) {
            m[60] += a6 * a6;
            m[61] += a6 * a7;
            m[62] += a6 * a8;
        }
        if (a7 != 0) {
            m[70] += a7 * a7;
            m[71] += a7 * a8;
        }
        if (a8 != 0) {
            m[80] += a8 * a8;
        }
    }
}
