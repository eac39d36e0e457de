package org.autoinit.init.rules;

import java.util.List;

import org.autoinit.nn.layers.PatchEmbedding;
import org.autoinit.tensor.Tensor;

/**
 * PatchEmbedding: cutting the image into patches moves entries without changing them (patch feature
 * {@code c p^2 + dy p + dx} comes from image channel c), then a Dense over the {@code C p^2} entries of a
 * patch: a weighted layer with fan_in = C p^2 (see {@link DenseRule}). When the image's second moment varies over
 * positions ({@link SpatialProfile}, e.g. zero padding), a token's size follows its patch: with independent zero-mean
 * pixels, token t's expected second moment is {@code sum_f beta(f) |W_f|^2} over its patch features f (beta the
 * profile at f's pixel, W_f the drawn weight row), and {@link Signal#tokenScale()} is the relative variance of these
 * over tokens (0.126 for 28 x 28 images padded to 32 x 32 in 4 x 4 patches: border patches have 8 or 4 real pixels).
 */
public final class PatchEmbeddingRule implements MomentRule<PatchEmbedding> {
    @Override
    public Signal apply(PatchEmbedding layer, List<Signal> inputs, RuleContext ctx) {
        var p = layer.projection();
        Signal in = inputs.get(0);
        int[] shape = layer.inputShapes()[0];
        // Pixels of a patch are independent: its features have effective dimension C p^2.
        Signal out = ctx.weighted(WeightSpec.dense(p, true), in).withInverseRank(1.0 / p.inFeatures() + 1.0 / p.units());
        SpatialProfile prof = SpatialProfile.of(in, shape[1], shape[2]);
        return prof == null ? out : out.withTokenScale(tokenScale(prof, shape[0], layer.patchSize(), rowNorms(p.weight().value(), p.units())));
    }

    /** {@code |W_f|^2} for each input feature f of a {@code [in, units]} weight. */
    static double[] rowNorms(Tensor w, int units) {
        double[] n = new double[w.numel() / units];
        for (int f = 0; f < n.length; f++) {
            for (int j = 0; j < units; j++) {
                double x = w.getFlat(f * units + j);
                n[f] += x * x;
            }
        }
        return n;
    }

    /** Relative variance over tokens of {@code sum_f beta(f) rows[f]} ({@code rows} null: all ones). */
    static double tokenScale(SpatialProfile prof, int channels, int patch, double[] rows) {
        int cols = prof.width() / patch, n = (prof.height() / patch) * cols;
        double sum = 0, sumSq = 0;
        for (int t = 0; t < n; t++) {
            int y0 = (t / cols) * patch, x0 = (t % cols) * patch;
            double r = 0;
            for (int c = 0; c < channels; c++) {
                for (int dy = 0; dy < patch; dy++) {
                    for (int dx = 0; dx < patch; dx++) {
                        int f = (c * patch + dy) * patch + dx;
                        r += prof.at(y0 + dy, x0 + dx) * (rows == null ? 1 : rows[f]);
                    }
                }
            }
            sum += r;
            sumSq += r * r;
        }
        double mean = sum / n;
        return mean > 0 ? Math.max(0, sumSq / n / (mean * mean) - 1) : 0;
    }
}
