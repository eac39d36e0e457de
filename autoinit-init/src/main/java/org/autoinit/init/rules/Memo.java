package org.autoinit.init.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A small thread-safe LRU memo for the quadratures the rules repeat on every block of a deep net. */
final class Memo<K, V> {
    private final Map<K, V> map;

    Memo(int capacity) {
        map = new LinkedHashMap<>(64, 0.75f, true) {
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
}
