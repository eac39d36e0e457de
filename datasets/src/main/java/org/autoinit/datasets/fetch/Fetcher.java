package org.autoinit.datasets.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads files into a cache directory, verified by a {@link Checksum} (SHA-256, or the MD5 a publisher
 * gives). A file already in the cache with the
 * right checksum is returned without touching the network. Bytes go to {@code <file>.part}; an
 * interrupted download keeps it and the next attempt (the next of {@link #attempts} within one call,
 * or a later call) resumes with an HTTP {@code Range} request. The finished file is verified and only
 * then renamed into place atomically, so the cache never holds a half-written or unverified file under
 * its real name; on a checksum mismatch the bad file is deleted. A lock file serializes concurrent
 * downloads of the same file by several processes. Shows a progress bar only on a terminal.
 */
public final class Fetcher {
    private static final System.Logger LOG = System.getLogger(Fetcher.class.getName());
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final Path cacheDir;
    private int attempts = 3;
    private boolean progress = ProgressBar.hasTerminal();
    private int connectTimeoutMs = 30_000;
    private int readTimeoutMs = 60_000;

    /** A fetcher caching into {@link #defaultCacheDir()}. */
    public Fetcher() {
        this(defaultCacheDir());
    }

    public Fetcher(Path cacheDir) {
        this.cacheDir = cacheDir.toAbsolutePath();
    }

    /** {@code $XDG_CACHE_HOME/autoinit/datasets} if that variable is set, else {@code ~/.cache/autoinit/datasets}. */
    public static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("autoinit").resolve("datasets");
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** How many times one {@link #fetch} call tries (resuming) before giving up; default 3. */
    public Fetcher attempts(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Fetcher.attempts: must be >= 1, got " + n);
        }
        this.attempts = n;
        return this;
    }

    /** Forces the progress bar on or off (default: on only when attached to a terminal). */
    public Fetcher progress(boolean on) {
        this.progress = on;
        return this;
    }

    /** Connection and read (stall) timeouts in milliseconds; defaults 30 s and 60 s. */
    public Fetcher timeouts(int connectMs, int readMs) {
        this.connectTimeoutMs = connectMs;
        this.readTimeoutMs = readMs;
        return this;
    }

    /** Downloads {@code url} to {@code <cacheDir>/<fileName of the URL path>}; see {@link #fetch(List, String, String)}. */
    public Path fetch(URI url, String sha256) throws IOException {
        String path = url.getPath();
        return fetch(List.of(url), path.substring(path.lastIndexOf('/') + 1), sha256);
    }

    /**
     * Returns {@code <cacheDir>/<relativePath>}, downloading it from the first of {@code urls} that
     * works (the others are mirrors) unless it is already cached with the given checksum.
     *
     * @param relativePath where in the cache to put it, e.g. {@code "mnist/train-images-idx3-ubyte.gz"}
     * @param sha256 the expected SHA-256 as 64 lower-case hex digits (required)
     * @throws ChecksumMismatchException if the downloaded file has another checksum (it is deleted)
     * @throws IOException if every URL failed; the message says what happened with each
     */
    public Path fetch(List<URI> urls, String relativePath, String sha256) throws IOException {
        return fetch(urls, relativePath, checkSha(sha256));
    }

    /** As {@link #fetch(List, String, String)}, with the expected digest in either algorithm {@link Checksum} knows. */
    public Path fetch(List<URI> urls, String relativePath, Checksum want) throws IOException {
        if (want == null) {
            throw new IllegalArgumentException("Fetcher.fetch: a checksum is required for " + relativePath);
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("Fetcher.fetch: no URL given for " + relativePath);
        }
        Path target = cacheDir.resolve(relativePath).normalize();
        if (!target.startsWith(cacheDir) || relativePath.isBlank()) {
            throw new IllegalArgumentException("Fetcher.fetch: '" + relativePath + "' is not a path inside the cache " + cacheDir);
        }
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        Path lockFile = target.resolveSibling(target.getFileName() + ".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.lock(); // held until the channel closes; another process fetching the same file waits here
            if (Files.isRegularFile(target)) {
                String have = want.of(target);
                if (have.equals(want.hex())) {
                    return target;
                }
                LOG.log(System.Logger.Level.WARNING, "{0} is cached with {1} {2}, expected {3}; downloading it again",
                        target, want.algorithm(), have, want.hex());
                Files.delete(target);
            }
            StringBuilder failures = new StringBuilder();
            for (URI url : urls) {
                try {
                    download(url, part);
                    verifyAndMove(url, part, target, want);
                    return target;
                } catch (ChecksumMismatchException e) {
                    throw e;
                } catch (IOException e) {
                    failures.append("\n  ").append(url).append(": ").append(e.getMessage());
                }
            }
            throw new IOException("could not download " + relativePath + ":" + failures
                    + (Files.exists(part) ? "\nthe partial download is kept in " + part + "; calling fetch again resumes it" : "")
                    + "\nwithout network access, put the file at " + target + " yourself (expected " + want + ")");
        }
    }

    /** Downloads into {@code part}, resuming from its current length, with up to {@link #attempts} tries. */
    private void download(URI url, Path part) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                if (transfer(url, part)) {
                    return;
                }
            } catch (HttpStatusException e) {
                throw e; // a definite answer from the server; retrying will not change it
            } catch (IOException e) {
                last = e;
                LOG.log(System.Logger.Level.INFO, "download of {0} interrupted (attempt {1} of {2}): {3}",
                        url, attempt, attempts, e.getMessage());
            }
        }
        throw last;
    }

    /** One HTTP request; returns true when {@code part} holds the whole file. */
    private boolean transfer(URI url, Path part) throws IOException {
        long have = Files.isRegularFile(part) ? Files.size(part) : 0;
        HttpURLConnection conn = (HttpURLConnection) url.toURL().openConnection();
        conn.setConnectTimeout(connectTimeoutMs);
        conn.setReadTimeout(readTimeoutMs);
        conn.setRequestProperty("Accept-Encoding", "identity"); // byte ranges must refer to the file itself
        if (have > 0) {
            conn.setRequestProperty("Range", "bytes=" + have + "-");
        }
        try {
            int code = conn.getResponseCode();
            long start;
            long total;
            if (code == HttpURLConnection.HTTP_PARTIAL) {
                Matcher m = CONTENT_RANGE.matcher(String.valueOf(conn.getHeaderField("Content-Range")));
                if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                    throw new IOException("server answered the range request with Content-Range '"
                            + conn.getHeaderField("Content-Range") + "', not starting at byte " + have);
                }
                start = have;
                total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
            } else if (code == HttpURLConnection.HTTP_OK) {
                start = 0; // no range asked, or the server ignored it: start over
                total = conn.getContentLengthLong();
            } else if (code == 416 && have > 0) {
                return true; // the part already holds everything; the checksum decides
            } else if (code >= 500) {
                throw new IOException("HTTP " + code + " " + conn.getResponseMessage()); // server trouble: worth a retry
            } else {
                throw new HttpStatusException("HTTP " + code + " " + conn.getResponseMessage());
            }
            ProgressBar bar = ProgressBar.forConsole(progress, part.getFileName().toString().replace(".part", ""), total);
            long done = start;
            try (InputStream in = conn.getInputStream();
                 OutputStream out = start > 0
                         ? Files.newOutputStream(part, StandardOpenOption.APPEND)
                         : Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                                 StandardOpenOption.WRITE)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    done += n;
                    bar.update(done);
                }
            } finally {
                bar.finish();
            }
            if (total >= 0 && done != total) {
                throw new IOException("connection closed after " + done + " of " + total + " bytes");
            }
            return true;
        } finally {
            conn.disconnect();
        }
    }

    private static void verifyAndMove(URI url, Path part, Path target, Checksum want) throws IOException {
        String got = want.of(part);
        if (!got.equals(want.hex())) {
            long size = Files.size(part);
            Files.delete(part);
            throw new ChecksumMismatchException(url.toString(), want.algorithm(), want.hex(), got, size);
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** SHA-256 of a file as 64 lower-case hex digits. */
    public static String sha256(Path file) throws IOException {
        return Checksum.digest("SHA-256", file);
    }

    private static Checksum checkSha(String sha256) {
        if (sha256 == null) {
            throw new IllegalArgumentException("Fetcher.fetch: a SHA-256 checksum is required");
        }
        try {
            return Checksum.sha256(sha256);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Fetcher.fetch: '" + sha256 + "' is not a SHA-256 (64 hex digits)", e);
        }
    }

    /** The server gave a definite non-success status (e.g. 404). */
    private static final class HttpStatusException extends IOException {
        private static final long serialVersionUID = 1L;

        HttpStatusException(String message) {
            super(message);
        }
    }
}
