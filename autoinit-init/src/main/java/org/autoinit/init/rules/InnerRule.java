package org.autoinit.init.rules;

import org.apache.commons.math3.analysis.integration.gauss.GaussIntegrator;
import org.apache.commons.math3.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * A fixed quadrature rule for expectations over the standardized score law of {@link SoftmaxStats} (Gaussian, or
 * the projection of a uniform point on the sphere of radius sqrt(rank): density proportional to
 * {@code (1 - t^2/rank)^b}, {@code b = (rank-3)/2}), built once per (sigma, rank) and shared by every outer node u.
 * It returns {@code [E h(u+z), E z^2 h(u+z), E z k(u+z), E e^{-e^{u+z}}]}, z = sigma t, with the density, z and z^2
 * folded into three weight arrays, so one node costs one exponential.
 *
 * <p>The integrands vary on the scale 1 in w = u + z, i.e. 1/sigma in t, and are analytic in |Im w| < pi/2: 8-point
 * Gauss-Legendre panels of width min(1, 1/sigma) in t (error about (pi + sqrt(1 + pi^2))^-16 ~ 1e-13 per panel), over
 * t where the density exceeds 1e-18 of its peak (|t| <= 9 for the Gaussian). When that reaches the sphere's edge
 * (b < 40), the density behaves like {@code (sqrt(rank) - |t|)^b} there, with b possibly fractional and small: the two
 * end panels then use a tanh-sinh rule, which converges geometrically whatever b.
 */
final class InnerRule {
    private static final GaussIntegrator GL8 = new GaussIntegratorFactory().legendre(8, -1, 1);
    /** Tanh-sinh step and half-count: |k h| <= 3 puts the outer nodes within 1e-14 of the panel's ends. */
    private static final double DE_H = 0.15;
    private static final int DE_K = 20;
    /** log of the density ratio below which the law's tail is dropped (1e-18 of the peak). */
    private static final double CUT = Math.log(1e-18);

    /** e^{sigma t_i}, ascending; the weights with the density, times z_i and z_i^2. */
    private final double[] et, w, wz, wz2;

    private InnerRule(double[] et, double[] w, double[] wz, double[] wz2) {
        this.et = et;
        this.w = w;
        this.wz = wz;
        this.wz2 = wz2;
    }

    static InnerRule of(double sigma, double rank) {
        Nodes nodes = new Nodes();
        double panel = Math.min(1.0, 1.0 / sigma);
        if (rank == Double.POSITIVE_INFINITY) {
            double t = Math.sqrt(-2 * CUT);
            gauss(nodes, -t, t, panel, x -> -0.5 * x * x);
        } else {
            double b = (rank - 3) / 2, a = Math.sqrt(rank), logR = Math.log(rank);
            // log density up to a constant, from the distance to the nearer edge (accurate there).
            java.util.function.DoubleUnaryOperator logPdf = x -> b * (Math.log(a - Math.abs(x)) + Math.log(a + Math.abs(x)) - logR);
            if (b >= 40) {
                double t = a * Math.sqrt(-Math.expm1(CUT / b));
                gauss(nodes, -t, t, panel, logPdf);
            } else {
                double end = Math.min(panel, a / 2);
                edge(nodes, a, end, b, logR, -1);
                gauss(nodes, -a + end, a - end, panel, logPdf);
                edge(nodes, a, end, b, logR, 1);
            }
        }
        return nodes.build(sigma);
    }

    /** Fills {@code out} with {@code [E h(u+z), E z^2 h(u+z), E z k(u+z), E e^{-e^{u+z}}]}. */
    void expectations(double u, double[] out) {
        double eu = Math.exp(u), h = 0, zh = 0, zk = 0, l = 0;
        for (int i = 0; i < et.length; i++) {
            double ew = eu * et[i];
            if (ew > 745) {
                break; // e^{-e^w} = 0 here and at every later (larger) node
            }
            // e^{-x} by its Taylor series where x is below 1e-3 (error under x^5/120 < 1e-17), else one exponential.
            double e = ew < 1e-3 ? 1 - ew * (1 - ew * (0.5 - ew * (1.0 / 6 - ew * (1.0 / 24)))) : Math.exp(-ew);
            double k = ew * e, hh = ew * k;
            l += w[i] * e;
            h += w[i] * hh;
            zh += wz2[i] * hh;
            zk += wz[i] * k;
        }
        out[0] = h;
        out[1] = zh;
        out[2] = zk;
        out[3] = l;
    }

    /** Panels of 8-point Gauss-Legendre covering [lo, hi], density e^{logPdf}. */
    private static void gauss(Nodes nodes, double lo, double hi, double panel, java.util.function.DoubleUnaryOperator logPdf) {
        int count = Math.max(1, (int) Math.ceil((hi - lo) / panel));
        double width = (hi - lo) / count;
        for (int p = 0; p < count; p++) {
            double mid = lo + (p + 0.5) * width;
            for (int i = 0; i < GL8.getNumberOfPoints(); i++) {
                double t = mid + 0.5 * width * GL8.getPoint(i);
                nodes.add(t, 0.5 * width * GL8.getWeight(i) * Math.exp(logPdf.applyAsDouble(t)));
            }
        }
    }

    /**
     * The sphere's edge panel of the given width at side {@code sign} (t near sign * a), by tanh-sinh in the distance
     * d = a - |t| to the edge, computed without cancellation: density {@code (d (2a - d) / rank)^b}.
     */
    private static void edge(Nodes nodes, double a, double width, double b, double logR, int sign) {
        for (int k = -DE_K; k <= DE_K; k++) {
            double y = 0.5 * Math.PI * Math.sinh(k * DE_H);
            // d = width (1 + tanh y) / 2 = width / (1 + e^{-2y}); dd/dk = width (pi/2) cosh(kh) h / (2 cosh^2 y).
            double d = width / (1 + Math.exp(-2 * y));
            double cy = Math.cosh(y);
            double jac = width * 0.25 * Math.PI * Math.cosh(k * DE_H) * DE_H / (cy * cy);
            double logPdf = b * (Math.log(d) + Math.log(2 * a - d) - logR);
            nodes.add(sign * (a - d), jac * Math.exp(logPdf));
        }
    }

    /** Nodes and density weights collected in any order; built sorted by t and normalized to total weight 1. */
    private static final class Nodes {
        private double[] t = new double[256], w = new double[256];
        private int n;

        void add(double x, double weight) {
            if (n == t.length) {
                t = java.util.Arrays.copyOf(t, 2 * n);
                w = java.util.Arrays.copyOf(w, 2 * n);
            }
            t[n] = x;
            w[n++] = weight;
        }

        InnerRule build(double sigma) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (i, j) -> Double.compare(t[i], t[j]));
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += w[i];
            }
            double[] et = new double[n], ww = new double[n], wz = new double[n], wz2 = new double[n];
            for (int i = 0; i < n; i++) {
                int o = order[i];
                double z = sigma * t[o];
                et[i] = Math.exp(z);
                ww[i] = w[o] / total;
                wz[i] = ww[i] * z;
                wz2[i] = ww[i] * z * z;
            }
            return new InnerRule(et, ww, wz, wz2);
        }
    }
}
