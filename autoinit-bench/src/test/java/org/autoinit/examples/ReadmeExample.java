package org.autoinit.examples;

import java.nio.file.Path;

import org.autoinit.datasets.Dataset;
import org.autoinit.datasets.Datasets;
import org.autoinit.datasets.Split;
import org.autoinit.datasets.transform.Normalizer;
import org.autoinit.init.AutoInit;
import org.autoinit.init.InitReport;
import org.autoinit.nn.Model;
import org.autoinit.nn.Node;
import org.autoinit.nn.io.Checkpoints;
import org.autoinit.nn.layers.Activation;
import org.autoinit.nn.layers.Dense;
import org.autoinit.nn.layers.Flatten;
import org.autoinit.nn.optim.LrSchedule;
import org.autoinit.nn.optim.Optimizer;
import org.autoinit.nn.optim.Sgd;
import org.autoinit.nn.train.BatchSource;
import org.autoinit.nn.train.ConsoleProgress;
import org.autoinit.nn.train.EvaluationStats;
import org.autoinit.nn.train.Trainer;
import org.autoinit.tensor.Tensor;
import org.autoinit.tensor.ops.ActivationKind;

/** Build a deep MLP, initialize it with AutoInit, train it on the embedded Fashion-MNIST subset, save it. */
public final class ReadmeExample {
    public static void main(String[] args) throws Exception {
        // A 10-layer GELU network without normalization, through the functional API.
        Node in = Model.input("image", 1, 28, 28);
        Node x = new Flatten("flatten").apply(in);
        for (int i = 1; i <= 10; i++) {
            x = new Dense("fc" + i, 256).apply(x);
            x = Activation.builder(ActivationKind.GELU).name("gelu" + i).build().apply(x);
        }
        Model model = Model.of(in, new Dense("logits", 10).apply(x));

        // AutoInit: data-free; every weighted layer's output gets mean 0 and variance 1.
        InitReport report = AutoInit.builder().seed(42).build().initialize(model);
        System.out.println(report);

        // The embedded Fashion-MNIST subset (6,000 train / 1,000 test), standardized with train statistics.
        Split data = Datasets.load("fashion-mnist-small", null);
        Normalizer norm = Normalizer.fit(data.train());
        Dataset train = norm.apply(data.train()), test = norm.apply(data.test());
        BatchSource trainBatches = BatchSource.inMemory(Tensor.of(train.rawFeatures(), train.size(), 1, 28, 28), train.labels(), 128, true);
        BatchSource testBatches = BatchSource.inMemory(Tensor.of(test.rawFeatures(), test.size(), 1, 28, 28), test.labels(), 500, false);

        // SGD with momentum, linear warm-up then cosine decay over 3 epochs of 47 steps.
        int epochs = 3;
        Optimizer sgd = Sgd.builder(Optimizer.trainable(model), 0.01).momentum(0.9).build();
        Trainer trainer = Trainer.builder().optimizer(sgd).seed(42)
                .schedule(LrSchedule.warmupCosine(0.01, 20, (long) epochs * trainBatches.batchesPerEpoch()))
                .listener(new ConsoleProgress()).build();
        trainer.fit(model, trainBatches, testBatches, epochs);

        EvaluationStats stats = Trainer.evaluate(model, testBatches, 10);
        System.out.println(stats.render(Datasets.FASHION_CLASSES.toArray(new String[0])));
        Checkpoints.saveWeights(model, Path.of(args.length > 0 ? args[0] : "model.safetensors"));
    }
}
