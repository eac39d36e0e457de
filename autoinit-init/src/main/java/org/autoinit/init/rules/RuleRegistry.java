package org.autoinit.init.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.autoinit.nn.Layer;

/**
 * Moment rules by layer type. Lookup walks the class hierarchy of a layer from its own class up to
 * {@link Layer}: at each level the class itself, then the interfaces it declares; the first registered type
 * wins, so the most specific registration applies (a rule for {@code Layer.class} is a catch-all).
 * Mutable; {@link #copy()} before changing a shared instance.
 */
public final class RuleRegistry {

    /** A registered rule with the type it was registered for and the name shown in reports. */
    public record Registered(Class<?> type, String name, MomentRule<?> rule) {}

    private final Map<Class<?>, Registered> rules = new LinkedHashMap<>();

    /** An empty registry. */
    public RuleRegistry() {}

    /** A registry holding every built-in rule (see {@link BuiltInRules}). */
    public static RuleRegistry builtIns() {
        RuleRegistry r = new RuleRegistry();
        BuiltInRules.registerAll(r);
        return r;
    }

    /** Registers (or replaces) the rule for {@code type} and its subclasses without a more specific rule. */
    public <L extends Layer> RuleRegistry register(Class<L> type, String name, MomentRule<? super L> rule) {
        if (type == null || rule == null || name == null || name.isBlank()) {
            throw new IllegalArgumentException("RuleRegistry.register: type, a non-blank name and a rule are required");
        }
        rules.put(type, new Registered(type, name, rule));
        return this;
    }

    /** The rule registered for the most specific supertype of {@code cls}, or null. */
    public Registered lookup(Class<?> cls) {
        for (Class<?> c = cls; c != null && Layer.class.isAssignableFrom(c); c = c.getSuperclass()) {
            Registered r = rules.get(c);
            if (r != null) {
                return r;
            }
            for (Class<?> i : c.getInterfaces()) {
                r = rules.get(i);
                if (r != null) {
                    return r;
                }
            }
        }
        return null;
    }

    /** The types with a registered rule, in registration order. */
    public List<Class<?>> types() {
        return List.copyOf(rules.keySet());
    }

    /** An independent copy. */
    public RuleRegistry copy() {
        RuleRegistry r = new RuleRegistry();
        r.rules.putAll(rules);
        return r;
    }
}
