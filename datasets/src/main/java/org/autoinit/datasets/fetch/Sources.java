package org.autoinit.datasets.fetch;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the public datasets live, and a download into the layout {@link org.autoinit.datasets.Datasets}
 * reads ({@code <dir>/mnist/*.gz}, {@code <dir>/fashion-mnist/*.gz}, {@code <dir>/cifar-10-batches-bin/*.bin}).
 *
 * <p>Each file carries the checksum its publisher gives, which is an MD5 for all three (the Fashion-MNIST
 * README's table; the MD5s torchvision pins for MNIST; the CIFAR page). MD5 catches corrupted and truncated
 * downloads but not deliberate tampering; to pin SHA-256 instead, pass your own digests to
 * {@link #download(String, Fetcher, Map)} (e.g. {@code sha256sum} of a trusted earlier download).
 * The built-in values were copied from those publications, not computed here (this project is built
 * without network access): if a publisher re-issues a file, the mismatch message gives the new digest.
 */
public final class Sources {
    /** One file of a dataset, where to get it (first URL first; the others are mirrors) and its published checksum. */
    public record RemoteFile(String fileName, List<URI> urls, Checksum published) {}

    private static final String[] IDX_FILES = {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    private static final Map<String, List<RemoteFile>> FILES = Map.of(
            // The original host often refuses downloads; torchvision's S3 mirror holds the same files.
            "mnist", idx(new String[] {"f68b3c2dcbeaaa9fbdd348bbdeb94873", "d53e105ee54ea40749a09fcbcd1e9432",
                    "9fb629c4189551a2d022fa330f9573f3", "ec29112dd5afa0611ce80d1b7f02629c"},
                    "http://yann.lecun.com/exdb/mnist/", "https://ossci-datasets.s3.amazonaws.com/mnist/"),
            "fashion-mnist", idx(new String[] {"8d4fb7e6c68d591d4c3dfef9ec88bf0d", "25c81989df183df01b3e8a0aad5dffbe",
                    "bef4ecab320f06d8554ea6380940ec79", "bb300cfdad3c16e7a12a480ee83cd310"},
                    "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            "cifar10", List.of(new RemoteFile("cifar-10-binary.tar.gz",
                    List.of(URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")),
                    Checksum.md5("c32a1d4ab5d03f1284b67883e8d87530"))));

    private Sources() {}

    /** The four IDX files under each base URL, with their published MD5s in {@link #IDX_FILES} order. */
    private static List<RemoteFile> idx(String[] md5, String... bases) {
        return java.util.stream.IntStream.range(0, IDX_FILES.length)
                .mapToObj(i -> new RemoteFile(IDX_FILES[i],
                        java.util.Arrays.stream(bases).map(b -> URI.create(b + IDX_FILES[i])).toList(), Checksum.md5(md5[i])))
                .toList();
    }

    /** The names {@link #download} knows. */
    public static List<String> names() {
        return List.copyOf(new TreeMap<>(FILES).keySet());
    }

    /** The files of a dataset. */
    public static List<RemoteFile> files(String dataset) {
        List<RemoteFile> f = FILES.get(dataset);
        if (f == null) {
            throw new IllegalArgumentException("Sources: unknown dataset '" + dataset + "'; known: " + names());
        }
        return f;
    }

    /**
     * Downloads (or finds cached) every file of {@code dataset} into the fetcher's cache directory, verified
     * against the published checksums, and, for CIFAR-10, extracts the archive there. Returns the directory to
     * pass to {@code Datasets.load}.
     */
    public static Path download(String dataset, Fetcher fetcher) throws IOException {
        return download(dataset, fetcher, Map.of());
    }

    /**
     * As {@link #download(String, Fetcher)}, verifying each file named in {@code sha256ByFile} by that SHA-256
     * instead of its published checksum.
     *
     * @param sha256ByFile SHA-256 digests keyed by file name (see {@link #files}); files not named use the published one
     */
    public static Path download(String dataset, Fetcher fetcher, Map<String, String> sha256ByFile) throws IOException {
        List<RemoteFile> files = files(dataset);
        for (String name : sha256ByFile.keySet()) {
            if (files.stream().noneMatch(f -> f.fileName().equals(name))) {
                throw new IllegalArgumentException("Sources.download: " + dataset + " has no file '" + name + "'; its files are "
                        + files.stream().map(RemoteFile::fileName).toList());
            }
        }
        Path dir = fetcher.cacheDir();
        for (RemoteFile f : files) {
            String rel = dataset.equals("cifar10") ? f.fileName() : dataset + "/" + f.fileName();
            String sha = sha256ByFile.get(f.fileName());
            Path got = fetcher.fetch(f.urls(), rel, sha == null ? f.published() : Checksum.sha256(sha));
            if (dataset.equals("cifar10") && !Files.isRegularFile(dir.resolve("cifar-10-batches-bin/test_batch.bin"))) {
                Tar.extractGz(got, dir);
            }
        }
        return dir;
    }
}
