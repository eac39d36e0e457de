package org.autoinit.init.rules;

import java.util.function.DoubleUnaryOperator;

import org.autoinit.nn.layers.Activation;

/**
 * Where an activation layer's Hermite coefficients ({@link FeatureCovariance#hermite2}) come from: closed forms for
 * the piecewise-linear kinds ({@link PiecewiseLinearHermite}), adaptive quadrature for everything else.
 */
final class HermiteExpansion {
    private HermiteExpansion() {}

    /** The coefficients of {@code f(x) - shift} for the layer's f. */
    static FeatureCovariance.Expansion of(Activation layer, double shift) {
        if (!layer.isCustom()) {
            double[][] pieces = PiecewiseLinearHermite.pieces(layer.kind(), layer.alpha(), shift);
            if (pieces != null) {
                DoubleUnaryOperator f = x -> layer.function().applyAsDouble(x) - shift;
                return (m, v) -> v > 0 ? PiecewiseLinearHermite.coefficients(pieces, m, Math.sqrt(v), FeatureCovariance.K)
                        : FeatureCovariance.hermite2(f, new double[0], m, v);
            }
        }
        double[] kinks = layer.isCustom() ? new double[0] : layer.kind().kinks(layer.alpha());
        DoubleUnaryOperator f = layer.function(), fs = shift == 0 ? f : x -> f.applyAsDouble(x) - shift;
        return (m, v) -> FeatureCovariance.hermite2(fs, kinks, m, v);
    }
}
