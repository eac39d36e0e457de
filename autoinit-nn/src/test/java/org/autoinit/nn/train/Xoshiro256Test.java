package org.autoinit.nn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class Xoshiro256Test {
    @Test
    void matchesTheReferenceAlgorithmByHand() {
        // State {1,2,3,4}: out1 = rotl(2*5, 7)*9 = 11520; then s1 becomes 0 -> out2 = 0;
        // then s1 = 262149 -> out3 = rotl(262149*5, 7)*9 = 1509978240.
        Xoshiro256 r = Xoshiro256.fromState(new long[] {1, 2, 3, 4});
        assertEquals(11520L, r.nextLong());
        assertEquals(0L, r.nextLong());
        assertEquals(1509978240L, r.nextLong());
    }

    @Test
    void capturedStateResumesTheExactSequence() {
        Xoshiro256 r = new Xoshiro256(42);
        for (int i = 0; i < 17; i++) r.nextGaussian();
        long[] saved = r.state();
        double[] a = new double[20];
        for (int i = 0; i < a.length; i++) a[i] = i % 2 == 0 ? r.nextGaussian() : r.nextDouble();
        Xoshiro256 back = Xoshiro256.fromState(saved);
        double[] b = new double[20];
        for (int i = 0; i < b.length; i++) b[i] = i % 2 == 0 ? back.nextGaussian() : back.nextDouble();
        assertArrayEquals(a, b, 0);
        assertNotEquals(new Xoshiro256(1).nextLong(), new Xoshiro256(2).nextLong());
        assertThrows(IllegalArgumentException.class, () -> Xoshiro256.fromState(new long[4]));
    }
}
