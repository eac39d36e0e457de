package org.autoinit.init.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link Trace} as a standalone SVG in the manner of the AutoInit paper's Figure 2: one column per
 * node in forward order; panels for the output mean (linear), the output variance (log10) and, when
 * measured, the gradient variance (log10). Predicted values are a dashed line, measured values dots, a
 * baseline's measured values squares; weighted nodes get a shaded column and filled markers.
 */
final class TraceSvg {
    private TraceSvg() {}

    static final String PREDICTED = "#1f77b4", MEASURED = "#d62728", BASELINE = "#ff7f0e", BAND = "#eef2f8";
    private static final int LEFT = 70, RIGHT = 20, TOP = 56, PANEL = 170, GAP = 34;

    static String render(Trace t, Trace baseline) {
        List<Trace.Row> rows = t.rows();
        List<Trace.Row> base = align(rows, baseline);
        int n = rows.size();
        double step = Math.max(12, Math.min(36, 1100.0 / Math.max(1, n)));
        boolean grads = rows.stream().anyMatch(r -> Double.isFinite(r.gradVariance()) && r.gradVariance() > 0);
        int panels = grads ? 3 : 2;
        int labelRoom = 12 + (int) (6.2 * Math.min(28, rows.stream().mapToInt(r -> r.node().length()).max().orElse(4)));
        double width = LEFT + RIGHT + step * n;
        double height = TOP + panels * PANEL + (panels - 1) * GAP + labelRoom;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"11\">%n",
                width, height, width, height));
        sb.append("<title>").append(esc(t.title())).append("</title>\n");
        sb.append("<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", LEFT, esc(t.title())));
        legend(sb, baseline != null, 36);
        double[] pm = new double[n], mm = new double[n], bm = new double[n], pv = new double[n], mv = new double[n], bv = new double[n], gv = new double[n],
                bg = new double[n];
        for (int i = 0; i < n; i++) {
            Trace.Row r = rows.get(i), b = base.get(i);
            pm[i] = r.predictedMean();
            mm[i] = r.measuredMean();
            pv[i] = r.predictedVariance();
            mv[i] = r.measuredVariance();
            gv[i] = r.gradVariance();
            bm[i] = b == null ? Double.NaN : b.measuredMean();
            bv[i] = b == null ? Double.NaN : b.measuredVariance();
            bg[i] = b == null ? Double.NaN : b.gradVariance();
        }
        double y0 = TOP;
        panel(sb, rows, step, y0, "output mean", false, new double[][] {pm, mm, bm});
        y0 += PANEL + GAP;
        panel(sb, rows, step, y0, "output variance (log)", true, new double[][] {pv, mv, bv});
        y0 += PANEL + GAP;
        if (grads) {
            panel(sb, rows, step, y0, "gradient variance (log)", true, new double[][] {new double[n], gv, bg});
            y0 += PANEL + GAP;
        }
        double ly = y0 - GAP + 8;
        for (int i = 0; i < n; i++) {
            double x = LEFT + step * (i + 0.5);
            Trace.Row r = rows.get(i);
            String label = r.node().length() > 28 ? r.node().substring(0, 27) + "\u2026" : r.node();
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" transform=\"rotate(-60 %.1f %.1f)\" text-anchor=\"end\"%s>%s"
                    + "<title>%s (%s)%s</title></text>%n", x + 3, ly + 4, x + 3, ly + 4, r.weighted() ? " font-weight=\"bold\"" : "",
                    esc(label), esc(r.node()), esc(r.type()), r.weighted() ? ", weighted" : ""));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** Baseline rows by position when the node lists have the same length (two builds of one architecture), else by name. */
    private static List<Trace.Row> align(List<Trace.Row> rows, Trace baseline) {
        List<Trace.Row> out = new ArrayList<>();
        if (baseline == null) {
            rows.forEach(r -> out.add(null));
            return out;
        }
        List<Trace.Row> b = baseline.rows();
        for (int i = 0; i < rows.size(); i++) {
            if (b.size() == rows.size()) {
                out.add(b.get(i));
            } else {
                Trace.Row match = null;
                for (Trace.Row r : b) {
                    if (r.node().equals(rows.get(i).node())) {
                        match = r;
                    }
                }
                out.add(match);
            }
        }
        return out;
    }

    private static void legend(StringBuilder sb, boolean baseline, int y) {
        int x = LEFT;
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"5,3\"/>"
                + "<text x=\"%d\" y=\"%d\">AutoInit predicted</text>%n", x, y - 4, x + 24, y - 4, PREDICTED, x + 30, y));
        x += 150;
        sb.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">measured</text>%n", x + 8, y - 4,
                MEASURED, x + 18, y));
        x += 100;
        if (baseline) {
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"8\" height=\"8\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">baseline measured</text>%n",
                    x + 4, y - 8, BASELINE, x + 18, y));
            x += 150;
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"%s\" stroke=\"#9ab\"/><text x=\"%d\" y=\"%d\">weighted layer</text>%n",
                x, y - 9, BAND, x + 20, y));
    }

    /** One panel; series[0] predicted (line), [1] measured (dots), [2] baseline (squares). */
    private static void panel(StringBuilder sb, List<Trace.Row> rows, double step, double top, String label, boolean log, double[][] series) {
        int n = rows.size();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] s : series) {
            for (double v : s) {
                double y = value(v, log);
                if (Double.isFinite(y)) {
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                }
            }
        }
        if (!Double.isFinite(lo)) {
            lo = log ? -1 : -1;
            hi = 1;
        }
        if (log) {
            lo = Math.floor(lo);
            hi = Math.max(Math.ceil(hi), lo + 1);
        } else {
            lo = Math.min(lo, 0);
            hi = Math.max(hi, 0);
            double pad = Math.max(1e-3, 0.08 * (hi - lo));
            lo -= pad;
            hi += pad;
        }
        double w = step * n;
        for (int i = 0; i < n; i++) {
            if (rows.get(i).weighted()) {
                sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", LEFT + step * i, top, step,
                        PANEL, BAND));
            }
        }
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n", LEFT, top, w, PANEL));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-weight=\"bold\">%s</text>%n", LEFT, top - 6, esc(label)));
        final double flo = lo, fhi = hi;
        java.util.function.DoubleUnaryOperator ypx = v -> top + PANEL - (v - flo) / (fhi - flo) * PANEL;
        // Ticks: decades on log panels, 5 even steps otherwise.
        List<double[]> ticks = new ArrayList<>();
        if (log) {
            int stride = (int) Math.max(1, Math.ceil((hi - lo) / 6));
            for (double d = lo; d <= hi + 1e-9; d += stride) {
                ticks.add(new double[] {d, 1});
            }
        } else {
            for (int k = 0; k <= 4; k++) {
                ticks.add(new double[] {lo + (hi - lo) * k / 4, 0});
            }
        }
        for (double[] tk : ticks) {
            double y = ypx.applyAsDouble(tk[0]);
            String text = tk[1] == 1 ? "1e" + (int) Math.round(tk[0]) : String.format(Locale.ROOT, "%.3g", tk[0]);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, y, LEFT + w, y, LEFT - 4, y + 4, text));
        }
        if (!log && lo < 0 && hi > 0) {
            double y = ypx.applyAsDouble(0);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\"/>%n", LEFT, y, LEFT + w, y));
        }
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < n; i++) {
            double v = value(series[0][i], log);
            if (Double.isFinite(v)) {
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", LEFT + step * (i + 0.5), ypx.applyAsDouble(v)));
            }
        }
        if (path.length() > 0) {
            sb.append("<path d=\"").append(path).append("\" fill=\"none\" stroke=\"").append(PREDICTED)
                    .append("\" stroke-width=\"2\" stroke-dasharray=\"5,3\"/>\n");
        }
        for (int i = 0; i < n; i++) {
            double x = LEFT + step * (i + 0.5);
            boolean wtd = rows.get(i).weighted();
            double b = value(series[2][i], log);
            if (Double.isFinite(b)) {
                sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"7\" height=\"7\" fill=\"%s\" stroke=\"%s\"><title>%s baseline: %s</title></rect>%n",
                        x + 1, ypx.applyAsDouble(b) - 3.5, wtd ? BASELINE : "white", BASELINE, esc(rows.get(i).node()), num(series[2][i])));
            }
            double m = value(series[1][i], log);
            if (Double.isFinite(m)) {
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\" stroke=\"%s\"><title>%s measured: %s%s</title></circle>%n",
                        x - 2, ypx.applyAsDouble(m), wtd ? MEASURED : "white", MEASURED, esc(rows.get(i).node()), num(series[1][i]),
                        Double.isFinite(series[0][i]) && series[0][i] != 0 ? ", predicted: " + num(series[0][i]) : ""));
            }
        }
    }

    /** log10 of a positive value on log panels (NaN otherwise). */
    private static double value(double v, boolean log) {
        if (!Double.isFinite(v)) {
            return Double.NaN;
        }
        return log ? (v > 0 ? Math.log10(v) : Double.NaN) : v;
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** XML text/attribute escaping. */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
