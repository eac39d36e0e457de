package org.autoinit.datasets.tools;

import java.io.IOException;
import java.nio.file.Path;

import org.autoinit.datasets.io.Idx;

/**
 * The tool that cut the embedded {@code fashion-mnist-small} subset (kept in test scope so it is not
 * shipped). From each split it keeps, in file order, the first {@code perClass} images of every class,
 * so the subset is class-balanced and keeps the source's (already shuffled) order.
 *
 * <pre>
 * cd datasets && mvn -q test-compile   # from the project root, under the build lock
 * java -cp target/classes:target/test-classes:../autoinit-tensor/target/classes \
 *     org.autoinit.datasets.tools.CutFashionMnistSmall ../../shared/datasets/fashion-mnist \
 *     src/main/resources/org/autoinit/datasets/fashion-mnist-small 600 100
 * </pre>
 */
public final class CutFashionMnistSmall {
    private CutFashionMnistSmall() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: CutFashionMnistSmall <fashion-mnist dir> <output dir> <train per class> <test per class>");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        cut(in, out, "train", Integer.parseInt(args[2]));
        cut(in, out, "t10k", Integer.parseInt(args[3]));
    }

    static void cut(Path in, Path out, String split, int perClass) throws IOException {
        Idx.Images images = Idx.readImages(in.resolve(split + "-images-idx3-ubyte.gz"));
        int[] labels = Idx.readLabels(in.resolve(split + "-labels-idx1-ubyte.gz"), 10);
        int[] taken = new int[10];
        int n = 0;
        int[] keep = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (taken[labels[i]] < perClass) {
                taken[labels[i]]++;
                keep[n++] = i;
            }
        }
        for (int c = 0; c < 10; c++) {
            if (taken[c] != perClass) {
                throw new IllegalStateException(split + ": class " + c + " has only " + taken[c] + " images, wanted " + perClass);
            }
        }
        int pixels = images.rows() * images.cols();
        byte[] px = new byte[n * pixels];
        int[] lab = new int[n];
        for (int k = 0; k < n; k++) {
            System.arraycopy(images.pixels(), keep[k] * pixels, px, k * pixels, pixels);
            lab[k] = labels[keep[k]];
        }
        Idx.writeImages(out.resolve(split + "-images-idx3-ubyte.gz"), new Idx.Images(n, images.rows(), images.cols(), px), true);
        Idx.writeLabels(out.resolve(split + "-labels-idx1-ubyte.gz"), lab, true);
        System.out.println(split + ": kept " + n + " of " + labels.length + " images (" + perClass + " per class)");
    }
}
