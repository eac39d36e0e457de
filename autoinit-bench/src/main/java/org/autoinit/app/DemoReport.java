package org.autoinit.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.autoinit.init.trace.Trace;
import org.autoinit.nn.io.AtomicFiles;
import org.autoinit.nn.train.EvaluationStats;
import org.autoinit.nn.train.History;

/** The demo's HTML report and its stand-alone SVG and CSV files. */
final class DemoReport {
    private DemoReport() {}

    /** Writes report.html, trace.svg, trace-pytorch.svg, curves.svg and history.csv into {@code dir}; returns the HTML path. */
    static Path write(Path dir, DataChoice data, TrainSettings ts, List<Trace> traces, List<History> histories, List<EvaluationStats> stats,
            String[] labels) throws IOException {
        Files.createDirectories(dir);
        String traceSvg = traces.get(1).toSvg(traces.get(0));
        String baseSvg = traces.get(0).toSvg();
        String curves = curves(histories, labels);
        AtomicFiles.writeString(dir.resolve("trace.svg"), traceSvg);
        AtomicFiles.writeString(dir.resolve("trace-pytorch.svg"), baseSvg);
        AtomicFiles.writeString(dir.resolve("curves.svg"), curves);
        ResultTable csv = new ResultTable("init", "epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy");
        for (int i = 0; i < histories.size(); i++) {
            for (var m : histories.get(i).epochs()) {
                csv.add(Demo.INITS.get(i), m.epoch() + 1, m.trainLoss(), m.trainAccuracy(), m.valLoss(), m.valAccuracy());
            }
        }
        AtomicFiles.writeString(dir.resolve("history.csv"), csv.csv());

        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>AutoInit demo</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:24px;max-width:1300px;color:#222}table{border-collapse:collapse;font-size:13px;margin:8px 0}")
                .append("th,td{padding:3px 9px;border-bottom:1px solid #ddd;text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}")
                .append(".svg{overflow-x:auto}\n</style>\n</head>\n<body>\n");
        h.append("<h1>AutoInit demo: one deep network, two initializations</h1>\n");
        h.append("<p>").append(Charts.esc(String.format(Locale.ROOT, "%s. Model: 784 -> 128 x 24 -> 10, ReLU, no normalization. Training: %s. Run on %s.",
                data.description(), ts, LocalDate.now()))).append("</p>\n");
        h.append("<h2>Test accuracy</h2>\n<table><tr><th class=\"l\">init</th><th>accuracy</th><th>macro F1</th></tr>\n");
        for (int i = 0; i < stats.size(); i++) {
            h.append(String.format(Locale.ROOT, "<tr><td class=\"l\">%s</td><td>%.4f</td><td>%.4f</td></tr>%n", labels[i], stats.get(i).accuracy(),
                    stats.get(i).macroF1()));
        }
        h.append("</table>\n<div class=\"svg\">").append(curves).append("</div>\n");
        h.append("<h2>Moments at initialization</h2>\n<p>Every node of the network in forward order, on 512 training images. AutoInit's prediction ")
                .append("(dashed) against the measured mean and variance (dots); the PyTorch-default network's measured values as squares. Under the ")
                .append("default init the signal variance collapses within a few layers to the level set by the biases, and the gradient reaching ")
                .append("the first layers shrinks by orders of magnitude; under AutoInit every weighted layer's output has variance close to 1.</p>\n");
        h.append("<div class=\"svg\">").append(traceSvg).append("</div>\n");
        h.append("<h3>PyTorch default: moment propagation's prediction for its weights vs measured</h3>\n<div class=\"svg\">").append(baseSvg).append("</div>\n");
        h.append("<h3>Weighted layers</h3>\n<table><tr><th class=\"l\">layer</th>");
        for (String l : labels) {
            h.append("<th>").append(l).append(" predicted var</th><th>measured var</th><th>gradient var</th>");
        }
        h.append("</tr>\n");
        List<Trace.Row> a = Demo.weighted(traces.get(0)), b = Demo.weighted(traces.get(1));
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            h.append("<tr><td class=\"l\">").append(Charts.esc(a.get(i).node())).append("</td>");
            for (Trace.Row r : new Trace.Row[] {a.get(i), b.get(i)}) {
                h.append("<td>").append(Demo.g(r.predictedVariance())).append("</td><td>").append(Demo.g(r.measuredVariance())).append("</td><td>")
                        .append(Demo.g(r.gradVariance())).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n<p>Files: trace.svg, trace-pytorch.svg, curves.svg, history.csv. Command: <code>./autoinit demo</code>.</p>\n</body>\n</html>\n");
        Path html = dir.resolve("report.html");
        AtomicFiles.writeString(html, h.toString());
        return html;
    }

    private static String curves(List<History> histories, String[] labels) {
        int epochs = histories.stream().mapToInt(History::size).max().orElse(0);
        List<String> x = new ArrayList<>();
        for (int e = 1; e <= Math.max(1, epochs); e++) x.add(Integer.toString(e));
        List<Charts.Series> series = new ArrayList<>();
        for (int i = 0; i < histories.size(); i++) {
            double[] v = new double[x.size()];
            java.util.Arrays.fill(v, Double.NaN);
            double[] acc = histories.get(i).series("val_accuracy");
            System.arraycopy(acc, 0, v, 0, acc.length);
            series.add(new Charts.Series(labels[i] + " test accuracy", v));
        }
        return Charts.lines("Test accuracy after each epoch", "epoch", "accuracy", x, series, 0, 1);
    }
}
