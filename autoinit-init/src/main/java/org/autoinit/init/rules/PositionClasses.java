package org.autoinit.init.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows (or columns) of a feature map that are equal in every channel form a class; a conv or pool output row
 * whose taps read the same sequence of input classes is equal too. After a few padded layers a position map is a
 * border frame around a constant interior, so computing one row and one column per class is exact and cheap.
 */
final class PositionClasses {
    private PositionClasses() {}

    interface Same {
        boolean test(int a, int b);
    }

    static int[] classes(int n, Same same) {
        int[] cls = new int[n];
        List<Integer> reps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cls[i] = -1;
            for (int r = 0; r < reps.size() && cls[i] < 0; r++) {
                if (same.test(reps.get(r), i)) {
                    cls[i] = r;
                }
            }
            if (cls[i] < 0) {
                cls[i] = reps.size();
                reps.add(i);
            }
        }
        return cls;
    }

    /** Output rows (or columns) classed by the input classes their k taps read (-1 in the padding). */
    static int[] outputClasses(int[] inClass, int out, int k, int stride, int pad, int dil) {
        Map<List<Integer>, Integer> ids = new HashMap<>();
        int[] cls = new int[out];
        for (int o = 0; o < out; o++) {
            List<Integer> sig = new ArrayList<>(k);
            for (int a = 0; a < k; a++) {
                int i = o * stride - pad + a * dil;
                sig.add(i >= 0 && i < inClass.length ? inClass[i] : -1);
            }
            Integer id = ids.get(sig);
            if (id == null) {
                id = ids.size();
                ids.put(sig, id);
            }
            cls[o] = id;
        }
        return cls;
    }

    /** The first member of each class. */
    static int[] representatives(int[] cls) {
        int n = 0;
        for (int x : cls) {
            n = Math.max(n, x + 1);
        }
        int[] rep = new int[n];
        Arrays.fill(rep, -1);
        for (int i = 0; i < cls.length; i++) {
            if (rep[cls[i]] < 0) {
                rep[cls[i]] = i;
            }
        }
        return rep;
    }
}
