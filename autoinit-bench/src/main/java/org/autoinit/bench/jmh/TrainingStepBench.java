package org.autoinit.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.autoinit.bench.TrainingBench;
import org.autoinit.bench.Workload;
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
 * One training step (zero_grad, forward, cross-entropy, backward, SGD momentum step) of each PyTorch-peer
 * workload on its fixed batch, as {@code ./autoinit bench} times it ({@link TrainingBench.Setup}). The fork gets the
 * launcher's heap options (README, "Memory"), so its steps collect garbage the way {@code ./autoinit bench}'s do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xms32m", "-Xmx4g", "-XX:G1HeapRegionSize=1m", "-XX:GCTimeRatio=1",
    "-XX:MaxHeapFreeRatio=100", "-XX:+UnlockExperimentalVMOptions", "-XX:G1ExpandByPercentOfAvailable=1", "-XX:-G1UseAdaptiveIHOP",
    "-XX:InitiatingHeapOccupancyPercent=75", "-XX:MinHeapFreeRatio=10"})
public class TrainingStepBench {
    @Param({"mlp", "cnn", "allcnnc", "resnet", "transformer"})
    String workload;

    @Param({"1", "2"})
    int threads;

    TrainingBench.Setup setup;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        setup = new TrainingBench.Setup(Workload.byId(workload));
    }

    @Benchmark
    public double[] step() {
        return setup.step();
    }
}
