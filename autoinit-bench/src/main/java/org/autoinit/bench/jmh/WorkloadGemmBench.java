package org.autoinit.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.autoinit.tensor.blas.Gemm;
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
 * float32 GEMMs at the shapes the workloads run ({@code m x k times k x n}, "t" marks a transposed operand):
 * the mlp's forward and both backward products, the transformer's token-wise Dense layers (2048 tokens) and
 * one attention head's products. GFLOP/s = 2 m n k / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class WorkloadGemmBench {
    /** "name:m/n/k/transA/transB" (JMH splits -p values at commas). */
    @Param({
        "mlp.fc1:128/512/784/n/n", "mlp.fc2.dX:128,512,512,n,t", "mlp.fc1.dW:784,512,128,t,n",
        "vit.qkv:2048/384/128/n/n", "vit.fc2:2048/128/256/n/n", "vit.qkv.dW:128,384,2048,t,n",
        "vit.head.scores:64/64/32/n/t", "vit.head.out:64/32/64/n/n",
        "conv.allcnnc2-as-gemm:96/1024/864/n/n"})
    String shape;

    @Param({"1", "2"})
    int threads;

    int m, n, k;
    boolean ta, tb;
    float[] a, b, c;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        String[] f = shape.substring(shape.indexOf(':') + 1).split("/");
        m = Integer.parseInt(f[0]);
        n = Integer.parseInt(f[1]);
        k = Integer.parseInt(f[2]);
        ta = f[3].equals("t");
        tb = f[4].equals("t");
        SplittableRandom r = new SplittableRandom(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
    }

    @Benchmark
    public float[] sgemm() {
        Gemm.sgemm(ta, tb, m, n, k, a, 0, b, 0, 0f, c, 0);
        return c;
    }
}
