package org.autoinit.tensor.simd;

/**
 * Whether the float32 loops of {@link FloatSimd} (JDK Vector API) can be used: the JVM has the module
 * {@code jdk.incubator.vector} (started with {@code --add-modules jdk.incubator.vector}) and the CPU's
 * preferred vectors hold at least 8 floats. Ops check this and otherwise run their plain loops. The system
 * property {@code autoinit.simd=false} turns them off (to compare against the plain loops).
 *
 * <p>This class itself does not touch the Vector API, so it loads on any JVM.
 */
public final class Simd {
    private static final boolean ENABLED = detect();

    private Simd() {}

    /** True when {@link FloatSimd} may be called. */
    public static boolean enabled() {
        return ENABLED;
    }

    private static boolean detect() {
        if ("false".equalsIgnoreCase(System.getProperty("autoinit.simd", "").trim())) {
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return FloatSimd.lanes() >= 8;
        } catch (LinkageError e) {
            return false;
        }
    }
}
