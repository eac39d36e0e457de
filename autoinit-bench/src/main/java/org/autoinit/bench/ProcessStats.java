package org.autoinit.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Linux process statistics the benchmarks report: peak RSS, CPU time, run-queue wait, load average. */
public final class ProcessStats {
    private ProcessStats() {}

    /** Peak resident set size in MiB (VmHWM of /proc/self/status), or NaN where unavailable. */
    public static double peakRssMib() {
        return statusKib("VmHWM:") / 1024.0;
    }

    /** Current resident set size in MiB (VmRSS), or NaN. */
    public static double rssMib() {
        return statusKib("VmRSS:") / 1024.0;
    }

    private static double statusKib(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Double.parseDouble(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: reported as NaN
        }
        return Double.NaN;
    }

    /** CPU time of the whole process (all threads) in nanoseconds. */
    static long cpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }

    /** Collections so far and their accumulated time in ms, summed over the JVM's garbage collectors. */
    static long[] gcCountAndMillis() {
        long count = 0;
        long millis = 0;
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    /**
     * Sum over this process's threads of the time spent runnable but waiting for a core
     * (second field of /proc/self/task/TID/schedstat), in nanoseconds; -1 where unavailable.
     */
    static long runqWaitNanos() {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    String[] f = Files.readString(t.resolve("schedstat")).trim().split("\\s+");
                    total += Long.parseLong(f[1]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return total;
    }

    /** The 1-minute load average (first field of /proc/loadavg), or NaN. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }
}
