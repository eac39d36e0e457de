package org.autoinit.init.baselines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;

import org.autoinit.init.trace.Trace;
import org.autoinit.nn.Model;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.zoo.Zoo;
import org.autoinit.nn.zoo.ZooOptions;
import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BaselinesTest {

    @Test
    void lsuvBringsEveryWeightedLayerToUnitVariance() {
        for (String name : new String[] {"mlp", "cnn"}) {
            Model m = Zoo.build(name, ZooOptions.builder().init(null).build());
            int[] shape = m.inputs().get(0).shape();
            int[] batch = new int[shape.length + 1];
            batch[0] = 64;
            System.arraycopy(shape, 0, batch, 1, shape.length);
            Tensor data = Tensor.randn(new SplittableRandom(1), DType.FLOAT32, batch).mul(3.0).add(0.5);
            Map<String, Double> v = new Lsuv().run(m, 7, data);
            assertFalse(v.isEmpty());
            v.forEach((node, var) -> assertTrue(Math.abs(var - 1) < 0.1, name + " " + node + ": variance " + var));
            // The last scaling holds on the same batch measured independently.
            Trace t = Trace.measure("lsuv", m, null, new Tensor[] {data}, Trace.randomProjection(1), 7);
            v.forEach((node, var) -> assertEquals(var, t.row(node).measuredVariance(), 1e-3 * var, node));
        }
    }

    @Test
    void everySchemeByName() {
        for (String name : InitSchemes.names()) {
            Model m = Zoo.build("mlp", ZooOptions.builder().init(null).build());
            InitMethod method = InitSchemes.byName(name);
            assertEquals(name, method.name());
            Tensor sample = Tensor.randn(new SplittableRandom(2), DType.FLOAT32, 64, 784);
            Object report = method.initialize(m, 3, method.needsData() ? new Tensor[] {sample} : new Tensor[0]);
            if (name.startsWith("autoinit")) {
                assertNotNull(report);
            } else {
                assertNull(report);
            }
            Parameter w = m.namedParameters().values().iterator().next();
            double q = 0;
            for (int i = 0; i < w.numel(); i++) {
                q += w.value().getFlat(i) * w.value().getFlat(i);
            }
            assertTrue(q > 0, name + " filled the first weight");
        }
        assertTrue(InitSchemes.byName("lsuv").needsData());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InitSchemes.byName("kaiming-magic"));
        assertTrue(e.getMessage().contains("he-normal"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Lsuv().initialize(Zoo.build("mlp"), 1));
    }

    @Test
    void heNormalHasItsDocumentedVariance() {
        Model m = Zoo.build("mlp", ZooOptions.builder().init(null).build());
        InitSchemes.byName("he-normal").initialize(m, 1);
        Parameter w = m.namedParameters().values().iterator().next();
        double q = 0;
        for (int i = 0; i < w.numel(); i++) {
            q += w.value().getFlat(i) * w.value().getFlat(i);
        }
        assertEquals(2.0 / w.fans().fanIn(), q / w.numel(), 0.02 * 2.0 / w.fans().fanIn());
    }
}
