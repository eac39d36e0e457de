package org.autoinit.tensor.ops;

/**
 * Reference convolution written directly from the definition (test-only, no shared code with the ops):
 * every output element, every input channel of its group, every kernel tap, zero outside the image.
 * Works on a copy of the values as doubles, so float32 results are compared against exact sums.
 */
final class NaiveConv {
    /** One convolution problem; padding is derived here from the spec's definition, not by the op. */
    record Problem(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int dh, int dw, int groups,
                   int padTop, int padLeft, int outH, int outW) {

        static Problem of(int n, int c, int h, int w, int o, int kh, int kw, Conv2dSpec s) {
            int[] hAxis = axis(h, kh, s.strideH(), s.padH(), s.dilH(), s.same());
            int[] wAxis = axis(w, kw, s.strideW(), s.padW(), s.dilW(), s.same());
            return new Problem(n, c, h, w, o, kh, kw, s.strideH(), s.strideW(), s.dilH(), s.dilW(), s.groups(),
                    hAxis[0], wAxis[0], hAxis[1], wAxis[1]);
        }

        /** {leading pad, output size}: "same" gives ceil(in / stride) outputs, odd padding at the end. */
        private static int[] axis(int in, int k, int s, int p, int d, boolean same) {
            if (same) {
                int out = (int) Math.ceil(in / (double) s);
                int needed = (out - 1) * s + d * (k - 1) + 1;
                int total = Math.max(0, needed - in);
                return new int[] {total / 2, out};
            }
            return new int[] {p, (int) Math.floor((in + 2.0 * p - d * (k - 1) - 1) / s) + 1};
        }
    }

    private NaiveConv() {}

    private static double xAt(double[] x, Problem p, int b, int ch, int ih, int iw) {
        if (ih < 0 || ih >= p.h() || iw < 0 || iw >= p.w()) return 0;
        return x[((b * p.c() + ch) * p.h() + ih) * p.w() + iw];
    }

    /** y[b, oc, oy, ox] for x [n, c, h, w], wt [o, c/groups, kh, kw], bias [o] or null. */
    static double[] forward(Problem p, double[] x, double[] wt, double[] bias) {
        int cg = p.c() / p.groups(), og = p.o() / p.groups();
        double[] y = new double[p.n() * p.o() * p.outH() * p.outW()];
        for (int b = 0; b < p.n(); b++)
            for (int oc = 0; oc < p.o(); oc++)
                for (int oy = 0; oy < p.outH(); oy++)
                    for (int ox = 0; ox < p.outW(); ox++) {
                        double s = bias == null ? 0 : bias[oc];
                        for (int ci = 0; ci < cg; ci++) {
                            int ch = oc / og * cg + ci;
                            for (int i = 0; i < p.kh(); i++)
                                for (int j = 0; j < p.kw(); j++) {
                                    int ih = oy * p.sh() - p.padTop() + i * p.dh(), iw = ox * p.sw() - p.padLeft() + j * p.dw();
                                    s += wt[((oc * cg + ci) * p.kh() + i) * p.kw() + j] * xAt(x, p, b, ch, ih, iw);
                                }
                        }
                        y[((b * p.o() + oc) * p.outH() + oy) * p.outW() + ox] = s;
                    }
        return y;
    }

    /** {dx, dw, db} for upstream gradient gy, by the chain rule applied to each term of {@link #forward}. */
    static double[][] backward(Problem p, double[] x, double[] wt, double[] gy) {
        int cg = p.c() / p.groups(), og = p.o() / p.groups();
        double[] dx = new double[x.length], dw = new double[wt.length], db = new double[p.o()];
        for (int b = 0; b < p.n(); b++)
            for (int oc = 0; oc < p.o(); oc++)
                for (int oy = 0; oy < p.outH(); oy++)
                    for (int ox = 0; ox < p.outW(); ox++) {
                        double g = gy[((b * p.o() + oc) * p.outH() + oy) * p.outW() + ox];
                        db[oc] += g;
                        for (int ci = 0; ci < cg; ci++) {
                            int ch = oc / og * cg + ci;
                            for (int i = 0; i < p.kh(); i++)
                                for (int j = 0; j < p.kw(); j++) {
                                    int ih = oy * p.sh() - p.padTop() + i * p.dh(), iw = ox * p.sw() - p.padLeft() + j * p.dw();
                                    if (ih < 0 || ih >= p.h() || iw < 0 || iw >= p.w()) continue;
                                    int wi = ((oc * cg + ci) * p.kh() + i) * p.kw() + j;
                                    int xi = ((b * p.c() + ch) * p.h() + ih) * p.w() + iw;
                                    dw[wi] += g * x[xi];
                                    dx[xi] += g * wt[wi];
                                }
                        }
                    }
        return new double[][] {dx, dw, db};
    }
}
