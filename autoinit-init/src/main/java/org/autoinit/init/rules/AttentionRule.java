package org.autoinit.init.rules;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.autoinit.init.moments.AttentionMoments;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.MultiHeadAttention;

/**
 * Multi-head attention. The q, k, v (or fused qkv) projections are weighted layers, so each has moments
 * (0, s). A score {@code c q_t . k_j} (head dim d, scale c) splits into terms constant over the keys j (which
 * softmax ignores) and a part varying over keys with variance {@code s2 = d c^2 E[q^2] v_k}, v_k the within
 * variance of the keys ({@link AttentionMoments#scoreVariance}).
 *
 * <p>The head output {@code sum_j p_j V_j}: write the D-dim input tokens as {@code x_j = b + e_j} (constant plus
 * isotropic noise of variance v_x per feature) and the scores as {@code a . e_j}. Splitting e_j along a and
 * orthogonal to it, the orthogonal part is independent of the weights p and contributes
 * {@code (D-1) v_x E[sum p_j^2]} (as {@link AttentionMoments#expectedSumOfSquares}); along a the weights favour
 * high scores, giving {@code v_x E[(sum p_j z_j)^2] / s2} (both from {@link SoftmaxStats}; on a sphere the
 * orthogonal part is smaller for the favoured keys, see {@link #mixing}). Through the value projection
 * each value feature keeps its constant and its within variance v_V becomes
 * {@code v_V [(D-1)/D E[sum p^2] + E[(sum p z)^2] / (D s2)]} (about {@code v_V (1/n + s2/D)} for n keys;
 * averaged over query positions when causal). D is the EFFECTIVE dimension of the tokens (the participation
 * ratio of their covariance, see {@link Signal#inverseRank()}): tokens embedded from 16-pixel patches span
 * about 16 of their 128 dimensions, and the pull towards the query is then 8 times stronger. Keys straight out
 * of a LayerNorm have equal norms, so their scores follow the lighter-tailed law of a sphere's projection. Tokens of
 * unequal size ({@link Signal#tokenScale()}, no LayerNorm) are mixed by {@link AttentionScaleMixture}, which also gives
 * the part of the output shared by the queries of a sample (1/n of the mixed variance for equal weights, more when the
 * queries' shared part makes them all favour the same keys) and the output's token scale. The output projection is a
 * weighted layer restoring (0, s).
 * A mask given as an input is not modelled (noted in the report).
 */
public final class AttentionRule implements MomentRule<MultiHeadAttention> {
    @Override
    public Signal apply(MultiHeadAttention layer, List<Signal> inputs, RuleContext ctx) {
        Signal x = inputs.get(0);
        Signal kv = inputs.size() > 1 ? inputs.get(1) : x;
        int inner = layer.heads() * layer.headDim();
        ChannelStats q, k, v;
        if (layer.fusedQkv()) {
            ChannelStats all = channels(weighted(layer.qkv(), x, ctx), 3 * inner);
            q = slice(all, 0, inner);
            k = slice(all, inner, inner);
            v = slice(all, 2 * inner, inner);
        } else {
            q = channels(weighted(layer.query(), x, ctx), inner);
            k = channels(weighted(layer.key(), kv, ctx), inner);
            v = channels(weighted(layer.value(), kv, ctx), inner);
        }
        int[][] shapes = layer.inputShapes();
        int sq = shapes[0][0];
        int[] kvShape = shapes.length > 1 ? shapes[1] : shapes[0];
        int sk = kvShape[0];
        double invRank = kv.inverseRank(kvShape[1]);
        double sphere = kv.normalizedRows() ? 1 / invRank : Double.POSITIVE_INFINITY;
        double kWithin = 0;
        for (int i = 0; i < inner; i++) {
            kWithin += k.var[i] / inner;
        }
        // A key offset shared by all tokens of a sample shifts every score of a query equally: softmax ignores it.
        kWithin *= 1 - kv.coherence();
        double s2 = AttentionMoments.scoreVariance(layer.headDim(), layer.scale(), q.pooled().secondMoment(), kWithin);
        double factor = layer.causal() ? causalMixing(sq, sk, s2, invRank, sphere) : mixing(sk, s2, invRank, sphere);
        double kappaOut = 0, cross = 1.0 / sk;
        if (!layer.causal() && !kv.normalizedRows()) {
            // Tokens of unequal size (Signal.tokenScale): large tokens draw the weights and carry large values.
            // The query's token-specific share of its second moment (a linear map keeps it): only that part scales with r_q.
            double share = x.secondMoment() > 0 ? Math.min(1, x.tokenVariance() / x.secondMoment()) : 1;
            double[] mix = AttentionScaleMixture.of(sk, s2, share, invRank, kv.tokenScale());
            if (kv.tokenScale() > 0) {
                factor = mix[0];
                ctx.note(String.format(Locale.ROOT, "token scale variance %.3g: mixing from the scale mixture", kv.tokenScale()));
            }
            cross = mix[1];
            kappaOut = mix[2];
        }
        if (inputs.size() == 3) {
            ctx.note("the mask input is not modelled: all " + sk + " keys assumed visible");
        }
        ctx.note(String.format(Locale.ROOT, "score variance %.4g; values keep %.4g of their within variance over %d keys; token-coherent share %.4g; "
                + "effective dimension %.4g", s2, factor, sk, kv.coherence(), 1 / invRank));
        // The values' token-coherent part (same for every key) passes whole; the rest is mixed. The mixed output's own
        // coherent part is what two queries of a sample share (the values' token mean, 1/n, for equal weights).
        double phi = kv.coherence();
        double[] mv = new double[inner];
        double tau = 0, within = 0;
        for (int i = 0; i < inner; i++) {
            double coherent = phi * v.var[i], rest = v.var[i] - coherent;
            mv[i] = coherent + rest * factor;
            tau += (coherent + rest * cross) / inner;
            within += mv[i] / inner;
        }
        Signal mixed = Signal.of(ChannelStats.wrap(ChannelStats.Axis.LAST, v.mean.clone(), mv));
        return weighted(layer.output(), mixed, ctx).withInverseRank(invRank + 1.0 / inner + 1.0 / layer.output().units())
                .withCoherence(within > 0 ? tau / within : 0).withTokenScale(kappaOut);
    }

    /**
     * {@code (1 - 1/D) E[sum p^2] + E[(sum p z)^2] / (D s2)} for n keys, 1/D = {@code invRank} ({@link SoftmaxStats}).
     * Keys on a sphere ({@code sphere} finite, D = sphere): a key of score z = sqrt(s2) t keeps
     * {@code (D - t^2) / (D - 1)} per orthogonal direction instead of 1, so the orthogonal part is
     * {@code E[sum p^2 (D - t^2)] / D = E[sum p^2] - E[sum p^2 z^2] / (D s2)}: the favoured keys have less of it.
     */
    static double mixing(int n, double s2, double invRank, double sphere) {
        double[] st = SoftmaxStats.of(n, s2, sphere);
        double tilt = s2 > 1e-12 ? st[1] / s2 : st[0];
        if (sphere >= 3 && sphere <= 1e4) { // where SoftmaxStats takes the sphere law
            double diagonal = s2 > 1e-12 ? st[2] / s2 : st[0];
            return st[0] - diagonal * invRank + tilt * invRank;
        }
        return (1 - invRank) * st[0] + tilt * invRank;
    }

    /**
     * The average of {@link #mixing} over query positions t (t + 1 visible keys, at most sk). Exact for up to
     * 16 keys; beyond, {@code n * mixing} (smooth in n) is interpolated in log n between anchors 1.25x apart.
     */
    static double causalMixing(int sq, int sk, double s2, double invRank, double sphere) {
        double sum = 0;
        int lo = 16;
        double nLo = lo, fLo = lo * mixing(lo, s2, invRank, sphere);
        double nHi = nLo, fHi = fLo;
        for (int t = 0; t < sq; t++) {
            int n = Math.min(t + 1, sk);
            if (n <= lo) {
                sum += mixing(n, s2, invRank, sphere);
                continue;
            }
            while (n > nHi) {
                nLo = nHi;
                fLo = fHi;
                nHi = Math.min(Math.ceil(nHi * 1.25), sk);
                fHi = nHi * mixing((int) nHi, s2, invRank, sphere);
            }
            double w = nHi == nLo ? 0 : Math.log(n / nLo) / Math.log(nHi / nLo);
            sum += ((1 - w) * fLo + w * fHi) / n;
        }
        return sum / sq;
    }

    private static Signal weighted(Dense d, Signal in, RuleContext ctx) {
        return ctx.weighted(WeightSpec.dense(d, false), in);
    }

    private static ChannelStats channels(Signal s, int n) {
        return s.channelsOrUniform(ChannelStats.Axis.LAST, n);
    }

    private static ChannelStats slice(ChannelStats c, int from, int n) {
        return ChannelStats.wrap(ChannelStats.Axis.LAST, Arrays.copyOfRange(c.mean, from, from + n), Arrays.copyOfRange(c.var, from, from + n));
    }
}
