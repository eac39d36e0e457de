package org.autoinit.init.rules;

/**
 * A Gaussian's (mean, variance) as a map key: equal exactly when both doubles are equal (record equality
 * compares doubles by their bits, as {@link Double#equals}). A hash of the two bit patterns folded into one
 * long would let two different laws collide and silently share one mapped result.
 */
record GaussianKey(double mean, double variance) {}
