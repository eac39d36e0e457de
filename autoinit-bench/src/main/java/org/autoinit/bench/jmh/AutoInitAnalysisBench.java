package org.autoinit.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.autoinit.init.AutoInit;
import org.autoinit.init.InitReport;
import org.autoinit.nn.Model;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
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
 * AutoInit's analysis alone ({@link AutoInit#analyze}: the graph walk and every moment rule, no weight drawn or
 * read), warm: the target is under 20 ms on ResNet-50. The whole initialization (analysis plus
 * drawing, per-draw statistics and rescaling) against plain He init is {@link InitOverheadBench}
 * ({@code -p scheme=autoinit,he-normal}; target: at most 1.2x).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class AutoInitAnalysisBench {
    @Param({"resnet50", "resnet20", "vit", "allcnnc", "mlp"})
    String model;

    Model net;
    AutoInit autoInit;

    @Setup
    public void setup() {
        net = Zoo.build(model, ZooOptions.defaults());
        autoInit = AutoInit.defaults();
    }

    @Benchmark
    public InitReport analyze() {
        return autoInit.analyze(net);
    }
}
