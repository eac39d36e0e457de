package org.autoinit.tensor.ops;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.memory.StepStorage;
import org.autoinit.tensor.parallel.Parallel;

/**
 * Fused batch normalization over {@code x} viewed as {@code [n, channels, span]}: channel c's elements are
 * the {@code n} runs of {@code span} values at {@code (i * channels + c) * span}. Each channel is normalized with
 * a mean and rstd given per channel (batch statistics in training, running statistics in eval), then
 * {@code y = xhat * gamma[c] + beta[c]}. Work is split over channels, so every per-channel sum runs in a
 * fixed order whatever the thread count.
 *
 * <p>Backward with batch statistics (m = n * span values per channel, gg = g * gamma):
 * {@code dx = rstd * (gg - mean(gg) - xhat * mean(gg * xhat))}; with fixed (running) statistics
 * {@code dx = g * gamma * rstd}. Both: {@code dgamma = sum g * xhat}, {@code dbeta = sum g}.
 * float32 takes {@link FloatNorms}' fast path (same formulas, no widening copies).
 */
final class ChannelNorm {
    private ChannelNorm() {}

    /** Per-channel batch statistics: mean, biased and unbiased variance. */
    record Stats(double[] mean, double[] biasedVar, double[] unbiasedVar) {}

    /** Per-channel mean and variances (two-pass, in double). */
    static Stats batchStats(Tensor x, int n, int channels, int span) {
        if (FloatNorms.applies(x)) {
            return FloatNorms.batchStats(x, n, channels, span);
        }
        int count = n * span;
        double[] mean = new double[channels], var = new double[channels], unbiased = new double[channels];
        forChannels(count, channels, (lo, hi) -> {
            double[] buf = new double[count];
            for (int c = lo; c < hi; c++) {
                loadChannel(x, c, n, channels, span, buf);
                double s = 0;
                for (int i = 0; i < count; i++) s += buf[i];
                double m = s / count;
                double ss = 0;
                for (int i = 0; i < count; i++) {
                    double d = buf[i] - m;
                    ss += d * d;
                }
                mean[c] = m;
                var[c] = ss / count;
                unbiased[c] = count > 1 ? ss / (count - 1) : Double.NaN;
            }
        });
        return new Stats(mean, var, unbiased);
    }

    /**
     * {@code y = (x - mean) * rstd * gamma + beta} per channel, recorded for autodiff. {@code batchStats} says
     * whether mean and rstd were computed from {@code x} (their dependence on x enters dx) or are constants.
     * A non-null {@code addend} (x's shape and dtype) is added to y. With {@code relu} the op outputs
     * {@code max(y [+ addend], 0)} (as ReLU computes it); backward masks g with {@code out > 0} (which is
     * {@code y [+ addend] > 0}), passes the masked g to the addend, and keeps no copy of y or of the sum.
     */
    static Tensor apply(String op, Tensor x, Tensor gamma, Tensor beta, double[] mean, double[] rstd, boolean batchStats,
                        Tensor addend, boolean relu, int n, int channels, int span) {
        double[] gam = gamma == null ? null : gamma.toDoubleArray();
        double[] bet = beta == null ? null : beta.toDoubleArray();
        // Every entry is written below (both paths), so step storage is fine.
        Tensor out = StepStorage.uninitialized(x.dtype(), x.shape());
        int count = n * span;
        if (FloatNorms.applies(x)) {
            FloatNorms.channelAffine(x, gam, bet, mean, rstd, addend, relu, out, n, channels, span);
        } else {
            forChannels(count, channels, (lo, hi) -> {
                double[] buf = new double[count];
                double[] add = addend == null ? null : new double[count];
                for (int c = lo; c < hi; c++) {
                    loadChannel(x, c, n, channels, span, buf);
                    double m = mean[c], scale = rstd[c] * (gam == null ? 1.0 : gam[c]), shift = bet == null ? 0.0 : bet[c];
                    for (int i = 0; i < count; i++) buf[i] = (buf[i] - m) * scale + shift;
                    if (add != null) {
                        loadChannel(addend, c, n, channels, span, add);
                        for (int i = 0; i < count; i++) buf[i] = add[i] + buf[i];
                    }
                    if (relu) {
                        for (int i = 0; i < count; i++) buf[i] = ActivationMath.relu(buf[i]);
                    }
                    storeChannel(buf, out, c, n, channels, span);
                }
            });
        }
        if (!relu) {
            // A scratch upstream (Tensor.isScratchGradient) takes dx in place, as the ReLU variants' masked copy does.
            return Tensor.record(op, out, g -> backward(x, gamma, beta, gam, g, g.isScratchGradient() && g.dtype() == x.dtype() ? g : null,
                    mean, rstd, batchStats, n, channels, span), x, gamma, beta);
        }
        if (addend == null) {
            return Tensor.record(op, out, g -> {
                Tensor masked = reluMasked(g, out);
                backward(x, gamma, beta, gam, masked, masked, mean, rstd, batchStats, n, channels, span);
            }, x, gamma, beta);
        }
        return Tensor.record(op, out, g -> {
            Tensor masked = reluMasked(g, out);
            // The addend may keep masked's storage as its gradient (accumulateGrad shares it): dx gets its own buffer.
            backward(x, gamma, beta, gam, masked, null, mean, rstd, batchStats, n, channels, span);
            if (addend.requiresGrad()) addend.accumulateGrad(masked);
        }, x, gamma, beta, addend);
    }

    /**
     * {@code g * (out > 0 ? 1 : 0)} by ReLU's own backward kernel (mask from out, as from y): in place when g is a scratch
     * gradient ({@link Tensor#isScratchGradient}), else in a fresh tensor. In place saved ~28 MB of the ~126 MB a
     * ResNet-20 training step allocated (each zeroed by the JVM first); the same products, so the same bits.
     */
    private static Tensor reluMasked(Tensor g, Tensor out) {
        ActivationKernel k = ActivationKernel.RELU;
        Tensor gm = g.isScratchGradient() && g.dtype() == out.dtype() ? g : StepStorage.uninitialized(out.dtype(), out.shape());
        Tensor gg = g.dtype() == out.dtype() ? g : g.to(out.dtype());
        int len = out.numel();
        if (out.dtype() == DType.FLOAT32) {
            float[] zs = out.floatData(), gs = gg.floatData(), ds = gm.floatData();
            Parallel.forRange(len, k.grain, (lo, hi) -> k.backward(zs, zs, gs, ds, Double.NaN, lo, hi));
        } else {
            double[] zs = out.doubleData(), gs = gg.doubleData(), ds = gm.doubleData();
            Parallel.forRange(len, k.grain, (lo, hi) -> k.backward(zs, zs, gs, ds, Double.NaN, lo, hi));
        }
        return gm;
    }

    /** {@code dxInto}, when not null, is a fresh tensor of x's shape and dtype to write dx into (it may be g itself). */
    private static void backward(Tensor x, Tensor gamma, Tensor beta, double[] gam, Tensor g, Tensor dxInto, double[] mean, double[] rstd,
                                 boolean batchStats, int n, int channels, int span) {
        boolean wantX = x.requiresGrad();
        boolean wantGamma = gamma != null && gamma.requiresGrad();
        boolean wantBeta = beta != null && beta.requiresGrad();
        int count = n * span;
        double[] dgamma = new double[channels], dbeta = new double[channels];
        Tensor dx = !wantX ? null : dxInto != null ? dxInto : StepStorage.uninitialized(x.dtype(), x.shape());
        if (FloatNorms.applies(x) && g.dtype() == x.dtype()) {
            FloatNorms.channelBackward(x, gam, g, mean, rstd, batchStats, dgamma, dbeta, dx, n, channels, span);
        } else forChannels(count, channels, (lo, hi) -> {
            double[] xh = new double[count];
            double[] gb = new double[count];
            for (int c = lo; c < hi; c++) {
                loadChannel(x, c, n, channels, span, xh);
                loadChannel(g, c, n, channels, span, gb);
                double m = mean[c], rs = rstd[c], ga = gam == null ? 1.0 : gam[c];
                double sg = 0, sgx = 0;
                for (int i = 0; i < count; i++) {
                    xh[i] = (xh[i] - m) * rs;
                    sg += gb[i];
                    sgx += gb[i] * xh[i];
                }
                dgamma[c] = sgx;
                dbeta[c] = sg;
                if (!wantX) continue;
                double k = rs * ga;
                if (batchStats) {
                    double m1 = sg / count, m2 = sgx / count;
                    for (int i = 0; i < count; i++) gb[i] = k * (gb[i] - m1 - xh[i] * m2);
                } else {
                    for (int i = 0; i < count; i++) gb[i] *= k;
                }
                storeChannel(gb, dx, c, n, channels, span);
            }
        });
        if (wantX) x.accumulateGradOwned(dx);
        if (wantGamma) gamma.accumulateGrad(Tensor.of(dgamma, channels).to(gamma.dtype()));
        if (wantBeta) beta.accumulateGrad(Tensor.of(dbeta, channels).to(beta.dtype()));
    }

    private static void forChannels(int count, int channels, Parallel.Range body) {
        Parallel.forRange(channels, Math.max(1, Elementwise.GRAIN / Math.max(1, count)), body);
    }

    private static void loadChannel(Tensor t, int c, int n, int channels, int span, double[] buf) {
        for (int i = 0; i < n; i++) DoubleRows.load(t, (i * channels + c) * span, buf, i * span, span);
    }

    private static void storeChannel(double[] buf, Tensor t, int c, int n, int channels, int span) {
        for (int i = 0; i < n; i++) DoubleRows.store(buf, i * span, t, (i * channels + c) * span, span);
    }
}
