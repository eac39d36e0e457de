package org.autoinit.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.autograd.GradMode;
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
 * Square float32/float64 matmul through the Tensor API (what models pay, allocation of the result
 * included). GFLOP/s = 2 n^3 / time. Run on an otherwise idle machine:
 * {@code java -cp autoinit-bench/target/autoinit.jar org.openjdk.jmh.Main GemmBench}
 * (add {@code -jvmArgsAppend -Dautoinit.blas=java} for the pure-Java backend).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GemmBench {
    @Param({"256", "1024"})
    int n;

    @Param({"float32", "float64"})
    String dtype;

    Tensor a;
    Tensor b;

    @Setup
    public void setup() {
        DType dt = dtype.equals("float32") ? DType.FLOAT32 : DType.FLOAT64;
        SplittableRandom rng = new SplittableRandom(1);
        a = Tensor.randn(rng, dt, n, n);
        b = Tensor.randn(rng, dt, n, n);
    }

    @Benchmark
    @SuppressWarnings("try") // the no-grad scope is only opened and closed
    public Tensor matmul() {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return a.matmul(b);
        }
    }
}
