package org.autoinit.nn;

/** What a parameter is for; initialization schemes dispatch on it. BUFFER entries are state, not trained. */
public enum ParamKind { WEIGHT, BIAS, NORM_SCALE, NORM_SHIFT, EMBEDDING, POSITIONAL, BUFFER }
