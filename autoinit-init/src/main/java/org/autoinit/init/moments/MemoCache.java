package org.autoinit.init.moments;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded, thread-safe least-recently-used memo. AutoInit asks for the same moments many times (every
 * block of a deep net sees nearly the same input), and quadrature is the expensive part of the walk.
 * The value is computed outside the lock, so two threads may compute the same entry once each.
 */
final class MemoCache<K, V> {
    private final Map<K, V> map;

    MemoCache(int capacity) {
        this.map = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    V get(K key, Function<K, V> compute) {
        synchronized (map) {
            V v = map.get(key);
            if (v != null) {
                return v;
            }
        }
        V v = compute.apply(key);
        synchronized (map) {
            V prior = map.putIfAbsent(key, v);
            return prior != null ? prior : v;
        }
    }

    int size() {
        synchronized (map) {
            return map.size();
        }
    }
}
