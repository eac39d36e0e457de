package org.autoinit.init.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class GaussianKeyTest {
    @Test
    void lawsWhoseFoldedBitHashesCollideStayDistinct() {
        // bits(m1)*31 + bits(v1) == bits(m2)*31 + bits(v2) for these two, so the old long key merged them.
        double m1 = 1.0, v1 = 2.0;
        double m2 = Double.longBitsToDouble(Double.doubleToLongBits(1.0) + 1);
        double v2 = Double.longBitsToDouble(Double.doubleToLongBits(2.0) - 31);
        assertEquals(Double.doubleToLongBits(m1) * 31 + Double.doubleToLongBits(v1),
                Double.doubleToLongBits(m2) * 31 + Double.doubleToLongBits(v2), "the collision this test is about");
        Map<GaussianKey, String> map = new HashMap<>();
        map.put(new GaussianKey(m1, v1), "first");
        map.put(new GaussianKey(m2, v2), "second");
        assertEquals(2, map.size());
        assertEquals("first", map.get(new GaussianKey(1.0, 2.0)));
    }
}
