package org.autoinit.tensor.ops;

import java.util.Arrays;

import org.autoinit.tensor.Shape;
import org.autoinit.tensor.Tensor;

/**
 * Normalization ops with PyTorch semantics: {@code y = (x - mean) / sqrt(var + eps) * gamma + beta}, the
 * variance biased (divided by the count). Each is one fused pass computing the statistics in double and a
 * closed-form backward (see {@link RowNorm} for layer and group norm, {@link ChannelNorm} for batch norm).
 * {@code gamma} and {@code beta} are independently optional (null = 1 and 0), must have the input's dtype,
 * and receive gradients when they require them.
 */
public final class Norm {
    private Norm() {}

    /**
     * Layer norm over the last {@code normalizedDims} dims (as {@code F.layer_norm(x, x.shape[-normalizedDims:])});
     * gamma/beta have that trailing shape or are null.
     */
    public static Tensor layerNorm(Tensor x, int normalizedDims, Tensor gamma, Tensor beta, double eps) {
        String op = "layer_norm";
        int[] s = x.shape();
        if (normalizedDims < 1 || normalizedDims > s.length) {
            throw new IllegalArgumentException(op + ": normalizedDims " + normalizedDims + " is out of range for input of shape "
                    + Shape.str(s) + " (expected 1.." + s.length + ")");
        }
        int[] trailing = Arrays.copyOfRange(s, s.length - normalizedDims, s.length);
        checkAffine(op, "weight", gamma, x, trailing, "the normalized shape " + Shape.str(trailing) + " of input " + Shape.str(s));
        checkAffine(op, "bias", beta, x, trailing, "the normalized shape " + Shape.str(trailing) + " of input " + Shape.str(s));
        checkEps(op, eps);
        int len = Shape.numel(trailing);
        int rows = len == 0 ? 0 : x.numel() / len;
        return RowNorm.apply(op, x, gamma, beta, eps, rows, len, 1, len, 1);
    }

    /**
     * Batch norm over channel axis 1 of {@code x} [N, C] or [N, C, ...]. In training the batch statistics
     * normalize (biased variance) and, when given, {@code runningMean}/{@code runningVar} are updated in place:
     * {@code running = (1 - momentum) * running + momentum * batchStat}, with the unbiased batch variance (as
     * PyTorch). In eval ({@code training == false}) the running statistics normalize and are required.
     * Running statistics are buffers: never differentiated, and they must not require grad.
     */
    public static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                   boolean training, double momentum, double eps) {
        return batchNorm("batch_norm", x, gamma, beta, runningMean, runningVar, training, momentum, eps, false);
    }

    /**
     * {@code relu(batchNorm(...))} as one op, same arguments and running-statistics update as {@link #batchNorm}, and
     * the same bits as the two ops applied one after the other. Backward works from {@code x} and its own output
     * (ReLU's mask is {@code out > 0}), so the normalized pre-activation is never stored: one activation-sized tensor
     * less per use kept for backward, and one elementwise pass less each way.
     */
    public static Tensor batchNormRelu(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                       boolean training, double momentum, double eps) {
        return batchNorm("batch_norm_relu", x, gamma, beta, runningMean, runningVar, training, momentum, eps, true);
    }

    /**
     * {@code relu(batchNorm(x, ...) + addend)} as one op (a residual block's tail: BN, the shortcut added, ReLU), the
     * same bits as the three ops one after the other; {@code addend} has x's shape and dtype and gets the masked
     * gradient. Backward keeps x, the addend's graph link and its own output: neither the normalized tensor nor the sum.
     */
    public static Tensor batchNormAddRelu(Tensor x, Tensor addend, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                          boolean training, double momentum, double eps) {
        String op = "batch_norm_add_relu";
        if (addend == null || !Arrays.equals(addend.shape(), x.shape()) || addend.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": addend " + (addend == null ? "null" : addend.dtype() + " " + Shape.str(addend.shape()))
                    + " must have the input's shape and dtype, " + x.dtype() + " " + Shape.str(x.shape()));
        }
        return batchNorm(op, x, gamma, beta, runningMean, runningVar, training, momentum, eps, addend, true);
    }

    private static Tensor batchNorm(String op, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                    boolean training, double momentum, double eps, boolean relu) {
        return batchNorm(op, x, gamma, beta, runningMean, runningVar, training, momentum, eps, null, relu);
    }

    private static Tensor batchNorm(String op, Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
                                    boolean training, double momentum, double eps, Tensor addend, boolean relu) {
        int[] s = x.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException(op + ": input of shape " + Shape.str(s) + " must have rank >= 2 (N, C, ...)");
        }
        int n = s[0], c = s[1];
        int span = Shape.numel(Arrays.copyOfRange(s, 2, s.length));
        String channels = c + " channels of input " + Shape.str(s);
        checkAffine(op, "weight", gamma, x, new int[] {c}, channels);
        checkAffine(op, "bias", beta, x, new int[] {c}, channels);
        checkRunning(op, "running_mean", runningMean, c, s);
        checkRunning(op, "running_var", runningVar, c, s);
        checkEps(op, eps);
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException(op + ": momentum must be in [0, 1], got " + momentum);
        }
        if (!training) {
            if (runningMean == null || runningVar == null) {
                throw new IllegalArgumentException(op + ": running_mean and running_var are required in eval mode (training=false)");
            }
            double[] mean = runningMean.toDoubleArray();
            double[] rstd = runningVar.toDoubleArray();
            for (int i = 0; i < c; i++) rstd[i] = 1.0 / Math.sqrt(rstd[i] + eps);
            return ChannelNorm.apply(op, x, gamma, beta, mean, rstd, false, addend, relu, n, c, span);
        }
        if ((long) n * span <= 1) {
            throw new IllegalArgumentException(op + ": expected more than 1 value per channel when training, got input of shape " + Shape.str(s));
        }
        ChannelNorm.Stats st = ChannelNorm.batchStats(x, n, c, span);
        double[] rstd = new double[c];
        for (int i = 0; i < c; i++) rstd[i] = 1.0 / Math.sqrt(st.biasedVar()[i] + eps);
        for (int i = 0; i < c; i++) {
            if (runningMean != null) runningMean.setFlat(i, (1 - momentum) * runningMean.getFlat(i) + momentum * st.mean()[i]);
            if (runningVar != null) runningVar.setFlat(i, (1 - momentum) * runningVar.getFlat(i) + momentum * st.unbiasedVar()[i]);
        }
        return ChannelNorm.apply(op, x, gamma, beta, st.mean(), rstd, true, addend, relu, n, c, span);
    }

    /**
     * Group norm (as {@code F.group_norm}): the C channels of {@code x} [N, C, ...] split into {@code groups}
     * consecutive groups, each (sample, group) normalized over its channels and spatial positions; gamma/beta
     * are per channel [C] or null.
     */
    public static Tensor groupNorm(Tensor x, int groups, Tensor gamma, Tensor beta, double eps) {
        String op = "group_norm";
        int[] s = x.shape();
        if (s.length < 2) {
            throw new IllegalArgumentException(op + ": input of shape " + Shape.str(s) + " must have rank >= 2 (N, C, ...)");
        }
        int n = s[0], c = s[1];
        if (groups < 1 || c % groups != 0) {
            throw new IllegalArgumentException(op + ": expected number of channels in input to be divisible by groups, but got input of shape "
                    + Shape.str(s) + " and groups=" + groups);
        }
        String channels = c + " channels of input " + Shape.str(s);
        checkAffine(op, "weight", gamma, x, new int[] {c}, channels);
        checkAffine(op, "bias", beta, x, new int[] {c}, channels);
        checkEps(op, eps);
        int span = Shape.numel(Arrays.copyOfRange(s, 2, s.length));
        int chans = c / groups;
        return RowNorm.apply(op, x, gamma, beta, eps, n * groups, chans * span, groups, chans, span);
    }

    private static void checkAffine(String op, String what, Tensor p, Tensor x, int[] expected, String target) {
        if (p == null) return;
        if (!Arrays.equals(p.shape(), expected)) {
            throw new IllegalArgumentException(op + ": " + what + " of shape " + Shape.str(p.shape()) + " does not match " + target);
        }
        if (p.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": " + what + " is " + p.dtype() + " but input is " + x.dtype() + "; convert with to()");
        }
    }

    private static void checkRunning(String op, String what, Tensor t, int c, int[] inShape) {
        if (t == null) return;
        if (t.rank() != 1 || t.dim(0) != c) {
            throw new IllegalArgumentException(op + ": " + what + " of shape " + Shape.str(t.shape()) + " does not match " + c
                    + " channels of input " + Shape.str(inShape));
        }
        if (t.requiresGrad()) {
            throw new IllegalArgumentException(op + ": " + what + " is a buffer updated in place and must not require grad");
        }
    }

    private static void checkEps(String op, double eps) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(op + ": eps must be finite and >= 0, got " + eps);
        }
    }
}
