package org.autoinit.nn.layers;

/** Optional settings of a pooling layer; the window is required, the stride defaults to the window. */
public final class PoolBuilder<P extends Pooling2d> {
    /** Creates the layer from (name, kh, kw, sh, sw, ph, pw). */
    @FunctionalInterface
    public interface Factory<P> {
        P create(String name, int kh, int kw, int sh, int sw, int ph, int pw);
    }

    private final Factory<P> factory;
    private final int kh, kw;
    private int sh, sw, ph, pw;
    private String name;

    PoolBuilder(int k, Factory<P> factory) {
        this.factory = factory;
        this.kh = k;
        this.kw = k;
        this.sh = k;
        this.sw = k;
    }

    public PoolBuilder<P> stride(int s) { sh = s; sw = s; return this; }
    public PoolBuilder<P> padding(int p) { ph = p; pw = p; return this; }
    public PoolBuilder<P> name(String n) { name = n; return this; }
    public P build() { return factory.create(name, kh, kw, sh, sw, ph, pw); }
}
