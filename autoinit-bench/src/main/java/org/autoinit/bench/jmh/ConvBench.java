package org.autoinit.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;
import org.autoinit.tensor.ops.Conv;
import org.autoinit.tensor.ops.Conv2dSpec;
import org.autoinit.tensor.parallel.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * float32 conv2d at the workloads' layer shapes, forward alone (no graph) and forward + backward (dX, dW, dB).
 * Shapes are "N/C/H/W/O/k/stride/pad" (JMH splits -p values at commas).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class ConvBench {
    @Param({
        "cnn.conv2:64/32/28/28/64/3/1/1", "cnn.conv3:64/64/14/14/128/3/1/1",
        "allcnnc.conv2:32/96/32/32/96/3/1/1", "allcnnc.conv3:32/96/32/32/96/3/2/1", "allcnnc.conv5:32/192/16/16/192/3/1/1",
        "allcnnc.conv7:32/192/8/8/192/3/1/0", "resnet.stage1:32/16/32/32/16/3/1/1", "resnet.stage3:32/64/8/8/64/3/1/1",
        "resnet.short2:32/16/32/32/32/1/2/0"})
    String layer;

    @Param({"1", "2"})
    int threads;

    Tensor x, w, b, g;
    Conv2dSpec spec;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        String[] f = layer.substring(layer.indexOf(':') + 1).split("/");
        int[] v = new int[f.length];
        for (int i = 0; i < f.length; i++) v[i] = Integer.parseInt(f[i]);
        SplittableRandom r = new SplittableRandom(2);
        x = Tensor.randn(r, DType.FLOAT32, v[0], v[1], v[2], v[3]).requiresGrad(true);
        w = Tensor.randn(r, DType.FLOAT32, v[4], v[1], v[5], v[5]).requiresGrad(true);
        b = Tensor.randn(r, DType.FLOAT32, v[4]).requiresGrad(true);
        spec = Conv2dSpec.of(v[6], v[7]);
        try (GradMode.Scope s = GradMode.noGrad()) {
            g = Tensor.randn(r, DType.FLOAT32, Conv.conv2d(x, w, b, spec).shape());
        }
    }

    @Benchmark
    public Tensor forward() {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return Conv.conv2d(x, w, b, spec);
        }
    }

    @Benchmark
    public Tensor forwardBackward() {
        x.zeroGrad();
        w.zeroGrad();
        b.zeroGrad();
        Conv.conv2d(x, w, b, spec).backward(g, false);
        return w.grad();
    }
}
