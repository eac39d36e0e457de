package org.autoinit.app;

import java.util.ArrayList;
import java.util.List;

import org.autoinit.datasets.Dataset;
import org.autoinit.init.AutoInit;
import org.autoinit.init.InitReport;
import org.autoinit.init.baselines.InitMethod;
import org.autoinit.init.baselines.InitSchemes;
import org.autoinit.nn.Model;
import org.autoinit.tensor.Tensor;

/**
 * Initializes a model by scheme name: every name of {@link InitSchemes#byName} plus
 * {@code autoinit-nodrop} (AutoInit treating dropout as the identity, to isolate its dropout adjustment).
 * Data-dependent schemes (LSUV) get the first {@link #SAMPLE} training samples.
 */
public final class Inits {
    /** Samples given to data-dependent schemes. */
    public static final int SAMPLE = 256;

    private Inits() {}

    /** Every accepted name. */
    public static List<String> names() {
        List<String> out = new ArrayList<>(InitSchemes.names());
        out.add("autoinit-nodrop");
        return out;
    }

    /** Fails early, naming the valid schemes. */
    public static void check(String name) {
        if (!name.equals("autoinit-nodrop")) {
            InitSchemes.byName(name);
        }
    }

    /**
     * Initializes {@code model} in place from {@code seed}; returns AutoInit's report for the AutoInit variants
     * and null for the other schemes.
     */
    public static InitReport apply(String name, Model model, long seed, Dataset train) {
        if (name.equals("autoinit-nodrop")) {
            return AutoInit.builder().seed(seed).dropoutAdjustment(false).build().initialize(model);
        }
        InitMethod m = InitSchemes.byName(name);
        Tensor[] sample = m.needsData() ? new Tensor[] {sample(train, SAMPLE)} : new Tensor[0];
        return m.initialize(model, seed, sample);
    }

    /** The first {@code n} samples (fewer if the set is smaller) as one batch. */
    public static Tensor sample(Dataset d, int n) {
        int[] idx = new int[Math.min(n, d.size())];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        return d.features(idx);
    }
}
