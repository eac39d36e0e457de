package org.autoinit.init;

import org.autoinit.init.moments.ActivationMoments;
import org.autoinit.nn.layers.Activation;
import org.autoinit.tensor.ops.ActivationKind;

/**
 * Centred activations ("AutoInit++"): {@code f(x) - E[f(z)]}, z ~ N(0, 1), so the output of a unit Gaussian has
 * mean 0; AutoInit accounts for the shift (its activation rule reads {@link Activation#shift()}).
 */
public final class CentredActivations {
    private CentredActivations() {}

    /** The centred activation of {@code kind} with its default alpha. */
    public static Activation of(ActivationKind kind) {
        return of(kind, kind.defaultAlpha(), null);
    }

    /** The centred activation of {@code kind} with parameter alpha (ignored by kinds without one); name may be null. */
    public static Activation of(ActivationKind kind, double alpha, String name) {
        return Activation.builder(kind).alpha(alpha).centred(ActivationMoments.centringShift(kind, alpha)).name(name).build();
    }
}
