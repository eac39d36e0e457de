package org.autoinit.datasets.fetch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Against a local HTTP server on 127.0.0.1 that can cut responses short and honour or ignore ranges. */
class FetcherTest {
    @TempDir
    Path cache;

    private static final int CUT = 50_000;
    private final byte[] content = new byte[200_000];
    private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    private volatile int cutNext;
    private volatile boolean honourRange = true;
    private HttpServer server;
    private URI url;

    @BeforeEach
    void start() throws IOException {
        new SplittableRandom(4).nextBytes(content);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/data/file.bin", this::serve);
        server.createContext("/missing.bin", ex -> {
            ranges.add("404");
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/data/file.bin");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange ex) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        ranges.add(String.valueOf(range));
        int start = 0;
        if (range != null && honourRange) {
            start = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            ex.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + (content.length - 1) + "/" + content.length);
            ex.sendResponseHeaders(206, content.length - start);
        } else {
            ex.sendResponseHeaders(200, content.length);
        }
        OutputStream os = ex.getResponseBody();
        if (cutNext > 0) {
            cutNext--;
            os.write(content, start, CUT);
            os.flush();
            ex.close(); // fewer bytes than announced: the server drops the connection mid-body
            return;
        }
        os.write(content, start, content.length - start);
        ex.close();
    }

    private String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private Fetcher fetcher() {
        return new Fetcher(cache).timeouts(5000, 5000).progress(false);
    }

    @Test
    void downloadsVerifiesRenamesAndThenServesFromCache() throws Exception {
        Path p = fetcher().fetch(url, sha(content));
        assertEquals(cache.resolve("file.bin"), p);
        assertArrayEquals(content, Files.readAllBytes(p));
        assertFalse(Files.exists(cache.resolve("file.bin.part")));
        assertEquals(List.of("null"), ranges);
        assertEquals(p, fetcher().fetch(List.of(url), "file.bin", sha(content).toUpperCase()));
        assertEquals(1, ranges.size(), "a verified cached file needs no request");
    }

    @Test
    void checksumMismatchDeletesTheDownloadAndSaysWhy() throws Exception {
        String wrong = "ab".repeat(32);
        var e = assertThrows(ChecksumMismatchException.class, () -> fetcher().fetch(url, wrong));
        assertEquals(wrong, e.expected());
        assertEquals(sha(content), e.actual());
        assertTrue(e.getMessage().startsWith(url + ": SHA-256 mismatch after downloading 200000 bytes: expected " + wrong
                + " but got " + sha(content) + "; the file was deleted."), e.getMessage());
        assertFalse(Files.exists(cache.resolve("file.bin")));
        assertFalse(Files.exists(cache.resolve("file.bin.part")));
    }

    @Test
    void publishedMd5VerifiesTooAndAMismatchNamesTheAlgorithm() throws Exception {
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        Path p = fetcher().fetch(List.of(url), "m/file.bin", Checksum.md5(md5));
        assertArrayEquals(content, Files.readAllBytes(p));
        assertEquals(p, fetcher().fetch(List.of(url), "m/file.bin", Checksum.md5(md5.toUpperCase())));
        assertEquals(1, ranges.size(), "a cached file with the right MD5 needs no request");

        String wrong = "0".repeat(32);
        var e = assertThrows(ChecksumMismatchException.class, () -> fetcher().fetch(List.of(url), "w/file.bin", Checksum.md5(wrong)));
        assertTrue(e.getMessage().startsWith(url + ": MD5 mismatch after downloading 200000 bytes: expected " + wrong
                + " but got " + md5), e.getMessage());
        assertFalse(Files.exists(cache.resolve("w/file.bin")));
    }

    @Test
    void checksumValuesAreValidated() {
        assertEquals("SHA-256 " + "ab".repeat(32), Checksum.sha256("AB".repeat(32)).toString());
        var e = assertThrows(IllegalArgumentException.class, () -> Checksum.md5("ab".repeat(32)));
        assertEquals("Checksum: '" + "ab".repeat(32) + "' is not a MD5 (32 hex digits)", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> new Checksum("SHA-1", "ab".repeat(20)));
        assertEquals("Checksum: algorithm must be SHA-256 or MD5, got 'SHA-1'", e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checksum.md5("zz".repeat(16)));
    }

    @Test
    void interruptedDownloadKeepsThePartAndTheNextCallResumesWithRange() throws Exception {
        cutNext = 1;
        Fetcher once = fetcher().attempts(1);
        var e = assertThrows(IOException.class, () -> once.fetch(url, sha(content)));
        assertTrue(e.getMessage().contains("the partial download is kept in " + cache.resolve("file.bin.part")), e.getMessage());
        assertEquals(CUT, Files.size(cache.resolve("file.bin.part")));
        assertFalse(Files.exists(cache.resolve("file.bin")));

        Path p = once.fetch(url, sha(content));
        assertArrayEquals(content, Files.readAllBytes(p));
        assertEquals(List.of("null", "bytes=" + CUT + "-"), ranges);
    }

    @Test
    void oneCallRetriesAndResumesUntilComplete() throws Exception {
        cutNext = 2;
        Path p = fetcher().attempts(3).fetch(url, sha(content));
        assertArrayEquals(content, Files.readAllBytes(p));
        assertEquals(List.of("null", "bytes=" + CUT + "-", "bytes=" + 2 * CUT + "-"), ranges);
    }

    @Test
    void serverIgnoringRangeMakesTheDownloadStartOver() throws Exception {
        cutNext = 1;
        honourRange = false;
        Path p = fetcher().attempts(2).fetch(url, sha(content));
        assertArrayEquals(content, Files.readAllBytes(p), "the partial bytes were replaced, not appended to");
        assertEquals(List.of("null", "bytes=" + CUT + "-"), ranges);
    }

    @Test
    void badCachedFileIsReplaced() throws Exception {
        Files.write(cache.resolve("file.bin"), new byte[] {1, 2, 3});
        Path p = fetcher().fetch(url, sha(content));
        assertArrayEquals(content, Files.readAllBytes(p));
    }

    @Test
    void httpErrorIsReportedWithoutRetryingAndNamesTheUrlAndTheTarget() {
        URI missing = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/missing.bin");
        var e = assertThrows(IOException.class, () -> fetcher().attempts(3).fetch(missing, "cd".repeat(32)));
        assertTrue(e.getMessage().startsWith("could not download missing.bin:\n  " + missing + ": HTTP 404"), e.getMessage());
        assertTrue(e.getMessage().contains("put the file at " + cache.resolve("missing.bin")), e.getMessage());
        assertEquals(List.of("404"), ranges);
    }

    @Test
    void mirrorsAreTriedInOrder() throws Exception {
        URI missing = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/missing.bin");
        Path p = fetcher().fetch(List.of(missing, url), "sub/dir/file.bin", sha(content));
        assertEquals(cache.resolve("sub/dir/file.bin"), p);
        assertArrayEquals(content, Files.readAllBytes(p));
    }

    @Test
    void argumentsAreChecked() {
        var e = assertThrows(IllegalArgumentException.class, () -> fetcher().fetch(url, "not-a-hash"));
        assertEquals("Fetcher.fetch: 'not-a-hash' is not a SHA-256 (64 hex digits)", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> fetcher().fetch(List.of(url), "../escape.bin", "ab".repeat(32)));
        assertTrue(e2.getMessage().startsWith("Fetcher.fetch: '../escape.bin' is not a path inside the cache"), e2.getMessage());
        assertTrue(ranges.isEmpty());
    }
}
