package org.autoinit.datasets.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * An expected file digest: SHA-256 (what users should pin) or MD5 (the only digest MNIST, Fashion-MNIST
 * and CIFAR publish; it detects corrupted and truncated downloads, though not deliberate tampering).
 *
 * @param algorithm "SHA-256" or "MD5"
 * @param hex       the digest as lower-case hex digits (64 for SHA-256, 32 for MD5)
 */
public record Checksum(String algorithm, String hex) {
    public Checksum {
        if (algorithm == null || hex == null) {
            throw new IllegalArgumentException("Checksum: algorithm and digest are required");
        }
        int digits = switch (algorithm) {
            case "SHA-256" -> 64;
            case "MD5" -> 32;
            default -> throw new IllegalArgumentException("Checksum: algorithm must be SHA-256 or MD5, got '" + algorithm + "'");
        };
        String h = hex.trim().toLowerCase(Locale.ROOT);
        if (h.length() != digits || !h.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("Checksum: '" + hex + "' is not a " + algorithm + " (" + digits + " hex digits)");
        }
        hex = h;
    }

    public static Checksum sha256(String hex) {
        return new Checksum("SHA-256", hex);
    }

    public static Checksum md5(String hex) {
        return new Checksum("MD5", hex);
    }

    /** This checksum's algorithm applied to {@code file}, as lower-case hex. */
    public String of(Path file) throws IOException {
        return digest(algorithm, file);
    }

    /** True when {@code file} has this digest. */
    public boolean matches(Path file) throws IOException {
        return of(file).equals(hex);
    }

    @Override
    public String toString() {
        return algorithm + " " + hex;
    }

    static String digest(String algorithm, Path file) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no " + algorithm, e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
