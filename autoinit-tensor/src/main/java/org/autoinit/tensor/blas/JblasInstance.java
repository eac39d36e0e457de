package org.autoinit.tensor.blas;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;
import java.util.concurrent.locks.ReentrantLock;

import org.jblas.NativeBlas;

/**
 * One loaded copy of jblas's native library, used by one thread at a time (hold {@link #lock}).
 *
 * <p>Why copies: the OpenBLAS inside jblas is a non-threaded build whose buffer allocator claims a slot
 * without a lock, so two concurrent calls into one copy can share packing buffers and silently return
 * wrong results (about 1 call in 10^4 in a stress run here). A copy loaded through its own class loader
 * is extracted by jblas to its own temporary file, which the dynamic linker maps as a separate library
 * with its own allocator state, so calls into different copies are independent.
 */
final class JblasInstance {
    private static final MethodType SGEMM = MethodType.methodType(void.class, char.class, char.class, int.class, int.class,
            int.class, float.class, float[].class, int.class, int.class, float[].class, int.class, int.class, float.class,
            float[].class, int.class, int.class);
    private static final MethodType DGEMM = MethodType.methodType(void.class, char.class, char.class, int.class, int.class,
            int.class, double.class, double[].class, int.class, int.class, double[].class, int.class, int.class, double.class,
            double[].class, int.class, int.class);

    final ReentrantLock lock = new ReentrantLock();
    private final MethodHandle sgemm;
    private final MethodHandle dgemm;

    private JblasInstance(Class<?> nativeBlas) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        sgemm = lookup.findStatic(nativeBlas, "sgemm", SGEMM);
        dgemm = lookup.findStatic(nativeBlas, "dgemm", DGEMM);
        // Load the native library now, so a failure shows here and not in the middle of a product.
        sgemm('N', 'N', 1, 1, 1, 1f, new float[] {1}, 0, 1, new float[] {1}, 0, 1, 0f, new float[1], 0, 1);
    }

    /** The copy behind the application's own {@code org.jblas.NativeBlas}. */
    static JblasInstance primary() throws ReflectiveOperationException {
        return new JblasInstance(NativeBlas.class);
    }

    /** A further copy, through a class loader that defines its own {@code org.jblas} classes. */
    static JblasInstance isolated() throws ReflectiveOperationException {
        CodeSource src = NativeBlas.class.getProtectionDomain().getCodeSource();
        if (src == null || src.getLocation() == null) {
            throw new ClassNotFoundException("cannot locate the jar holding org.jblas.NativeBlas");
        }
        ClassLoader loader = new JblasLoader(src.getLocation(), NativeBlas.class.getClassLoader());
        Class<?> logger = Class.forName("org.jblas.util.Logger", true, loader);
        Object log = logger.getMethod("getLogger").invoke(null);
        logger.getMethod("setLevel", int.class).invoke(log, logger.getField("WARNING").getInt(null));
        return new JblasInstance(Class.forName("org.jblas.NativeBlas", true, loader));
    }

    void sgemm(char ta, char tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc) {
        try {
            sgemm.invokeExact(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("jblas sgemm failed", t);
        }
    }

    void dgemm(char ta, char tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
               double beta, double[] c, int cOff, int ldc) {
        try {
            dgemm.invokeExact(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("jblas dgemm failed", t);
        }
    }

    /** Child-first for {@code org.jblas.*} (so they and their native library are loaded again), parent-first otherwise. */
    private static final class JblasLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        JblasLoader(URL jar, ClassLoader parent) {
            super(new URL[] {jar}, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("org.jblas.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
