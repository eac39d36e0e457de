package org.autoinit.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * The training workloads of the PyTorch peer ({@code shared/peers/torch_peer.py}), each a {@link
 * org.autoinit.nn.zoo.Zoo} model with the peer's exact shapes and batch size.
 */
public enum Workload {
    MLP("mlp", "mlp", 128, 784),
    CNN("cnn", "cnn", 64, 1, 28, 28),
    ALLCNNC("allcnnc", "allcnnc", 32, 3, 32, 32),
    RESNET("resnet", "resnet20", 32, 3, 32, 32),
    TRANSFORMER("transformer", "vit", 32, 1, 28, 28);

    private final String id;
    private final String zooName;
    private final int batch;
    private final int[] sampleShape;

    Workload(String id, String zooName, int batch, int... sampleShape) {
        this.id = id;
        this.zooName = zooName;
        this.batch = batch;
        this.sampleShape = sampleShape;
    }

    /** The peer's name for it: mlp, cnn, allcnnc, resnet, transformer. */
    public String id() {
        return id;
    }

    /** The name {@link org.autoinit.nn.zoo.Zoo#build} knows the model by. */
    public String zooName() {
        return zooName;
    }

    public int batch() {
        return batch;
    }

    /** Input shape of one batch, {@code [batch, sample shape...]}. */
    public int[] inputShape() {
        int[] s = new int[sampleShape.length + 1];
        s[0] = batch;
        System.arraycopy(sampleShape, 0, s, 1, sampleShape.length);
        return s;
    }

    /** The fixed batch every step reuses: {@code [batch, sample shape...]} uniform in [0, 1), seed 0 (labels follow from the same stream). */
    public Tensor fixedInputs() {
        return Tensor.rand(new SplittableRandom(0), DType.FLOAT32, inputShape());
    }

    /** The workload with this peer name (case-insensitive). */
    public static Workload byId(String id) {
        String key = id.trim().toLowerCase(Locale.ROOT);
        for (Workload w : values()) {
            if (w.id.equals(key)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + id + "'; known: "
                + String.join(", ", Arrays.stream(values()).map(Workload::id).toList()) + ", init");
    }
}
