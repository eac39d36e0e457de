package org.autoinit.init.moments.numeric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Globally adaptive 7-point Gauss / 15-point Kronrod quadrature of a vector of integrands sharing their
 * evaluation points (the moment rules integrate f and f^2 against the same density, so one call of f
 * serves both).
 *
 * <p>Every piece between consecutive breakpoints gets one K15/G7 pair; then the piece with the largest
 * error estimate {@code |K15 - G7|} is bisected until, for every component c, the summed estimate is at most
 * {@code max(absTol, relTol * integral |f_c|)}. The tolerance is relative to the integral of |f_c|, so tiny
 * integrals (a relu far below its kink, ~1e-200) stay relatively accurate while the cancellation of an
 * oscillating integrand and the rounding noise of a function computed with cancellation in a negligible
 * tail are not chased. {@code |K15 - G7|} is the (pessimistic) error of the 7-point rule; the accepted
 * 15-point sum is far more accurate than it for smooth integrands. Integrands must be smooth inside each
 * piece: put every kink (jump of a derivative) at a breakpoint.
 */
public final class GaussKronrod {
    private GaussKronrod() {}

    /** Fills {@code out[0..dim)} with the integrand values at x. */
    @FunctionalInterface
    public interface Integrand {
        void eval(double x, double[] out);
    }

    /** Kronrod abscissae on [-1, 1] (non-negative half, descending); the odd-indexed ones are the Gauss nodes. */
    static final double[] XK = {
        0.991455371120812639206854697526329, 0.949107912342758524526189684047851,
        0.864864423359769072789712788640926, 0.741531185599394439863864773280788,
        0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
        0.207784955007898467600689403773245, 0.0};
    static final double[] WK = {
        0.022935322010529224963732008058970, 0.063092092629978553290700663189204,
        0.104790010322250183839876322541518, 0.140653259715525918745189590510238,
        0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
        0.204432940075298892414161999234649, 0.209482141084727828012999174891714};
    /** Gauss weights of the nodes XK[1], XK[3], XK[5], XK[7]. */
    static final double[] WG = {
        0.129484966168869693270611432679082, 0.279705391489276667901467771423780,
        0.381830050505118944950369775488975, 0.417959183673469387755102040816327};

    /**
     * Fills {@code out[i][0..dim)} with the integrand values at {@code xs[i]}, {@code i < count}: all nodes of one or
     * more pieces at once, so an expensive integrand (itself an integral) can be evaluated in parallel.
     */
    @FunctionalInterface
    public interface Batch {
        void eval(double[] xs, int count, double[][] out);
    }

    /** Nodes per piece (the K15 rule). */
    static final int NODES = 15;

    /** Pieces narrower than totalWidth * 2^-MAX_HALVINGS are not split further (a hidden jump). */
    private static final int MAX_HALVINGS = 52;
    /** Errors below this are accepted: relative accuracy is meaningless among subnormal values. */
    private static final double ERROR_FLOOR = 1e-300;
    /** Stop refining after this many rule evaluations (a pathological integrand); the worst pieces were refined first. */
    static final int MAX_RULES = 20_000;
    /** Splits between re-rankings of the queue. */
    private static final int RESCALE_EVERY = 64;

    private static final System.Logger LOG = System.getLogger(GaussKronrod.class.getName());
    private static final AtomicLong EXHAUSTED = new AtomicLong();

    /**
     * How many integrations so far stopped at the evaluation budget before reaching their tolerance (each
     * also logs a warning). Stays 0 for every built-in moment rule; a diagnostic for user functions.
     */
    public static long budgetExhaustions() {
        return EXHAUSTED.get();
    }

    /** One evaluated piece: its K15 values, their error estimates and the K15 of |f|. */
    private record Piece(double a, double b, double[] k, double[] err, double[] kAbs, double priority) {}

    /**
     * The integrals of the {@code dim} components over [breaks[0], breaks[last]], the breakpoints sorted
     * ascending. Throws IllegalArgumentException if the integrand is not finite somewhere.
     */
    public static double[] integrate(Integrand f, int dim, double[] breaks, double absTol, double relTol) {
        double[] fx = new double[dim];
        return integrate((as, bs, count, scale) -> {
            Piece[] out = new Piece[count];
            for (int p = 0; p < count; p++) {
                out[p] = rule(f, as[p], bs[p], fx, scale);
            }
            return out;
        }, dim, breaks, absTol, relTol);
    }

    /**
     * As {@link #integrate(Integrand, int, double[], double, double)} with the nodes of the initial pieces, then of
     * each bisected piece's two halves, evaluated together by {@code f}: the same pieces, values and sums (so the
     * same result, bit for bit) as the one-point integrand giving the same values.
     */
    public static double[] integrate(Batch f, int dim, double[] breaks, double absTol, double relTol) {
        return integrate((as, bs, count, scale) -> {
            double[] xs = new double[NODES * count];
            double[][] vals = new double[NODES * count][dim];
            for (int p = 0; p < count; p++) {
                nodes(as[p], bs[p], xs, NODES * p);
            }
            f.eval(xs, xs.length, vals);
            Piece[] out = new Piece[count];
            for (int p = 0; p < count; p++) {
                out[p] = rule(as[p], bs[p], xs, vals, NODES * p, dim, scale);
            }
            return out;
        }, dim, breaks, absTol, relTol);
    }

    /** Makes the K15/G7 pieces on {@code [as[p], bs[p]]}, p < count. */
    @FunctionalInterface
    private interface Rules {
        Piece[] make(double[] as, double[] bs, int count, double[] scale);
    }

    private static double[] integrate(Rules maker, int dim, double[] breaks, double absTol, double relTol) {
        if (breaks.length < 2) {
            throw new IllegalArgumentException("quadrature: need at least 2 breakpoints, got " + breaks.length);
        }
        double[] scale = new double[dim];
        double[] as = new double[breaks.length], bs = new double[breaks.length];
        int count = 0;
        for (int p = 0; p + 1 < breaks.length; p++) {
            if (!(breaks[p + 1] >= breaks[p])) {
                throw new IllegalArgumentException("quadrature: breakpoints must be sorted, got " + breaks[p] + " before " + breaks[p + 1]);
            }
            if (breaks[p + 1] > breaks[p]) {
                as[count] = breaks[p];
                bs[count++] = breaks[p + 1];
            }
        }
        List<Piece> initial = new ArrayList<>(Arrays.asList(maker.make(as, bs, count, scale)));
        double[] err = new double[dim], l1 = new double[dim];
        for (Piece p : initial) {
            for (int c = 0; c < dim; c++) {
                err[c] += p.err[c];
                l1[c] += p.kAbs[c];
            }
        }
        PriorityQueue<Piece> queue = new PriorityQueue<>((x, y) -> Double.compare(y.priority, x.priority));
        queue.addAll(initial);
        List<Piece> finished = new ArrayList<>();
        double minWidth = (breaks[breaks.length - 1] - breaks[0]) * Math.scalb(1.0, -MAX_HALVINGS);
        int rules = initial.size(), sinceRescale = RESCALE_EVERY;
        while (!queue.isEmpty() && rules < MAX_RULES && !converged(err, l1, absTol, relTol)) {
            if (sinceRescale++ >= RESCALE_EVERY) {
                // Priorities weigh each component's error by 1/tolerance, and ignore converged components;
                // the tolerances move with the running integral of |f|, so re-rank now and then.
                for (int c = 0; c < dim; c++) {
                    double tol = tolerance(l1[c], absTol, relTol);
                    scale[c] = err[c] <= tol ? 0.0 : 1.0 / tol;
                }
                List<Piece> all = new ArrayList<>(queue);
                queue.clear();
                for (Piece p : all) queue.add(rule(p, scale));
                sinceRescale = 0;
            }
            Piece worst = queue.poll();
            if (worst.b - worst.a <= minWidth) {
                finished.add(worst);
                continue;
            }
            double m = 0.5 * (worst.a + worst.b);
            Piece[] halves = maker.make(new double[] {worst.a, m}, new double[] {m, worst.b}, 2, scale);
            Piece left = halves[0], right = halves[1];
            rules += 2;
            for (int c = 0; c < dim; c++) {
                double before = err[c];
                err[c] += left.err[c] + right.err[c] - worst.err[c];
                l1[c] += left.kAbs[c] + right.kAbs[c] - worst.kAbs[c];
                if ((before > tolerance(l1[c], absTol, relTol)) != (err[c] > tolerance(l1[c], absTol, relTol))) {
                    sinceRescale = RESCALE_EVERY; // a component just converged (or fell back): re-rank
                }
            }
            queue.add(left);
            queue.add(right);
        }
        if (rules >= MAX_RULES && !converged(err, l1, absTol, relTol)) {
            EXHAUSTED.incrementAndGet();
            LOG.log(System.Logger.Level.WARNING, "quadrature over [{0}, {1}] stopped after {2} rules with error estimate {3} (integral of |f| {4}); "
                    + "the integrand may have an undeclared kink or be noisy", breaks[0], breaks[breaks.length - 1], rules,
                    Arrays.toString(err), Arrays.toString(l1));
        }
        finished.addAll(queue);
        double[] sum = new double[dim];
        for (Piece p : finished) {
            for (int c = 0; c < dim; c++) sum[c] += p.k[c];
        }
        return sum;
    }

    private static boolean converged(double[] err, double[] l1, double absTol, double relTol) {
        for (int c = 0; c < err.length; c++) {
            if (err[c] > tolerance(l1[c], absTol, relTol)) return false;
        }
        return true;
    }

    private static double tolerance(double l1, double absTol, double relTol) {
        return Math.max(Math.max(absTol, relTol * l1), ERROR_FLOOR);
    }

    private static Piece rule(Piece p, double[] scale) {
        return new Piece(p.a, p.b, p.k, p.err, p.kAbs, priority(p.err, scale));
    }

    private static double priority(double[] err, double[] scale) {
        double worst = 0;
        for (int c = 0; c < err.length; c++) worst = Math.max(worst, err[c] * scale[c]);
        return worst;
    }

    /** The K15 nodes of [a, b] into {@code xs[off..off + 15)}, in the order {@link #rule(Integrand, double, double, double[], double[])} visits them. */
    private static void nodes(double a, double b, double[] xs, int off) {
        double half = 0.5 * (b - a), mid = 0.5 * (a + b);
        for (int i = 0; i < XK.length; i++) {
            int signs = XK[i] == 0.0 ? 1 : 2;
            for (int s = 0; s < signs; s++) {
                xs[off++] = s == 0 ? mid + half * XK[i] : mid - half * XK[i];
            }
        }
    }

    /** {@link #rule(Integrand, double, double, double[], double[])} from the values at {@link #nodes}: the same sums in the same order. */
    private static Piece rule(double a, double b, double[] xs, double[][] vals, int off, int dim, double[] scale) {
        double[] k = new double[dim], g = new double[dim], kAbs = new double[dim];
        double half = 0.5 * (b - a);
        int q = off;
        for (int i = 0; i < XK.length; i++) {
            int signs = XK[i] == 0.0 ? 1 : 2;
            for (int s = 0; s < signs; s++, q++) {
                for (int c = 0; c < dim; c++) {
                    double y = vals[q][c];
                    if (!Double.isFinite(y)) {
                        throw new IllegalArgumentException("quadrature: integrand is " + y + " at x = " + xs[q]);
                    }
                    k[c] += WK[i] * y;
                    kAbs[c] += WK[i] * Math.abs(y);
                    if ((i & 1) == 1) g[c] += WG[i >> 1] * y;
                }
            }
        }
        double[] err = new double[dim];
        for (int c = 0; c < dim; c++) {
            k[c] *= half;
            kAbs[c] *= half;
            err[c] = Math.abs(k[c] - g[c] * half);
        }
        return new Piece(a, b, k, err, kAbs, priority(err, scale));
    }

    /** One K15, G7 and K15-of-|f| evaluation on [a, b]. */
    private static Piece rule(Integrand f, double a, double b, double[] fx, double[] scale) {
        int dim = fx.length;
        double[] k = new double[dim], g = new double[dim], kAbs = new double[dim];
        double half = 0.5 * (b - a), mid = 0.5 * (a + b);
        for (int i = 0; i < XK.length; i++) {
            int signs = XK[i] == 0.0 ? 1 : 2;
            for (int s = 0; s < signs; s++) {
                double x = s == 0 ? mid + half * XK[i] : mid - half * XK[i];
                f.eval(x, fx);
                for (int c = 0; c < dim; c++) {
                    double y = fx[c];
                    if (!Double.isFinite(y)) {
                        throw new IllegalArgumentException("quadrature: integrand is " + y + " at x = " + x);
                    }
                    k[c] += WK[i] * y;
                    kAbs[c] += WK[i] * Math.abs(y);
                    if ((i & 1) == 1) g[c] += WG[i >> 1] * y;
                }
            }
        }
        double[] err = new double[dim];
        for (int c = 0; c < dim; c++) {
            k[c] *= half;
            kAbs[c] *= half;
            err[c] = Math.abs(k[c] - g[c] * half);
        }
        return new Piece(a, b, k, err, kAbs, priority(err, scale));
    }
}
