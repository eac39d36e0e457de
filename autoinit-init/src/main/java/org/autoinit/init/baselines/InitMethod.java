package org.autoinit.init.baselines;

import org.autoinit.init.InitReport;
import org.autoinit.nn.Model;
import org.autoinit.tensor.Tensor;

/** An initialization of a whole model, selectable by name for comparisons ({@link InitSchemes#byName}). */
public interface InitMethod {

    /** The name it is selected by, e.g. "he-normal". */
    String name();

    /** True when {@link #initialize} needs a data sample (LSUV). */
    boolean needsData();

    /**
     * Initializes {@code model} in place.
     *
     * @param seed   seed of every random draw
     * @param sample one batched tensor per model input (required when {@link #needsData()}, else ignored)
     * @return AutoInit's report (its predictions) for "autoinit", null for methods that predict nothing
     */
    InitReport initialize(Model model, long seed, Tensor... sample);
}
