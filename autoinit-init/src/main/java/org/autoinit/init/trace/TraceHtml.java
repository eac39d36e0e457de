package org.autoinit.init.trace;

import java.util.Locale;

/** A self-contained (well-formed XHTML) page: the trace's SVG and a table of every node's numbers. */
final class TraceHtml {
    private TraceHtml() {}

    static String render(Trace t, Trace baseline) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
                .append(TraceSvg.esc(t.title())).append("</title>\n<style>\n")
                .append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;font-size:12px}")
                .append("th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right}th{background:#f4f4f4}")
                .append("td.l{text-align:left}tr.w{background:").append(TraceSvg.BAND).append("}\n")
                .append("</style>\n</head>\n<body>\n<h1>").append(TraceSvg.esc(t.title())).append("</h1>\n");
        sb.append("<p>Training-mode forward pass of one batch; gradient after one backward pass. Weighted layers are shaded.</p>\n");
        sb.append("<div>\n").append(TraceSvg.render(t, baseline)).append("</div>\n");
        sb.append("<table>\n<tr><th class=\"l\">node</th><th class=\"l\">type</th><th>predicted mean</th><th>measured mean</th>")
                .append("<th>predicted variance</th><th>measured variance</th><th>gradient variance</th></tr>\n");
        for (Trace.Row r : t.rows()) {
            sb.append(r.weighted() ? "<tr class=\"w\">" : "<tr>").append("<td class=\"l\">").append(TraceSvg.esc(r.node())).append("</td><td class=\"l\">")
                    .append(TraceSvg.esc(r.type())).append("</td>");
            for (double v : new double[] {r.predictedMean(), r.measuredMean(), r.predictedVariance(), r.measuredVariance(), r.gradVariance()}) {
                sb.append("<td>").append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4g", v)).append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</table>\n</body>\n</html>\n");
        return sb.toString();
    }
}
