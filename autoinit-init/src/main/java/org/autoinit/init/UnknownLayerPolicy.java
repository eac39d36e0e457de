package org.autoinit.init;

/** What AutoInit does with a layer type that has no moment rule. */
public enum UnknownLayerPolicy {
    /** Throw, naming the layer class and how to register a rule (the default: a silent guess breaks the guarantee). */
    FAIL,
    /** Treat the layer as the identity on moments and log a warning through System.Logger. */
    PASS_THROUGH
}
