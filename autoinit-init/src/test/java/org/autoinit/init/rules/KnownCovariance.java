package org.autoinit.init.rules;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/** Test fixture: a {@link FeatureCovariance} that equals a given 3x3 matrix exactly. */
final class KnownCovariance {
    private KnownCovariance() {}

    /**
     * The covariance of six points {@code +-sqrt(3) L e_k} (L the Cholesky factor of the row-major 3x3 matrix
     * {@code m}): mean 0 and population covariance exactly m.
     */
    static FeatureCovariance of3x3(double[] m) {
        double[][] l = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j <= i; j++) {
                double s = m[i * 3 + j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
            }
        }
        Tensor x = Tensor.zeros(DType.FLOAT64, 6, 3);
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < 3; i++) {
                x.setFlat(2 * k * 3 + i, Math.sqrt(3) * l[i][k]);
                x.setFlat((2 * k + 1) * 3 + i, -Math.sqrt(3) * l[i][k]);
            }
        }
        return FeatureCovariance.ofSample(x);
    }
}
