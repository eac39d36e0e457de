package org.autoinit.experiments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.app.ResultTable;

/**
 * What an experiment produced.
 *
 * @param summary  the main table (Markdown in the report)
 * @param runs     one row per training run (the CSV)
 * @param svg      the main plot
 * @param sections further Markdown sections of the report, in order (heading -> body)
 * @param extras   further files to write beside the main ones (file name -> content)
 * @param settings lines describing the setup (model, data size, optimizer, seeds)
 */
public record ExperimentResult(ResultTable summary, ResultTable runs, String svg, Map<String, String> sections, Map<String, String> extras,
        List<String> settings) {
    public ExperimentResult {
        sections = new LinkedHashMap<>(sections);
        extras = new LinkedHashMap<>(extras);
        settings = List.copyOf(settings);
    }
}
