package org.autoinit.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The vector even/odd split against the definition, at offsets and for pair counts with and without a vector tail. */
class FloatPairsTest {
    @BeforeAll
    static void requireSimd() {
        Assumptions.assumeTrue(Simd.enabled(), "Vector API loops not enabled in this JVM");
    }

    @Test
    void splitsIntoEvenAndOddElements() {
        int lanes = FloatPairs.lanes();
        for (int pairs : new int[] {1, 7, lanes - 1, lanes, lanes + 1, 3 * lanes + 5}) {
            int rounded = (pairs + lanes - 1) / lanes * lanes, off = 3, eOff = 5, oOff = 2;
            float[] src = new float[off + 2 * rounded];
            for (int i = 0; i < src.length; i++) src[i] = i * 0.25f - 7f;
            float[] even = new float[eOff + rounded + 4], odd = new float[oOff + rounded + 4];
            java.util.Arrays.fill(even, -99f);
            java.util.Arrays.fill(odd, -99f);
            FloatPairs.split(src, off, pairs, even, eOff, odd, oOff);
            for (int k = 0; k < rounded; k++) {
                assertEquals(src[off + 2 * k], even[eOff + k], "even pairs=" + pairs + " k=" + k);
                assertEquals(src[off + 2 * k + 1], odd[oOff + k], "odd pairs=" + pairs + " k=" + k);
            }
            // nothing written before the offsets or past the rounded count
            assertEquals(-99f, even[eOff - 1], "even before offset, pairs=" + pairs);
            assertEquals(-99f, odd[oOff - 1], "odd before offset, pairs=" + pairs);
            assertEquals(-99f, even[eOff + rounded], "even past the rounded count, pairs=" + pairs);
            assertEquals(-99f, odd[oOff + rounded], "odd past the rounded count, pairs=" + pairs);
        }
    }
}
