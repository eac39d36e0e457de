package org.autoinit.tensor.simd;

import static org.autoinit.tensor.random.TruncatedNormal.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector loop of {@link org.autoinit.tensor.random.TruncatedNormal}: the same operations lane by lane (one
 * vector of SplitMix64 words gives one float vector of entries), so the same bits as its scalar code. One method
 * body, no vectors passed to helpers (C2 must intrinsify every operation). Call only when {@link Simd#enabled()}.
 */
public final class TruncatedNormalSimd {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    private static final int WORDS = L.length();
    private static final LongVector LANE_OFFSETS = LongVector.fromArray(L, laneOffsets(), 0);

    private TruncatedNormalSimd() {}

    private static long[] laneOffsets() {
        long[] o = new long[WORDS];
        for (int l = 0; l < WORDS; l++) {
            o[l] = (l + 1) * GOLDEN;
        }
        return o;
    }

    /**
     * {@code a[i] = scale * z_i} for i from {@code from} (even) in steps of whole vectors while they fit before
     * {@code to}; returns the first index not written.
     */
    public static int fill(float[] a, int from, int to, long key, float scale) {
        if (F.length() != 2 * WORDS) {
            return from; // species of different sizes: leave it to the scalar loop
        }
        int i = from;
        long step = WORDS * GOLDEN;
        LongVector counter = LANE_OFFSETS.add(key + (long) (from >>> 1) * GOLDEN);
        for (int end = to - 2 * WORDS; i <= end; i += 2 * WORDS) {
            LongVector z = counter;
            counter = counter.add(step);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(MIX1);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(MIX2);
            z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
            IntVector bits = z.reinterpretAsInts();
            FloatVector x = ((FloatVector) bits.lanewise(VectorOperators.ASHR, 8).or(1).convert(VectorOperators.I2F, 0)).mul(X_SCALE);
            FloatVector y = x.neg().add(1f).mul(x.add(1f));
            IntVector ix = y.reinterpretAsInts().sub(SQRT_HALF_BITS);
            FloatVector dk = (FloatVector) ix.lanewise(VectorOperators.ASHR, 23).convert(VectorOperators.I2F, 0);
            FloatVector f = ix.and(0x007fffff).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
            FloatVector s = f.div(f.add(2f));
            FloatVector zz = s.mul(s);
            FloatVector ww = zz.mul(zz);
            FloatVector r = zz.mul(ww.mul(LG3).add(LG1)).add(ww.mul(ww.mul(LG4).add(LG2)));
            FloatVector hfsq = f.mul(0.5f).mul(f);
            FloatVector ln = s.mul(hfsq.add(r)).add(dk.mul(LN2_LO)).sub(hfsq).add(f).add(dk.mul(LN2_HI));
            FloatVector t = ln.neg().sub(2.5f);
            FloatVector p = t.mul(C8).add(C7);
            p = p.mul(t).add(C6);
            p = p.mul(t).add(C5);
            p = p.mul(t).add(C4);
            p = p.mul(t).add(C3);
            p = p.mul(t).add(C2);
            p = p.mul(t).add(C1);
            p = p.mul(t).add(C0);
            p.mul(x).mul(scale).intoArray(a, i);
        }
        return i;
    }
}
