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
 * <p>No checksums are built in: they could not be verified when this was written (no network access),
 * and a wrong built-in value would make every download fail. Pass the SHA-256 of each file (e.g. from
 * a trusted earlier download: {@code sha256sum file}); {@link #download} lists what it needs.
 */
public final class Sources {
    /** One file of a dataset and where to get it (first URL first; the others are mirrors). */
    public record RemoteFile(String fileName, List<URI> urls) {}

    private static final String[] IDX_FILES = {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    private static final Map<String, List<RemoteFile>> FILES = Map.of(
            // The original host often refuses downloads; torchvision's S3 mirror holds the same files.
            "mnist", idx("http://yann.lecun.com/exdb/mnist/", "https://ossci-datasets.s3.amazonaws.com/mnist/"),
            "fashion-mnist", idx("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            "cifar10", List.of(new RemoteFile("cifar-10-binary.tar.gz",
                    List.of(URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz")))));

    private Sources() {}

    private static List<RemoteFile> idx(String... bases) {
        return java.util.Arrays.stream(IDX_FILES)
                .map(f -> new RemoteFile(f, java.util.Arrays.stream(bases).map(b -> URI.create(b + f)).toList()))
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
     * Downloads (or finds cached) every file of {@code dataset} into the fetcher's cache directory and,
     * for CIFAR-10, extracts the archive there. Returns the directory to pass to {@code Datasets.load}.
     *
     * @param sha256ByFile the expected SHA-256 of each file, keyed by file name (see {@link #files})
     */
    public static Path download(String dataset, Fetcher fetcher, Map<String, String> sha256ByFile) throws IOException {
        List<RemoteFile> files = files(dataset);
        for (RemoteFile f : files) {
            if (!sha256ByFile.containsKey(f.fileName())) {
                throw new IllegalArgumentException("Sources.download: no SHA-256 given for " + dataset + " file '" + f.fileName()
                        + "'; this library ships no built-in checksums, pass one for each of "
                        + files.stream().map(RemoteFile::fileName).toList());
            }
        }
        Path dir = fetcher.cacheDir();
        for (RemoteFile f : files) {
            String rel = dataset.equals("cifar10") ? f.fileName() : dataset + "/" + f.fileName();
            Path got = fetcher.fetch(f.urls(), rel, sha256ByFile.get(f.fileName()));
            if (dataset.equals("cifar10") && !Files.isRegularFile(dir.resolve("cifar-10-batches-bin/test_batch.bin"))) {
                Tar.extractGz(got, dir);
            }
        }
        return dir;
    }
}
