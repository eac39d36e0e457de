package org.autoinit.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.autoinit.init.baselines.InitMethod;
import org.autoinit.init.baselines.InitSchemes;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
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
 * Cost of initializing a whole model with each scheme (what AutoInit adds over a plain random init): the
 * model is built once, then re-initialized on every call with a new seed. LSUV runs on a batch of 4 uniform
 * [0, 1) inputs (2 for ResNet-50's 224x224 images); its forward passes dominate (minutes per init on
 * ResNet-50 here, so select schemes with {@code -p scheme=...}); AutoInit needs no data.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx4g"})
public class InitOverheadBench {
    @Param({"mlp", "allcnnc", "resnet20", "resnet50", "vit"})
    String model;

    @Param({"autoinit", "autoinit-expected", "he-normal", "glorot-uniform", "lsuv", "pytorch"})
    String scheme;

    Model net;
    InitMethod method;
    Tensor sample;
    long seed;

    @Setup
    public void setup() {
        net = Zoo.build(model, ZooOptions.defaults());
        method = InitSchemes.byName(scheme);
        Node in = net.inputs().get(0);
        int[] shape = new int[in.shape().length + 1];
        shape[0] = in.shape().length == 3 && in.shape()[1] > 64 ? 2 : 4;
        System.arraycopy(in.shape(), 0, shape, 1, in.shape().length);
        sample = Tensor.rand(new SplittableRandom(0), DType.FLOAT32, shape);
    }

    @Benchmark
    public Model initialize() {
        method.initialize(net, seed++, sample);
        return net;
    }
}
