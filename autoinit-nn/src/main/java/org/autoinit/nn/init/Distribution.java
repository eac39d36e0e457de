package org.autoinit.nn.init;

/** Zero-mean distributions parameterized by their exact variance. */
public enum Distribution {
    /** N(0, var). */
    NORMAL,
    /** N(0, sigma_p^2) cut at +-2 sigma_p, sigma_p = sqrt(var) / 0.87962566103423978 so the variance is exactly var (Keras). */
    TRUNCATED_NORMAL,
    /** U(-sqrt(3 var), +sqrt(3 var)). */
    UNIFORM
}
