package org.autoinit.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.autoinit.nn.Model;
import org.autoinit.nn.io.Json;
import org.autoinit.nn.optim.Adam;
import org.autoinit.nn.optim.AdamW;
import org.autoinit.nn.optim.LrSchedule;
import org.autoinit.nn.optim.Sgd;
import org.junit.jupiter.api.Test;

class TrainSettingsTest {
    private static TrainSettings s(String opt, String schedule, int warmup, int epochs) {
        return new TrainSettings(opt, 0.1, 0.9, 0, schedule, warmup, epochs, 32, 0);
    }

    @Test
    void cosineWarmsUpToThePeakThenDecaysToZeroAtTheLastStep() {
        LrSchedule c = s("sgd", "cosine", 10, 2).newSchedule(100); // 200 steps
        assertEquals(0.01, c.lr(0), 1e-15);
        assertEquals(0.1, c.lr(9), 1e-15);
        assertEquals(0.1, c.lr(10), 1e-15);
        assertEquals(0.05, c.lr(105), 1e-12, "half way through the decay");
        assertEquals(0.0, c.lr(200), 0);
    }

    @Test
    void constantAndStepWarmUpThenFollowTheirShape() {
        LrSchedule k = s("sgd", "constant", 4, 1).newSchedule(100);
        assertEquals(0.025, k.lr(0), 1e-15);
        assertEquals(0.1, k.lr(3), 1e-15);
        assertEquals(0.1, k.lr(99), 1e-15);
        LrSchedule st = s("sgd", "step", 0, 3).newSchedule(10); // 30 steps: x0.1 every 10
        assertEquals(0.1, st.lr(9), 1e-15);
        assertEquals(0.01, st.lr(10), 1e-15);
        assertEquals(0.001, st.lr(29), 1e-15);
    }

    @Test
    void warmupIsCappedAtATenthOfTheRun() {
        LrSchedule c = s("adam", "cosine", 1000, 1).newSchedule(50); // warm-up 1000 > 5
        assertEquals(0.1, c.lr(4), 1e-15, "the peak is reached after 5 steps");
    }

    @Test
    void optimizersByName() {
        Model m = ModelSpec.of("mlp").build(new int[] {4}, 2);
        assertInstanceOf(Sgd.class, s("sgd", "cosine", 0, 1).newOptimizer(m));
        assertInstanceOf(AdamW.class, s("AdamW", "cosine", 0, 1).newOptimizer(m));
        assertTrue(s("adam", "cosine", 0, 1).newOptimizer(m) instanceof Adam a && !(a instanceof AdamW));
        assertEquals("optimizer must be sgd, adam or adamw, got 'rmsprop'",
                assertThrows(IllegalArgumentException.class, () -> s("rmsprop", "cosine", 0, 1)).getMessage());
        assertEquals("schedule must be cosine, constant or step, got 'linear'",
                assertThrows(IllegalArgumentException.class, () -> s("sgd", "linear", 0, 1)).getMessage());
    }

    @Test
    void jsonRoundTrip() {
        TrainSettings t = new TrainSettings("adamw", 3e-4, 0.8, 0.05, "step", 7, 3, 64, 1.5);
        assertEquals(t, TrainSettings.fromMap((Map<?, ?>) Json.parse(Json.write(t.toMap()))));
        ModelSpec m = new ModelSpec("deep-resmlp", "gelu", 4, 32, 0.1, false, "weighted-sum");
        assertEquals(m, ModelSpec.fromMap((Map<?, ?>) Json.parse(Json.write(m.toMap()))));
        assertEquals(ModelSpec.of("cnn"), ModelSpec.fromMap((Map<?, ?>) Json.parse(Json.write(ModelSpec.of("cnn").toMap()))));
    }

    @Test
    void modelSpecBuildsForTheDataShape() {
        Model m = new ModelSpec("allcnnc", null, null, null, null, null, null).build(new int[] {1, 28, 28}, 10);
        assertEquals(1, m.inputs().get(0).shape()[0], "allcnnc (built for 3x32x32) takes the data's 1x28x28");
        assertEquals(10, m.outputs().get(0).shape()[0]);
        assertEquals(0.0, m.namedParameters().get("conv1.weight").value().getFlat(0), "built uninitialized");
        assertEquals("unknown model 'resnet7'; known: " + String.join(", ", org.autoinit.nn.zoo.Zoo.names()),
                assertThrows(IllegalArgumentException.class, () -> ModelSpec.of("resnet7")).getMessage());
    }
}
