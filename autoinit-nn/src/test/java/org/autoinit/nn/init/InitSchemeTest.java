package org.autoinit.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.autoinit.nn.Model;
import org.autoinit.nn.ParamKind;
import org.autoinit.nn.Parameter;
import org.autoinit.nn.Sequential;
import org.autoinit.nn.layers.Dense;
import org.junit.jupiter.api.Test;

class InitSchemeTest {
    private static Model twin() {
        return Sequential.of(new int[] {256}, new Dense("a", 256), new Dense("b", 256));
    }

    @Test
    void pytorchDefaultBoundsAndVariance() {
        Model m = twin();
        InitScheme.pytorchDefault().apply(m, 0);
        double bound = 1 / Math.sqrt(256);
        for (Parameter p : m.namedParameters().values()) {
            double[] v = p.value().toDoubleArray();
            assertTrue(Arrays.stream(v).allMatch(x -> Math.abs(x) <= bound), p.qualifiedName());
            assertTrue(Arrays.stream(v).anyMatch(x -> x != 0), p.qualifiedName());
        }
        double[] w = m.namedParameters().get("a.weight").value().toDoubleArray();
        double var = Arrays.stream(w).map(x -> x * x).sum() / w.length;
        assertEquals(1.0 / (3 * 256), var, 0.05 / (3 * 256));
    }

    @Test
    void sameSeedSameWeightsSiblingsDiffer() {
        Model m1 = twin(), m2 = twin();
        InitScheme.of(Initializers.heNormal()).apply(m1, 42);
        InitScheme.of(Initializers.heNormal()).apply(m2, 42);
        double[] a1 = m1.namedParameters().get("a.weight").value().toDoubleArray();
        double[] b1 = m1.namedParameters().get("b.weight").value().toDoubleArray();
        assertArrayEquals(a1, m2.namedParameters().get("a.weight").value().toDoubleArray());
        assertFalse(Arrays.equals(a1, b1), "sibling layers must get distinct streams");
        assertTrue(Arrays.stream(m1.namedParameters().get("a.bias").value().toDoubleArray()).allMatch(x -> x == 0));
        InitScheme.of(Initializers.heNormal()).apply(m2, 43);
        assertFalse(Arrays.equals(a1, m2.namedParameters().get("a.weight").value().toDoubleArray()));
    }

    @Test
    void frozenParametersAreLeftAlone() {
        Model m = twin();
        Parameter w = m.namedParameters().get("b.weight");
        w.value().fill_(0.5);
        w.setTrainable(false);
        InitScheme.kerasDefault().apply(m, 1);
        assertTrue(Arrays.stream(w.value().toDoubleArray()).allMatch(x -> x == 0.5));
        InitScheme.kerasDefault().includeFrozen(true).apply(m, 1);
        assertFalse(Arrays.stream(w.value().toDoubleArray()).allMatch(x -> x == 0.5));
    }

    @Test
    void freezingOneParameterDoesNotShiftOthersStreams() {
        Model m1 = twin(), m2 = twin();
        m2.namedParameters().get("a.weight").setTrainable(false);
        InitScheme.pytorchDefault().apply(m1, 5);
        InitScheme.pytorchDefault().apply(m2, 5);
        assertArrayEquals(m1.namedParameters().get("b.weight").value().toDoubleArray(),
                m2.namedParameters().get("b.weight").value().toDoubleArray());
    }

    @Test
    void overridesByKindAndLayerType() {
        Model m = twin();
        InitScheme.kerasDefault().with(ParamKind.BIAS, Initializers.constant(0.1))
                .withLayerType("Dense", ParamKind.WEIGHT, Initializers.constant(2)).apply(m, 3);
        assertTrue(Arrays.stream(m.namedParameters().get("a.weight").value().toDoubleArray()).allMatch(x -> x == 2));
        assertTrue(Arrays.stream(m.namedParameters().get("b.bias").value().toDoubleArray()).allMatch(x -> Math.abs(x - 0.1) < 1e-7));
    }
}
