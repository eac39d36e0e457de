package org.autoinit.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.autoinit.datasets.fetch.Fetcher;
import org.autoinit.datasets.fetch.Sources;

/**
 * {@code ./autoinit fetch --dataset NAME [--cache DIR] [--sha256 FILE=HEX,...]}: downloads a public dataset from
 * its official address into a cache folder, verified, resumable; prints the folder to pass as {@code --data}.
 */
final class FetchCommand implements Command {
    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public String summary() {
        return "download mnist, fashion-mnist or cifar10 from its official address (verified, resumable) into a cache";
    }

    @Override
    public int run(String[] args) {
        ArgParser parser = new ArgParser(name(), summary() + ". Files are checked against the checksum their publisher gives"
                + " (MD5) unless --sha256 pins them; an interrupted download resumes on the next call.")
                .required("dataset", "NAME", String.join(", ", Sources.names()))
                .option("cache", "DIR", "cache folder (default " + Fetcher.defaultCacheDir() + ")")
                .option("sha256", "FILE=HEX,...", "verify these files by SHA-256 instead of the published checksum");
        Args a = parser.parse(args);
        PrintStream out = System.out;
        if (a.help()) {
            out.print(parser.usage());
            return 0;
        }
        String dataset = a.getString("dataset");
        if (!Sources.names().contains(dataset)) {
            throw new UsageException(name() + ": unknown dataset '" + dataset + "'; known: " + Sources.names());
        }
        Map<String, String> sha = parseSha256(a.getString("sha256", ""));
        Fetcher fetcher = new Fetcher(a.has("cache") ? Path.of(a.getString("cache")) : Fetcher.defaultCacheDir());
        Path dir;
        try {
            dir = Sources.download(dataset, fetcher, sha);
        } catch (IOException e) {
            System.err.println("autoinit fetch: " + e.getMessage());
            return 1;
        }
        Path data = dataset.equals("cifar10") ? dir : dir.resolve(dataset);
        out.println("fetched " + dataset + " into " + data);
        out.println("train on it with: ./autoinit train --data " + data + " ...");
        return 0;
    }

    /** {@code "a.gz=HEX,b.gz=HEX"} to a map; empty for an empty string. */
    static Map<String, String> parseSha256(String spec) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new UsageException("fetch: --sha256 takes FILE=HEX pairs separated by commas, got '" + part.trim() + "'");
            }
            out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return out;
    }
}
