package org.autoinit.tensor.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class StepStorageTest {
    private static final int N = StepStorage.MIN_LENGTH;

    @Test
    void withoutScopeArraysAreNewAndZero() {
        float[] a = StepStorage.floats(N), b = StepStorage.floats(N);
        assertNotSame(a, b);
        for (float v : a) assertEquals(0f, v);
        assertEquals(DType.FLOAT64, StepStorage.uninitialized(DType.FLOAT64, 2, 3).dtype());
    }

    @Test
    void arraysComeBackAfterCloseExceptKeptOnes() {
        float[] a, b, c;
        Tensor kept;
        try (StepStorage.Scope s = StepStorage.open()) {
            a = StepStorage.floats(N);
            b = StepStorage.floats(N);
            c = StepStorage.floats(2 * N);
            kept = StepStorage.floatTensor(4, N / 4);
            assertNotSame(a, b);
            assertEquals(4, s.handedOut());
            s.keep(kept);
        }
        try (StepStorage.Scope s = StepStorage.open()) {
            float[] x = StepStorage.floats(N), y = StepStorage.floats(N), z = StepStorage.floats(N);
            assertTrue((x == a || x == b) && (y == a || y == b) && x != y, "both arrays of length N reused");
            assertTrue(z != a && z != b && z != kept.floatData(), "the kept tensor's storage is never handed out again");
            assertSame(c, StepStorage.floats(2 * N));
        }
    }

    @Test
    void aReleasedGradientIsReusedInTheSameStepUnlessAnInputHoldsIt() {
        try (StepStorage.Scope s = StepStorage.open()) {
            Tensor g = StepStorage.floatTensor(N);
            Tensor input = Tensor.zeros(DType.FLOAT32, N).requiresGrad(true);
            input.accumulateGrad(g.reshape(N));   // a leaf copies: does not hold g's storage
            Tensor viewHolder = Tensor.of(g.floatData(), N);
            StepStorage.releaseGradient(g, new Tensor[] {input, viewHolder});
            assertNotSame(g.floatData(), StepStorage.floats(N), "an input's storage is g's: not released");
            Tensor h = StepStorage.floatTensor(N);
            StepStorage.releaseGradient(h, new Tensor[] {input, null});
            assertSame(h.floatData(), StepStorage.floats(N), "released, then handed out again in the same scope");
            StepStorage.releaseGradient(Tensor.zeros(DType.FLOAT32, N), new Tensor[0]);
            assertNotSame(h.floatData(), StepStorage.floats(N), "an array the scope did not hand out is ignored");
        }
        float[] a;
        try (StepStorage.Scope s = StepStorage.open()) {
            a = StepStorage.floats(N);
        }
        Tensor t = Tensor.of(a, N);
        StepStorage.releaseGradient(t, null);   // no scope: nothing happens
        try (StepStorage.Scope s = StepStorage.open()) {
            assertSame(a, StepStorage.floats(N));
            assertNotSame(a, StepStorage.floats(N), "in the free list once");
        }
    }

    @Test
    void backwardReturnsAnOutputOnceThePassIsPastItUnlessItIsAViewOfAnInput() {
        try (StepStorage.Scope s = StepStorage.open()) {
            Tensor x = Tensor.zeros(DType.FLOAT32, N).requiresGrad(true);
            Tensor own = Tensor.record("own", StepStorage.floatTensor(N), g -> { }, x);
            Tensor view = Tensor.record("view", Tensor.of(own.floatData(), N), g -> { }, own);
            Tensor kept = Tensor.record("kept", StepStorage.floatTensor(N), g -> { }, view);
            s.keep(kept);
            kept.backward(Tensor.ones(DType.FLOAT32, N), false);
            assertSame(own.floatData(), StepStorage.floats(N), "own's storage back once the pass is past it (not at the view)");
            assertTrue(StepStorage.floats(N) != kept.floatData(), "a kept output stays out");
        }
        try (StepStorage.Scope s = StepStorage.open()) {
            Tensor x = Tensor.zeros(DType.FLOAT32, N).requiresGrad(true);
            Tensor y = Tensor.record("y", StepStorage.floatTensor(N), g -> { }, x);
            y.backward(Tensor.ones(DType.FLOAT32, N), true);
            assertNotSame(y.floatData(), StepStorage.floats(N), "retainGraph: outputs stay");
        }
    }

    @Test
    void trimDropsTheFreeArraysButNotInsideAScope() {
        float[] a;
        try (StepStorage.Scope s = StepStorage.open()) {
            a = StepStorage.floats(N);
            StepStorage.trim();
        }
        StepStorage.trim();
        try (StepStorage.Scope s = StepStorage.open()) {
            assertNotSame(a, StepStorage.floats(N));
        }
        try (StepStorage.Scope s = StepStorage.open()) {
            a = StepStorage.floats(N);
        }
        try (StepStorage.Scope s = StepStorage.open()) {
            StepStorage.trim();
            assertSame(a, StepStorage.floats(N), "trim inside a scope does nothing");
        }
    }

    @Test
    void lengthsAStepDidNotUseAreDropped() {
        float[] a;
        try (StepStorage.Scope s = StepStorage.open()) {
            a = StepStorage.floats(3 * N);
        }
        try (StepStorage.Scope s = StepStorage.open()) {
            StepStorage.floats(N);
        }
        try (StepStorage.Scope s = StepStorage.open()) {
            assertNotSame(a, StepStorage.floats(3 * N));
        }
    }

    @Test
    void nestedScopeJoinsTheOuterOne() {
        float[] a;
        try (StepStorage.Scope outer = StepStorage.open()) {
            try (StepStorage.Scope inner = StepStorage.open()) {
                a = StepStorage.floats(N);
            }
            assertNotSame(a, StepStorage.floats(N), "not recycled before the outer scope closes");
        }
    }

    @Test
    void checkedScopePoisonsAndZeroedFloatsAreZero() {
        try (StepStorage.Scope s = StepStorage.openChecked()) {
            float[] a = StepStorage.floats(N);
            for (float v : a) assertTrue(Float.isNaN(v));
            float[] z = StepStorage.zeroedFloats(N);
            for (float v : z) assertEquals(0f, v);
        }
        float[] small;
        try (StepStorage.Scope s = StepStorage.openChecked()) {
            small = StepStorage.floats(N - 1);
            assertEquals(0, s.handedOut(), "small arrays are plain allocations");
        }
        for (float v : small) assertEquals(0f, v);
    }
}
