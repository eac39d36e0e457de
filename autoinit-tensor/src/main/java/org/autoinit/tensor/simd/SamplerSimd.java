package org.autoinit.tensor.simd;

import static org.autoinit.tensor.random.TruncatedNormal.*;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import org.autoinit.tensor.random.Normal;

/**
 * The vector loops of {@link Normal} and {@link org.autoinit.tensor.random.Uniform}: the same operations lane by lane
 * as their scalar code (one vector of SplitMix64 words gives one float vector of entries), so the same bits. One method
 * body each, no vectors passed to helpers (C2 must intrinsify every operation). Call only when {@link Simd#enabled()}.
 */
public final class SamplerSimd {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED;
    private static final int WORDS = L.length();
    private static final LongVector LANE_OFFSETS = LongVector.fromArray(L, laneOffsets(), 0);

    private SamplerSimd() {}

    private static long[] laneOffsets() {
        long[] o = new long[WORDS];
        for (int l = 0; l < WORDS; l++) {
            o[l] = (l + 1) * GOLDEN;
        }
        return o;
    }

    /**
     * {@code a[i] = scale * z_i} ({@link Normal}) for i from {@code from} (even) in steps of whole vectors while they
     * fit before {@code to}; returns the first index not written. Both of Giles's branches are computed, then blended.
     */
    public static int normal(float[] a, int from, int to, long key, float scale) {
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
            FloatVector x = ((FloatVector) bits.lanewise(VectorOperators.ASHR, 8).or(1).convert(VectorOperators.I2F, 0)).mul(Normal.X_SCALE);
            FloatVector y = x.neg().add(1f).mul(x.add(1f));
            IntVector ix = y.reinterpretAsInts().sub(SQRT_HALF_BITS);
            FloatVector dk = (FloatVector) ix.lanewise(VectorOperators.ASHR, 23).convert(VectorOperators.I2F, 0);
            FloatVector f = ix.and(0x007fffff).add(SQRT_HALF_BITS).reinterpretAsFloats().sub(1f);
            FloatVector s = f.div(f.add(2f));
            FloatVector zz = s.mul(s);
            FloatVector ww = zz.mul(zz);
            FloatVector r = zz.mul(ww.mul(LG3).add(LG1)).add(ww.mul(ww.mul(LG4).add(LG2)));
            FloatVector hfsq = f.mul(0.5f).mul(f);
            FloatVector w = s.mul(hfsq.add(r)).add(dk.mul(LN2_LO)).sub(hfsq).add(f).add(dk.mul(LN2_HI)).neg();
            FloatVector t = w.sub(2.5f);
            FloatVector p = t.mul(C8).add(C7);
            p = p.mul(t).add(C6);
            p = p.mul(t).add(C5);
            p = p.mul(t).add(C4);
            p = p.mul(t).add(C3);
            p = p.mul(t).add(C2);
            p = p.mul(t).add(C1);
            p = p.mul(t).add(C0);
            VectorMask<Float> tail = w.compare(VectorOperators.GE, 5f);
            if (tail.anyTrue()) {
                FloatVector u = w.lanewise(VectorOperators.SQRT).sub(3f);
                FloatVector q = u.mul(Normal.D8).add(Normal.D7);
                q = q.mul(u).add(Normal.D6);
                q = q.mul(u).add(Normal.D5);
                q = q.mul(u).add(Normal.D4);
                q = q.mul(u).add(Normal.D3);
                q = q.mul(u).add(Normal.D2);
                q = q.mul(u).add(Normal.D1);
                q = q.mul(u).add(Normal.D0);
                p = p.blend(q, tail);
            }
            p.mul(x).mul(scale).intoArray(a, i);
        }
        return i;
    }

    /** {@code a[i] = centre + half * u_i} ({@link org.autoinit.tensor.random.Uniform}), as {@link #normal}. */
    public static int uniform(float[] a, int from, int to, long key, float centre, float half) {
        if (F.length() != 2 * WORDS) {
            return from;
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
            FloatVector u = ((FloatVector) bits.lanewise(VectorOperators.ASHR, 8).or(1).convert(VectorOperators.I2F, 0)).mul(Normal.X_SCALE);
            u.mul(half).add(centre).intoArray(a, i);
        }
        return i;
    }
}
