package org.autoinit.nn.train;

import java.util.random.RandomGenerator;

/**
 * xoshiro256** (Blackman and Vigna, 2018) with a capturable state, for training runs that must resume bit
 * for bit. The JDK's generators (SplittableRandom, L64X128MixRandom, ...) cannot export their state except
 * through Java serialization, which checkpoints must not use; this one is four longs, saved with
 * {@link #state()} and restored with {@link #fromState(long[])}.
 *
 * <p>Only {@link #nextLong()} is implemented; every other method (nextDouble, nextInt(bound),
 * nextGaussian, ...) is RandomGenerator's default built on it. Those defaults keep no hidden state (unlike
 * {@code java.util.Random}'s cached second Gaussian), so the four longs are the complete state.
 */
public final class Xoshiro256 implements RandomGenerator {
    private long s0, s1, s2, s3;

    /** Seeds the four words from {@code seed} with SplitMix64, as the authors recommend. */
    public Xoshiro256(long seed) {
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = mix(x);
    }

    private Xoshiro256(long[] state) {
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
    }

    /** SplitMix64's output function. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A generator continuing exactly where the one whose {@link #state()} this is stood. */
    public static Xoshiro256 fromState(long[] state) {
        if (state.length != 4 || (state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new IllegalArgumentException("Xoshiro256: state must be 4 longs, not all zero, got " + java.util.Arrays.toString(state));
        }
        return new Xoshiro256(state);
    }

    /** The complete state (a copy). */
    public long[] state() {
        return new long[] {s0, s1, s2, s3};
    }

    /** An independent stream derived from this one (consumes one value), for sibling consumers. */
    public Xoshiro256 split() {
        return new Xoshiro256(nextLong());
    }

    @Override
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }
}
