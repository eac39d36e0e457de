package org.autoinit.app;

import java.util.List;
import java.util.Locale;

/**
 * Small standalone SVG charts for reports: grouped bars with min-max whiskers, and lines (linear or log10 y).
 * No dependencies; every chart has a title, labelled axes and a legend. Non-finite values are skipped (a
 * diverged run has no bar; a line breaks).
 */
public final class Charts {
    /** Colour-blind-friendly palette (Okabe-Ito), then greys and two further hues: 12 distinct colours before any repeats. */
    private static final String[] COLORS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
        "#777777", "#BBBBBB", "#8C564B", "#7B68EE"};
    private static final int LEFT = 70, RIGHT = 20, TOP = 50, PLOT_H = 260, BOTTOM = 90;

    /**
     * One data series.
     *
     * @param low  lower whisker per point (e.g. min over seeds), or null
     * @param high upper whisker per point, or null
     */
    public record Series(String name, double[] values, double[] low, double[] high) {
        public Series(String name, double[] values) {
            this(name, values, null, null);
        }
    }

    private Charts() {}

    /** Colour of series {@code i}. */
    public static String color(int i) {
        return COLORS[i % COLORS.length];
    }

    /** Grouped bars: one group per category, one bar per series, linear y axis from {@code yMin} to {@code yMax}. */
    public static String bars(String title, String yLabel, List<String> categories, List<Series> series, double yMin, double yMax) {
        return bars(title, yLabel, categories, series, yMin, yMax, false);
    }

    /** Grouped bars; with {@code logY} the axis is log10 (both limits must be positive) and bars rise from {@code yMin}. */
    public static String bars(String title, String yLabel, List<String> categories, List<Series> series, double yMin, double yMax, boolean logY) {
        if (logY && !(yMin > 0 && yMax > yMin)) {
            throw new IllegalArgumentException("Charts.bars: a log axis needs 0 < yMin < yMax, got " + yMin + ", " + yMax);
        }
        int groups = categories.size(), k = series.size();
        int longest = categories.stream().mapToInt(String::length).max().orElse(1);
        double groupW = Math.max(40, Math.min(170, Math.max(14.0 * k + 16, 6.6 * longest + 12)));
        double width = Math.max(LEFT + RIGHT + groups * groupW + 160, LEFT + 8.5 * title.length());
        StringBuilder sb = open(title, width, TOP + PLOT_H + BOTTOM);
        axisY(sb, yLabel, yMin, yMax, logY, LEFT + groups * groupW);
        double barW = (groupW - 12) / k;
        for (int g = 0; g < groups; g++) {
            double gx = LEFT + g * groupW + 6;
            for (int s = 0; s < k; s++) {
                Series ser = series.get(s);
                double v = ser.values()[g];
                if (!Double.isFinite(v) || (logY && v <= 0)) {
                    text(sb, gx + (s + 0.5) * barW, TOP + PLOT_H - 4, "x", "middle", 9, color(s));
                    continue;
                }
                double y = y(v, yMin, yMax, logY);
                sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s, %s: %s</title></rect>%n",
                        gx + s * barW, y, Math.max(1, barW - 1), Math.max(0, TOP + PLOT_H - y), color(s), esc(categories.get(g)), esc(ser.name()), fmt(v)));
                whisker(sb, ser, g, gx + (s + 0.5) * barW, yMin, yMax, logY);
            }
            text(sb, LEFT + (g + 0.5) * groupW, TOP + PLOT_H + 14, categories.get(g), "middle", 11, "#222");
        }
        legend(sb, series, LEFT + groups * groupW + 12);
        return sb.append("</svg>\n").toString();
    }

    /** Lines over x = 0..n-1 labelled by {@code xLabels} (every label shown when they fit, else some). */
    public static String lines(String title, String xLabel, String yLabel, boolean logY, List<String> xLabels, List<Series> series) {
        return lines(title, xLabel, yLabel, logY, xLabels, series, Double.NaN, Double.NaN);
    }

    /** Lines on a linear y axis fixed to [yMin, yMax] (e.g. accuracies on [0, 1]). */
    public static String lines(String title, String xLabel, String yLabel, List<String> xLabels, List<Series> series, double yMin, double yMax) {
        if (!(yMin < yMax)) {
            throw new IllegalArgumentException("Charts.lines: need yMin < yMax, got " + yMin + ", " + yMax);
        }
        return lines(title, xLabel, yLabel, false, xLabels, series, yMin, yMax);
    }

    private static String lines(String title, String xLabel, String yLabel, boolean logY, List<String> xLabels, List<Series> series, double fixedLo,
            double fixedHi) {
        int n = xLabels.size();
        double step = Math.max(8, Math.min(48, 900.0 / Math.max(1, n)));
        double plotW = step * Math.max(1, n - 1) + 20;
        double width = Math.max(LEFT + RIGHT + plotW + 180, LEFT + 8.5 * title.length());
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v) && (!logY || v > 0)) {
                    double t = logY ? Math.log10(v) : v;
                    lo = Math.min(lo, t);
                    hi = Math.max(hi, t);
                }
            }
        }
        if (!(lo <= hi)) {
            lo = 0;
            hi = 1;
        }
        if (!Double.isNaN(fixedLo)) {
            lo = fixedLo;
            hi = fixedHi;
        } else if (logY) {
            lo = Math.floor(lo);
            hi = Math.max(lo + 1, Math.ceil(hi));
        } else {
            double pad = (hi - lo) * 0.05 + 1e-12;
            lo -= pad;
            hi += pad;
        }
        StringBuilder sb = open(title, width, TOP + PLOT_H + BOTTOM);
        axisY(sb, yLabel, logY ? Math.pow(10, lo) : lo, logY ? Math.pow(10, hi) : hi, logY, LEFT + plotW);
        double x0 = LEFT + 10;
        int every = Math.max(1, (int) Math.ceil(n / (plotW / 28)));
        for (int i = 0; i < n; i += every) {
            double x = x0 + i * step;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"end\" transform=\"rotate(-45 %.1f %d)\">%s</text>%n",
                    x, TOP + PLOT_H + 14, x, TOP + PLOT_H + 14, esc(xLabels.get(i))));
        }
        text(sb, x0 + plotW / 2, TOP + PLOT_H + BOTTOM - 8, xLabel, "middle", 12, "#222");
        double ylo = logY ? Math.pow(10, lo) : lo, yhi = logY ? Math.pow(10, hi) : hi;
        for (int s = 0; s < series.size(); s++) {
            Series ser = series.get(s);
            StringBuilder path = new StringBuilder();
            boolean pen = false;
            for (int i = 0; i < n; i++) {
                double v = ser.values()[i];
                if (!Double.isFinite(v) || (logY && v <= 0)) {
                    pen = false;
                    continue;
                }
                double x = x0 + i * step, y = y(v, ylo, yhi, logY);
                path.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                pen = true;
                sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s, %s: %s</title></circle>%n", x, y,
                        color(s), esc(ser.name()), esc(xLabels.get(i)), fmt(v)));
                whisker(sb, ser, i, x, ylo, yhi, logY);
            }
            if (path.length() > 0) {
                sb.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", path.toString().trim(), color(s)));
            }
        }
        legend(sb, series, LEFT + plotW + 12);
        return sb.append("</svg>\n").toString();
    }

    private static StringBuilder open(String title, double width, double height) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\">%n",
                width, height, width, height));
        sb.append("<title>").append(esc(title)).append("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(sb, LEFT, 24, title, "start", 15, "#111");
        return sb;
    }

    /** Y axis with gridlines: 5 linear ticks, or one per decade. */
    private static void axisY(StringBuilder sb, String label, double lo, double hi, boolean log, double right) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#444\"/>%n", LEFT, TOP, LEFT, TOP + PLOT_H));
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#444\"/>%n", LEFT, TOP + PLOT_H, right, TOP + PLOT_H));
        if (log) {
            int a = (int) Math.round(Math.log10(lo)), b = (int) Math.round(Math.log10(hi));
            int every = Math.max(1, (b - a) / 8);
            for (int e = a; e <= b; e += every) {
                tick(sb, y(Math.pow(10, e), lo, hi, true), "1e" + e, right);
            }
        } else {
            for (int i = 0; i <= 5; i++) {
                double v = lo + (hi - lo) * i / 5;
                tick(sb, y(v, lo, hi, false), fmt(v), right);
            }
        }
        double cy = TOP + PLOT_H / 2.0;
        sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%s</text>%n",
                cy, cy, esc(label)));
    }

    private static void tick(StringBuilder sb, double y, String label, double right) {
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e4e4e4\"/>%n", LEFT, y, right, y));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"10\" text-anchor=\"end\">%s</text>%n", LEFT - 4, y + 3, esc(label)));
    }

    private static void whisker(StringBuilder sb, Series s, int i, double x, double lo, double hi, boolean log) {
        if (s.low() == null || s.high() == null || !Double.isFinite(s.low()[i]) || !Double.isFinite(s.high()[i]) || s.low()[i] == s.high()[i]) {
            return;
        }
        double a = y(s.low()[i], lo, hi, log), b = y(s.high()[i], lo, hi, log);
        sb.append(String.format(Locale.ROOT, "<path d=\"M%.1f %.1f L%.1f %.1f M%.1f %.1f L%.1f %.1f M%.1f %.1f L%.1f %.1f\" stroke=\"#222\" stroke-width=\"1\"/>%n",
                x, a, x, b, x - 3, a, x + 3, a, x - 3, b, x + 3, b));
    }

    private static void legend(StringBuilder sb, List<Series> series, double x) {
        for (int s = 0; s < series.size(); s++) {
            double y = TOP + 6 + 18 * s;
            sb.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", x, y, color(s)));
            text(sb, x + 17, y + 10, series.get(s).name(), "start", 11, "#222");
        }
    }

    /** Screen y of a value, clamped to the plot. */
    private static double y(double v, double lo, double hi, boolean log) {
        double t = log ? (Math.log10(Math.max(v, Double.MIN_NORMAL)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
        return TOP + PLOT_H * (1 - Math.max(0, Math.min(1, t)));
    }

    private static void text(StringBuilder sb, double x, double y, String s, String anchor, int size, String color) {
        sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\" text-anchor=\"%s\" fill=\"%s\">%s</text>%n", x, y, size, anchor,
                color, esc(s)));
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** XML escaping of text content and attribute values. */
    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
