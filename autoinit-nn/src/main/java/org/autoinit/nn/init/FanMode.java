package org.autoinit.nn.init;

import org.autoinit.nn.Fans;

/** Which fan a variance-scaling initializer divides by. */
public enum FanMode {
    FAN_IN, FAN_OUT, FAN_AVG;

    /** The fan this mode selects. */
    public double of(Fans f) {
        return switch (this) {
            case FAN_IN -> f.fanIn();
            case FAN_OUT -> f.fanOut();
            case FAN_AVG -> f.fanAvg();
        };
    }
}
