package org.autoinit.tensor.memory;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import org.autoinit.tensor.DType;
import org.autoinit.tensor.Tensor;

/**
 * Float arrays for the activations and gradients of one training step, recycled from step to step instead of
 * allocated anew. A training loop opens a {@link Scope} around a step (forward, backward, optimizer step); while it is
 * open on a thread, the ops that produce large float32 activations and activation gradients on that thread take their
 * output arrays from {@link #floats}, and closing the scope hands every such array back for the next step. Without a
 * scope {@link #floats} is {@code new float[n]}.
 *
 * <p>Why: a ResNet-20 step (batch 32) allocated ~100 MB of such arrays; the JVM zeroes each new array on the
 * allocating thread before the op overwrites it, and the 2 MB ones are humongous objects that trigger G1 cycles.
 *
 * <p>The contract, for whoever opens a scope: no tensor produced inside it may be read after {@link Scope#close()}
 * (its storage is then another step's), nor after a backward pass without retainGraph has gone past it (its storage
 * then holds a later gradient, see {@link #releaseOutput}), except those passed to {@link Scope#keep} before that. The scope recycles only arrays
 * handed out by {@link #floats}; the ops use it only for activation-shaped outputs and gradients, never for
 * parameters, parameter gradients, optimizer state or running statistics. For the ops: an array from {@link #floats}
 * holds stale values and every entry must be written before it is read; {@link #zeroedFloats} for outputs an op
 * accumulates into. {@link #openChecked()} fills every handed-out array with NaN, so a test can prove both.
 */
public final class StepStorage {
    /** Smaller arrays are cheap to allocate and not worth tracking. */
    static final int MIN_LENGTH = 1 << 14;
    private static final ThreadLocal<StepStorage> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<Map<Integer, ArrayDeque<float[]>>> FREE = ThreadLocal.withInitial(HashMap::new);

    private final Map<Integer, ArrayDeque<float[]>> free;
    /** Arrays handed out and not yet back in {@link #free} (an identity set). */
    private final Map<float[], Boolean> out = new IdentityHashMap<>();
    private final Set<Integer> takenLengths = new HashSet<>();
    private int taken;
    private final boolean poison;
    private int depth = 1;

    private StepStorage(boolean poison) {
        this.free = FREE.get();
        this.poison = poison;
    }

    /** Opens a scope on the calling thread (a nested open joins the scope already open there). */
    public static Scope open() {
        return open(false);
    }

    /** As {@link #open()}, but every array handed out is first filled with NaN: for tests that prove ops write before reading. */
    public static Scope openChecked() {
        return open(true);
    }

    private static Scope open(boolean poison) {
        StepStorage s = CURRENT.get();
        if (s != null) {
            s.depth++;
            return new Scope(s);
        }
        s = new StepStorage(poison);
        CURRENT.set(s);
        return new Scope(s);
    }

    /**
     * Drops the calling thread's free arrays (they otherwise stay for the next scope: up to one step's activations and
     * gradients). For the end of a training run; does nothing while a scope is open on the thread.
     */
    public static void trim() {
        if (CURRENT.get() == null) {
            FREE.get().clear();
        }
    }

    /** A float array of length {@code n} with unspecified contents: recycled inside a scope, else new. */
    public static float[] floats(int n) {
        StepStorage s = CURRENT.get();
        if (s == null || n < MIN_LENGTH) {
            return new float[n];
        }
        return s.take(n);
    }

    /** As {@link #floats}, all zeros (for outputs an op accumulates into). */
    public static float[] zeroedFloats(int n) {
        StepStorage s = CURRENT.get();
        if (s == null || n < MIN_LENGTH) {
            return new float[n];
        }
        float[] a = s.take(n);
        Arrays.fill(a, 0f);
        return a;
    }

    /** A float32 tensor of the given shape on {@link #floats} storage (unspecified contents). */
    public static Tensor floatTensor(int... shape) {
        return Tensor.of(floats(numel(shape)), shape);
    }

    /** {@link #floatTensor} for float32, {@link Tensor#zeros} otherwise: the dtype-generic form of an op's output. */
    public static Tensor uninitialized(DType dtype, int... shape) {
        return dtype == DType.FLOAT32 ? floatTensor(shape) : Tensor.zeros(dtype, shape);
    }

    private static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (n > Integer.MAX_VALUE || n < 0) {
            throw new IllegalArgumentException("StepStorage: shape " + Arrays.toString(shape) + " has too many elements");
        }
        return (int) n;
    }

    private float[] take(int n) {
        ArrayDeque<float[]> q = free.get(n);
        float[] a = q == null ? null : q.pollLast();
        if (a == null) {
            a = new float[n];
        }
        if (poison) {
            Arrays.fill(a, Float.NaN);
        }
        out.put(a, Boolean.TRUE);
        takenLengths.add(n);
        taken++;
        return a;
    }

    /**
     * Called by {@link Tensor#backward} after the backward function of a node whose gradient {@code g} was a scratch
     * gradient ({@link Tensor#isScratchGradient}: the node owned its storage alone) and has been dropped: unless the
     * function handed that storage on to one of the node's {@code inputs} (as its gradient, e.g. masked in place) the
     * array is dead and goes back to the free list at once, so the rest of the backward pass reuses it while it is
     * still in cache. Does nothing without a scope or for arrays this scope did not hand out.
     */
    public static void releaseGradient(Tensor g, Tensor[] inputs) {
        release(g, inputs);
    }

    /**
     * Called by {@link Tensor#backward} (without retainGraph) once the pass has gone past node {@code t}: its output
     * storage goes back to the free list unless one of its {@code inputs} shares it (t is a view of it, still to be
     * processed). Under the scope's contract nothing reads t after this (keep what is read later, e.g. the logits).
     */
    public static void releaseOutput(Tensor t, Tensor[] inputs) {
        release(t, inputs);
    }

    /** Puts {@code x}'s array back on the free list unless it was not handed out here or an input (or its gradient) holds it. */
    private static void release(Tensor x, Tensor[] inputs) {
        StepStorage s = CURRENT.get();
        if (s == null || x.dtype() != DType.FLOAT32) {
            return;
        }
        float[] a = x.floatData();
        if (!s.out.containsKey(a)) {
            return;
        }
        if (inputs != null) {
            for (Tensor in : inputs) {
                if (in != null && (holds(in, a) || holds(in.grad(), a))) return;
            }
        }
        s.out.remove(a);
        s.free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
    }

    private static boolean holds(Tensor t, float[] a) {
        return t != null && t.dtype() == DType.FLOAT32 && t.floatData() == a;
    }

    private void close() {
        if (--depth > 0) {
            return;
        }
        CURRENT.remove();
        for (float[] a : out.keySet()) free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
        // A length this step did not ask for is dropped (batch or model changed), so the free lists never hold more
        // than one step's arrays.
        free.keySet().retainAll(takenLengths);
    }

    private void keep(Tensor t) {
        if (t == null || t.dtype() != DType.FLOAT32) {
            return;
        }
        out.remove(t.floatData());
        if (t.grad() != null && t.grad().dtype() == DType.FLOAT32) out.remove(t.grad().floatData());
    }

    /** An open scope; close it when the step (forward, backward, optimizer step) is done. */
    public static final class Scope implements AutoCloseable {
        private final StepStorage storage;
        private boolean closed;

        private Scope(StepStorage storage) {
            this.storage = storage;
        }

        /** Keeps the storage of {@code t} and of its gradient out of the recycling (they outlive the scope). */
        public Scope keep(Tensor t) {
            storage.keep(t);
            return this;
        }

        /** As {@link #keep(Tensor)} for each tensor. */
        public Scope keep(Iterable<Tensor> ts) {
            for (Tensor t : ts) storage.keep(t);
            return this;
        }

        /** How many arrays the scope has handed out so far (for tests and diagnostics). */
        public int handedOut() {
            return storage.taken;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                storage.close();
            }
        }
    }
}
